"""The agents' console and the live handoff in the Rasa server, over HTTP: the console's
blueprint on a Sanic server of its own, Rasa's agent replaced by a processor that keeps
trackers in memory and records whether the dialogue was asked (the real one runs in the
end-to-end tests, tests/integration/test_live_handoff.py)."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import aiohttp
import pytest
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.core.lock_store import InMemoryLockStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    ConversationPaused,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Sanic

from actions import runtime
from actions.records import agents
from actions.records import live_handoff as live
from actions.records.db import ROOT, make_sessions
from actions.records.migrate import upgrade
from actions.texts import text
from channels import live_handoff
from channels.agent_console import AgentConsole, secure_cookie
from channels.guard import answer

DOMAIN = Domain.load(str(ROOT / "domain.yml"))
PASSWORD = "correct horse battery"
EMAIL = "giulia@example.com"


class Processor:
    """What the live handoff asks of Rasa's processor; `dialogue` counts the messages that
    reached the dialogue."""

    def __init__(self) -> None:
        self.trackers: dict[str, DialogueStateTracker] = {}
        self.dialogue: list[str] = []
        self.external: list[str] = []

    async def get_tracker(self, sender_id: str) -> DialogueStateTracker:
        if sender_id not in self.trackers:
            self.trackers[sender_id] = DialogueStateTracker(sender_id, DOMAIN.slots)
        return self.trackers[sender_id]

    async def save_tracker(self, tracker: DialogueStateTracker) -> None:
        self.trackers[tracker.sender_id] = tracker

    async def parse_message(self, message: UserMessage, _: Any) -> dict[str, Any]:
        intent = "stop" if "lascia stare" in message.text else "inform"
        return {"text": message.text, "intent": {"name": intent, "confidence": 0.97},
                "entities": []}

    async def trigger_external_user_uttered(
        self, intent: str, _entities: Any, tracker: DialogueStateTracker, output: Any
    ) -> None:
        self.external.append(intent)
        tracker.update(UserUttered.create_external(intent, []))
        await output.send_text_message(tracker.sender_id, "the support request offer")
        await self.save_tracker(tracker)


@dataclass
class RasaAgent:
    processor: Processor = field(default_factory=Processor)
    lock_store: InMemoryLockStore = field(default_factory=InMemoryLockStore)


class CustomerChannel(InputChannel):
    """The customer's channel: what is sent to them is collected."""

    def __init__(self) -> None:
        self.output = CollectingOutputChannel()

    @classmethod
    def name(cls) -> str:
        return "socketio"

    def get_output_channel(self) -> CollectingOutputChannel:
        return self.output

    def said(self) -> list[str]:
        return [message["text"] for message in self.output.messages if message.get("text")]

    def widget_told(self) -> list[str]:
        """Who answers, as the web widget was told."""
        return [message["custom"]["data"]["handoff"] for message in self.output.messages
                if "custom" in message]


@dataclass
class Console:
    url: str
    rasa: RasaAgent
    customer: CustomerChannel
    channel: AgentConsole
    database_url: str

    @property
    def handoffs(self) -> live_handoff.LiveHandoffs:
        assert self.channel.handoffs is not None
        return self.channel.handoffs

    async def customer_writes(self, sender: str, message: str) -> None:
        async def dialogue(user_message: UserMessage) -> None:
            self.rasa.processor.dialogue.append(user_message.text)
            await user_message.output_channel.send_text_message(sender, "the assistant")

        await answer(dialogue, message, self.customer.output, sender, "socketio")

    def queue(self, sender: str, seconds_ago: int = 0) -> None:
        with make_sessions(self.database_url)() as session:
            live.enqueue(
                session, sender_id=sender, channel="socketio", reason="human_handoff",
                now=live.utc_now() - timedelta(seconds=seconds_ago),
            )
            session.commit()


