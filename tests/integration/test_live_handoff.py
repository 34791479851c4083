"""A person in the same chat, end to end on `make run`'s servers with the trained model:
a customer in the widget (Chromium) and an agent in the console (a second browser
context); a Telegram customer against the fake Bot API; nobody at the console; nobody
taking the conversation in time. The clock of the actions stands on a Tuesday morning, when
the sales line is open."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import create_engine, text

from actions.records.migrate import upgrade
from actions.texts import text as said

from .conftest import ROOT, expected_total, start_assistant, stop_assistant
from .fake_telegram import FakeBotApi
from .test_channels import (
    OPEN_CHAT,
    PAGE,
    SCREENSHOTS,
    TOKEN,
    button_press,
    chromium,
    post_update,
    sent_to,
    telegram_settings,
    text_message,
    wait_for_bot_text,
)

CONSOLE = "http://127.0.0.1:5005/agent"
AGENT = {"name": "Giulia", "email": "giulia@example.com", "password": "correct horse battery"}
WAIT_S = 12  # HANDOFF_WAIT_S: short, so that the test of nobody taking it is quick
# Tuesday 24 November 2026, 10:00 in Rome: the sales line is open.
OPEN_MOMENT = "2026-11-24T10:00:00+01:00"
QUEUED = "in coda"


@pytest.fixture(scope="module")
def bot_api() -> Iterator[FakeBotApi]:
    with FakeBotApi(TOKEN) as api:
        yield api


@pytest.fixture(scope="module")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('live') / 'helpdesk.db'}"
    upgrade(url)
    # The agent is added as `make agent-add` does, the password from a pipe.
    added = subprocess.run(
        [sys.executable, "-m", "ops.agent_add", "--name", AGENT["name"], "--email",
         AGENT["email"]],
        input=AGENT["password"] + "\n", text=True, capture_output=True, cwd=ROOT,
        env={"DATABASE_URL": url, "PATH": "/usr/bin:/bin"}, check=True,
    )
    assert "Agent Giulia <giulia@example.com> added" in added.stdout
    return url


@pytest.fixture(scope="module")
def browser(assistant: None) -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def assistant(
    trained_model: Path, bot_api: FakeBotApi, database_url: str
) -> Iterator[None]:
    process = start_assistant(
        {
            "DATABASE_URL": database_url,
            "ASSISTANT_NOW": OPEN_MOMENT,
            "HANDOFF_WAIT_S": str(WAIT_S),
            **telegram_settings(bot_api),
        }
    )
    yield
    stop_assistant(process)


class Agent:
    """The console's API, as the console's page calls it."""

    def __init__(self) -> None:
        self.http = requests.Session()
        reply = self.http.post(f"{CONSOLE}/api/sign-in", json={
            "email": AGENT["email"], "password": AGENT["password"]}, timeout=30)
        reply.raise_for_status()
        self.csrf = reply.json()["csrf"]

    def get(self, path: str) -> Any:
        reply = self.http.get(CONSOLE + path, timeout=30)
        reply.raise_for_status()
        return reply.json()

    def post(self, path: str, body: dict[str, Any] | None = None) -> requests.Response:
        return self.http.post(CONSOLE + path, json=body or {},
                              headers={"X-CSRF-Token": self.csrf}, timeout=60)

    def sign_out(self) -> None:
        self.post("/api/sign-out")


def tracker_events(url: str, sender: str) -> list[dict[str, Any]]:
    """The conversation as Rasa's tracker store holds it."""
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT data FROM events WHERE sender_id = :sender ORDER BY id"),
            {"sender": sender},
        ).scalars()
        events = [json.loads(row) for row in rows]
    engine.dispose()
    return events