@pytest.fixture
async def console(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Console]:
    url = f"sqlite:///{tmp_path / 'records.db'}"
    upgrade(url)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("REDIS_URL", raising=False)
    runtime._sessions_for.cache_clear()
    with make_sessions(url)() as session:
        agents.add_agent(session, name="Giulia", email=EMAIL, password=PASSWORD,
                         now=live.utc_now())
        agents.add_agent(session, name="Marco", email="marco@example.com", password=PASSWORD,
                         now=live.utc_now())
        session.commit()
    Sanic.test_mode = True
    app = Sanic(f"console_{uuid4().hex}")
    channel, customer, rasa = AgentConsole(), CustomerChannel(), RasaAgent()

    async def not_a_customer_channel(_: UserMessage) -> None:
        raise AssertionError("the console hands nothing to Rasa")

    app.blueprint(channel.blueprint(not_a_customer_channel), url_prefix="/agent")
    app.ctx.agent = rasa
    app.ctx.input_channels = [channel, customer]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = await app.create_server(
        host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False
    )
    assert server is not None
    await server.startup()
    await server.after_start()
    yield Console(f"http://127.0.0.1:{port}/agent", rasa, customer, channel, url)
    await server.before_stop()
    server.close()
    await server.wait_closed()
    await server.after_stop()
    runtime._sessions_for.cache_clear()


@dataclass
class Signed:
    client: aiohttp.ClientSession
    csrf: str

    def headers(self) -> dict[str, str]:
        return {"X-CSRF-Token": self.csrf}


async def sign_in(
    console: Console, email: str = EMAIL, password: str = PASSWORD
) -> tuple[aiohttp.ClientResponse, Signed]:
    client = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    resp = await client.post(f"{console.url}/api/sign-in",
                             json={"email": email, "password": password})
    body = await resp.json()
    return resp, Signed(client, body.get("csrf", ""))


GUARDED = [
    ("GET", "/api/me"),
    ("GET", "/api/queue"),
    ("GET", "/api/events"),
    ("GET", "/api/conversations/c1"),
    ("POST", "/api/sign-out"),
    ("POST", "/api/conversations/c1/take"),
    ("POST", "/api/conversations/c1/reply"),
    ("POST", "/api/conversations/c1/hand-back"),
    ("POST", "/api/conversations/c1/close"),
]


async def test_every_route_refuses_a_request_without_a_session(console: Console) -> None:
    console.queue("c1")
    async with aiohttp.ClientSession() as client:
        for method, path in GUARDED:
            resp = await client.request(method, console.url + path, json={"text": "x"},
                                        headers={"Cookie": "agent_session=forged"})
            assert resp.status == 401, (method, path)
            resp = await client.request(method, console.url + path)
            assert resp.status == 401, (method, path)
        # the sign-in page itself is open; nothing else of the folder is served
        assert (await client.get(console.url + "/")).status == 200
        assert (await client.get(console.url + "/static/console.js")).status == 200
        assert (await client.get(console.url + "/static/index.html")).status == 404
    with make_sessions(console.database_url)() as session:
        held = live.held(session, "c1")
    assert held is not None and held.state == live.QUEUED  # nobody took it


async def test_every_change_needs_the_sessions_csrf_token(console: Console) -> None:
    console.queue("c1")
    resp, agent = await sign_in(console)
    async with agent.client:
        for method, path in GUARDED:
            if method != "POST":
                continue
            for headers in ({}, {"X-CSRF-Token": "not the token"}):
                resp = await agent.client.post(console.url + path, json={"text": "x"},
                                               headers=headers)
                assert resp.status == 403, (path, headers)
        resp = await agent.client.get(console.url + "/api/me")
        assert (await resp.json())["name"] == "Giulia"


async def test_the_session_cookie(console: Console) -> None:
    resp, agent = await sign_in(console)
    async with agent.client:
        assert resp.status == 200
        cookie = resp.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/agent" in cookie
        assert "Secure" not in cookie  # plain HTTP on this machine: `make run`
        assert resp.headers["Content-Security-Policy"].startswith("default-src 'self'")
        resp = await agent.client.post(console.url + "/api/sign-out", headers=agent.headers())
        assert resp.status == 204
        assert (await agent.client.get(console.url + "/api/me")).status == 401


@pytest.mark.parametrize(
    "host, scheme, forwarded, secure",
    [
        ("localhost:5005", "http", "", False),
        ("127.0.0.1:5005", "http", "", False),
        ("assistenza.example.it", "http", "https", True),
        ("assistenza.example.it", "https", "", True),
        ("10.0.0.5:5005", "http", "", True),
    ],
)
def test_the_cookie_is_secure_unless_plain_http_on_this_machine(
    host: str, scheme: str, forwarded: str, secure: bool
) -> None:
    request = type("R", (), {"host": host, "scheme": scheme,
                             "headers": {"x-forwarded-proto": forwarded}})()
    assert secure_cookie(request) is secure  # type: ignore[arg-type]


async def test_five_wrong_passwords_are_slowed_down(console: Console) -> None:
    for _ in range(agents.MAX_FAILURES):
        resp, agent = await sign_in(console, password="not the password")
        await agent.client.close()
        assert resp.status == 401
    resp, agent = await sign_in(console)  # the right one, too late
    await agent.client.close()
    assert resp.status == 429
    assert 0 < int(resp.headers["Retry-After"]) <= agents.FAILURE_WINDOW.total_seconds()
    # another address is not slowed down
    resp, agent = await sign_in(console, email="marco@example.com")
    await agent.client.close()
    assert resp.status == 200


async def next_event(stream: aiohttp.ClientResponse, kind: str) -> dict[str, Any]:
    """The data of the next server-sent event of `kind`."""
    current = None
    while True:
        line = (await asyncio.wait_for(stream.content.readline(), 10)).decode().strip()
        if line.startswith("event: "):
            current = line.removeprefix("event: ")
        elif line.startswith("data: ") and current == kind:
            data: dict[str, Any] = json.loads(line.removeprefix("data: "))
            return data