def assistant_events_while_held(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What the assistant itself did between the pause and the resume: actions run, or bot
    messages not an agent's."""
    paused = max(i for i, event in enumerate(events) if event["event"] == "pause")
    resumed = [i for i, event in enumerate(events) if event["event"] == "resume" and i > paused]
    during = events[paused + 1: resumed[0] if resumed else None]
    return [
        event for event in during
        if event["event"] == "action"
        or (event["event"] == "bot" and not (event.get("metadata") or {}).get("agent"))
    ]


def test_nobody_at_the_console_gets_the_support_request(
    assistant: None, bot_api: FakeBotApi
) -> None:
    chat = 610001
    post_update(text_message(9001, chat, "voglio parlare con un operatore"))
    (offer,) = sent_to(bot_api, chat)
    assert QUEUED not in offer["text"] and "La apro?" in offer["text"]


def test_widget_customer_and_console_agent(
    assistant: None, browser: Any, database_url: str
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    agent = browser.new_context(viewport={"width": 1280, "height": 800}, locale="it-IT")
    console = agent.new_page()
    console.goto(CONSOLE + "/")
    console.locator("#email").fill(AGENT["email"])
    console.locator("#password").fill(AGENT["password"])
    console.locator("#sign-in-submit").click()
    console.locator("#agent-name", has_text="Giulia").wait_for(timeout=30_000)

    customer = browser.new_context(viewport={"width": 1280, "height": 800}, locale="it-IT")
    page = customer.new_page()
    page.goto(PAGE)
    page.get_by_role("button", name=OPEN_CHAT).click()
    wait_for_bot_text(page, "Ciao!")
    page.locator(".uc-input").fill("ho un server dedicato pro, vorrei aggiungere 16 gb di ram")
    page.locator(".uc-send").click()
    wait_for_bot_text(page, "scade")
    page.locator(".uc-input").fill("voglio parlare con un operatore")
    page.locator(".uc-send").click()
    wait_for_bot_text(page, QUEUED)

    # the console hears of it by itself, the facts first
    item = console.locator("[data-conversation]").first
    item.wait_for(timeout=30_000)
    sender = item.get_attribute("data-conversation")
    assert sender
    facts = item.inner_text()
    assert "Server Dedicato Pro" in facts and "RAM +16 GB" in facts
    item.locator(".open-item").click()
    console.locator("#facts", has_text="Server Dedicato Pro").wait_for(timeout=30_000)
    item.locator(".take").click()
    wait_for_bot_text(page, said("part_handoff_taken", agent="Giulia"))

    console.locator("#reply").fill("Ciao, sono Giulia: vedo il tuo Server Dedicato Pro.")
    console.locator("#send").click()
    wait_for_bot_text(page, "sono Giulia: vedo il tuo Server Dedicato Pro")

    page.locator(".uc-input").fill("grazie Giulia, mi serve entro venerdì")
    page.locator(".uc-send").click()
    console.locator("#log", has_text="mi serve entro venerdì").wait_for(timeout=30_000)
    time.sleep(1)  # the assistant, were it to answer, would have by now
    # the widget knows a person answers: no "typing…" while they read and write
    assert page.locator(".uc-typing").count() == 0
    page.screenshot(path=str(SCREENSHOTS / "handoff-customer.png"))
    console.screenshot(path=str(SCREENSHOTS / "handoff-console.png"))
    assert assistant_events_while_held(tracker_events(database_url, sender)) == []
    assert not [text_ for text_ in page.locator(".uc-bot").all_inner_texts()
                if "entro venerdì" in text_]

    console.locator("#hand-back").click()
    wait_for_bot_text(page, "Sono di nuovo io")
    # the assistant answers again, the draft kept: service and RAM from before the handoff
    page.locator(".uc-input").fill("scade tra 40 giorni")
    page.locator(".uc-send").click()
    wait_for_bot_text(page, f"= {expected_total('ds-pro', ['ram-16'], 40)}")
    page.screenshot(path=str(SCREENSHOTS / "handoff-customer-back.png"))
    events = tracker_events(database_url, sender)
    agent_lines = [event["text"] for event in events
                   if event["event"] == "bot" and (event.get("metadata") or {}).get("agent")]
    assert "Ciao, sono Giulia: vedo il tuo Server Dedicato Pro." in agent_lines
    agent.close()
    customer.close()


def test_telegram_customer_with_an_agent(assistant: None, bot_api: FakeBotApi,
                                         database_url: str) -> None:
    agent = Agent()
    chat = 620002
    post_update(text_message(9101, chat, "voglio parlare con una persona"))
    (queued,) = sent_to(bot_api, chat)
    assert "sei il n. 1 in coda" in queued["text"]
    queue = agent.get("/api/queue")["conversations"]
    assert [item["conversation"] for item in queue] == [str(chat)]
    assert agent.post(f"/api/conversations/{chat}/take").status_code == 200
    assert sent_to(bot_api, chat)[-1]["text"] == said("part_handoff_taken", agent="Giulia")

    reply = agent.post(f"/api/conversations/{chat}/reply",
                       {"text": "Buongiorno, come posso aiutarla?",
                        "buttons": [{"payload": "/ask_order_procedure"}]})
    assert reply.status_code == 200
    answer = sent_to(bot_api, chat)[-1]
    assert answer["text"] == "Buongiorno, come posso aiutarla?"
    assert "/ask_order_procedure" in answer["reply_markup"]

    before = len(sent_to(bot_api, chat))
    post_update(text_message(9102, chat, "vorrei capire come ordinare la RAM"))
    assert len(sent_to(bot_api, chat)) == before  # the assistant is silent
    lines = agent.get(f"/api/conversations/{chat}")["lines"]
    assert lines[-1] == {**lines[-1], "speaker": "cliente",
                         "text": "vorrei capire come ordinare la RAM"}
    assert assistant_events_while_held(tracker_events(database_url, str(chat))) == []

    assert agent.post(f"/api/conversations/{chat}/close").status_code == 200
    assert sent_to(bot_api, chat)[-1]["text"].startswith("Sono di nuovo io")
    post_update(text_message(9103, chat, "come faccio a ordinare?"))
    assert "Area Clienti" in sent_to(bot_api, chat)[-1]["text"]
    agent.sign_out()


def test_out_of_scope_offers_a_person_beside_the_request(
    assistant: None, bot_api: FakeBotApi
) -> None:
    agent = Agent()
    chat = 640004
    post_update(text_message(9301, chat, "vorrei registrare un nuovo dominio .it"))
    offer = sent_to(bot_api, chat)[-1]
    assert said("part_offer_person") in offer["text"] and "La apro?" in offer["text"]
    assert "/human_handoff" in offer["reply_markup"]
    post_update(button_press(9302, chat, "/human_handoff"))
    assert QUEUED in sent_to(bot_api, chat)[-1]["text"]
    assert agent.post(f"/api/conversations/{chat}/take").status_code == 200
    assert agent.post(f"/api/conversations/{chat}/hand-back").status_code == 200
    assert sent_to(bot_api, chat)[-1]["text"].startswith("Sono di nuovo io")
    # the support request's offer ended with the wait: a yes now opens nothing
    post_update(text_message(9303, chat, "come faccio a ordinare?"))
    assert "Area Clienti" in sent_to(bot_api, chat)[-1]["text"]
    agent.sign_out()


@pytest.mark.parametrize("chat, asking, cancelling", [
    (650005, "voglio parlare con un operatore", "lascia stare"),
    (650006, "can I talk to a person please", "never mind"),
])
def test_the_customer_gives_up_waiting(
    assistant: None, bot_api: FakeBotApi, chat: int, asking: str, cancelling: str
) -> None:
    agent = Agent()
    post_update(text_message(chat, chat, asking))
    assert len(agent.get("/api/queue")["conversations"]) == 1
    post_update(text_message(chat + 100, chat, cancelling))
    language = {"language": "en"} if cancelling == "never mind" else None
    assert sent_to(bot_api, chat)[-1]["text"] == said("part_handoff_cancelled", language)
    assert agent.get("/api/queue")["conversations"] == []
    agent.sign_out()


def test_nobody_takes_it_in_time(assistant: None, bot_api: FakeBotApi) -> None:
    agent = Agent()  # at the console, but busy
    chat = 630003
    post_update(text_message(9201, chat, "posso parlare con un operatore?"))
    assert QUEUED in sent_to(bot_api, chat)[0]["text"]
    deadline = time.monotonic() + WAIT_S + 30
    while time.monotonic() < deadline and len(sent_to(bot_api, chat)) < 2:
        agent.get("/api/me")  # still present
        time.sleep(1)
    offer = sent_to(bot_api, chat)[1]["text"]
    assert offer.startswith(said("part_handoff_unanswered")) and "La apro?" in offer
    assert agent.get("/api/queue")["conversations"] == []
    # the offer is the support request's, as out of hours
    post_update(text_message(9202, chat, "sì"))
    assert "email" in sent_to(bot_api, chat)[-1]["text"]
    agent.sign_out()