async def test_a_person_answers_and_hands_back(console: Console) -> None:
    processor = console.rasa.processor
    tracker = await processor.get_tracker("c1")
    for event in [
        ActionExecuted(ACTION_LISTEN_NAME),
        UserUttered("ho un server pro, aggiungo 16 GB di RAM", {"name": "request_quote"}),
        SlotSet("service", "ds-pro"),
        SlotSet("addons", ["ram-16"]),
        ActionExecuted(ACTION_LISTEN_NAME),
        UserUttered("voglio parlare con una persona", {"name": "human_handoff"}),
        ActionExecuted("action_handoff"),
        ConversationPaused(),
    ]:
        tracker.update(event)
    console.queue("c1")
    resp, agent = await sign_in(console)
    async with agent.client:
        events = await agent.client.get(console.url + "/api/events")
        assert events.headers["Content-Type"].startswith("text/event-stream")

        # the customer writes while waiting: kept for the agent, not for the dialogue
        await console.customer_writes("c1", "è urgente, grazie")
        assert processor.dialogue == []
        line = (await next_event(events, "message"))["line"]
        assert (line["speaker"], line["text"]) == ("cliente", "è urgente, grazie")

        queue = await (await agent.client.get(console.url + "/api/queue")).json()
        (item,) = queue["conversations"]
        assert item["state"] == "queued" and item["asked"].startswith("ho un server pro")
        assert item["facts"]["addons"] and item["facts"]["service"]

        resp = await agent.client.post(console.url + "/api/conversations/c1/take",
                                       headers=agent.headers())
        assert resp.status == 200
        assert console.customer.said()[-1] == text("part_handoff_taken", agent="Giulia")
        # a second agent cannot take it
        resp, marco = await sign_in(console, email="marco@example.com")
        async with marco.client:
            resp = await marco.client.post(console.url + "/api/conversations/c1/take",
                                           headers=marco.headers())
            assert resp.status == 409
            resp = await marco.client.post(console.url + "/api/conversations/c1/reply",
                                           json={"text": "ciao"}, headers=marco.headers())
            assert resp.status == 409

        resp = await agent.client.post(
            console.url + "/api/conversations/c1/reply",
            json={"text": "Ciao, sono Giulia: vedo il tuo server Pro.",
                  "buttons": [{"payload": "/affirm"}]},
            headers=agent.headers(),
        )
        assert resp.status == 200
        sent = console.customer.output.messages[-1]
        assert sent["text"] == "Ciao, sono Giulia: vedo il tuo server Pro."
        assert [button["payload"] for button in sent["buttons"]] == ["/affirm"]
        resp = await agent.client.post(
            console.url + "/api/conversations/c1/reply",
            json={"text": "x", "buttons": [{"payload": "/restart"}]}, headers=agent.headers(),
        )
        assert resp.status == 400  # only the assistant's own quick replies

        await console.customer_writes("c1", "perfetto, quanto costa?")
        assert processor.dialogue == []
        while (await next_event(events, "message"))["line"]["speaker"] != "cliente":
            pass

        detail = await (await agent.client.get(console.url + "/api/conversations/c1")).json()
        speakers = [line["speaker"] for line in detail["lines"]]
        assert speakers[-4:] == ["cliente", "operatore", "operatore", "cliente"]
        assert detail["mine"] and detail["state"] == "taken"

        # while the agent held it, the assistant said nothing
        held_since = next(i for i, event in enumerate(tracker.events)
                          if isinstance(event, ConversationPaused))
        during = list(tracker.events)[held_since:]
        assert not [event for event in during if isinstance(event, ActionExecuted)]
        assert all(event.metadata.get("agent") == "Giulia"
                   for event in during if isinstance(event, BotUttered))

        resp = await agent.client.post(console.url + "/api/conversations/c1/hand-back",
                                       headers=agent.headers())
        assert resp.status == 200
        await events.release()
    assert console.customer.said()[-1] == text("part_handoff_back")
    assert console.customer.widget_told() == ["taken", "assistant"]
    assert not tracker.is_paused()
    assert tracker.latest_action_name == ACTION_LISTEN_NAME
    assert tracker.get_slot("addons") == ["ram-16"]  # the draft is kept
    await console.customer_writes("c1", "allora procediamo")
    assert processor.dialogue == ["allora procediamo"]
    with make_sessions(console.database_url)() as session:
        assert live.held(session, "c1") is None


async def test_the_customer_cancels_while_waiting(console: Console) -> None:
    tracker = await console.rasa.processor.get_tracker("c2")
    tracker.update(ConversationPaused())
    console.queue("c2")
    await console.customer_writes("c2", "lascia stare")
    assert console.customer.said() == [text("part_handoff_cancelled")]
    assert console.customer.widget_told() == ["assistant"]
    assert console.rasa.processor.dialogue == []
    assert not tracker.is_paused()
    with make_sessions(console.database_url)() as session:
        assert live.held(session, "c2") is None
    await console.customer_writes("c2", "quanto costa la RAM?")
    assert console.rasa.processor.dialogue == ["quanto costa la RAM?"]


async def test_nobody_takes_it_in_time(console: Console) -> None:
    tracker = await console.rasa.processor.get_tracker("c3")
    tracker.update(ConversationPaused())
    console.queue("c3", seconds_ago=live_handoff.DEFAULT_WAIT_S + 5)
    console.queue("c4", seconds_ago=10)
    assert await console.handoffs.expire() == 1
    assert console.rasa.processor.external == [live_handoff.UNANSWERED_INTENT]
    assert console.customer.said() == ["the support request offer"]
    assert not tracker.is_paused()
    with make_sessions(console.database_url)() as session:
        assert live.held(session, "c3") is None
        still = live.held(session, "c4")
        assert still is not None and still.state == live.QUEUED
    assert await console.handoffs.expire() == 0
