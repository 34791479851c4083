"""The agents' console, served by the Rasa server under `/agent/` (a channel of
credentials.yml, so that it runs where the conversations' lock, tracker and output channels
are): sign in, the queue with each conversation's facts first, take, answer, hand back or
close; new messages arrive by server-sent events.

Every route but the page, its two static files and the sign-in refuses a request without a
signed-in session (401); every change also needs the session's CSRF token in the
`X-CSRF-Token` header (403). The session cookie is HttpOnly, SameSite=Strict, limited to
/agent, and Secure unless the console is reached over plain HTTP on this machine. Five wrong
passwords for one address within 15 minutes get 429 until the window passes
(actions/records/agents.py)."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions import runtime
from actions.domain.catalog import default_catalog
from actions.domain.language import Language
from actions.domain.transcripts import conversation_lines, facts_from_slots
from actions.records import agents
from actions.records import live_handoff as records
from actions.records.agents import SignedIn
from actions.replies import rule_sentence
from actions.texts import speaking_in

from .console_bus import ConsoleBus
from .incoming import MAX_MESSAGE_CHARS, clean_text
from .live_handoff import LiveHandoffs, install, quick_replies, wait_from_env

logger = logging.getLogger(__name__)
PAGE_DIR = Path(__file__).resolve().parents[1] / "web" / "agent"
COOKIE = "agent_session"
CSRF_HEADER = "X-CSRF-Token"
# An open console hears at least this often, which also keeps the agent present.
PING_S = 20.0
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]"}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
DONE = {"hand-back": records.RETURNED, "close": records.CLOSED}


def error(status: int, message: str, **extra: Any) -> HTTPResponse:
    return response.json({"error": message, **extra}, status=status)


def secure_cookie(request: Request) -> bool:
    """Secure unless plain HTTP on this machine (`make run`): a browser sends a Secure cookie
    only over HTTPS, and behind the production proxy the console is HTTPS."""
    forwarded = request.headers.get("x-forwarded-proto", "")
    host = request.host.rsplit(":", 1)[0] if request.host else ""
    return request.scheme == "https" or forwarded == "https" or host not in LOCAL_HOSTS


def facts_of(tracker: DialogueStateTracker) -> dict[str, Any]:
    with speaking_in(Language.ITALIAN):  # the agent reads Italian, whatever the customer's
        facts = facts_from_slots(
            default_catalog(), tracker.current_slot_values(), runtime.now(), rule_sentence
        )
    return {
        "service": facts.service,
        "addons": facts.addons,
        "expiry": facts.expiry,
        "quote": facts.quote,
        "rule": facts.rule,
        "contact_email": facts.contact_email,
        "request": facts.request,
        "customer_language": facts.customer_language,
    }


def session_events(tracker: DialogueStateTracker) -> list[dict[str, Any]]:
    """The conversation's current session, as dicts."""
    events = [event.as_dict() for event in tracker.events]
    starts = [i for i, item in enumerate(events) if item.get("event") == "session_started"]
    return events[starts[-1]:] if starts else events


def asked(events: list[dict[str, Any]]) -> str | None:
    """What the customer asked: their last words before asking for a person."""
    asking = [
        i for i, item in enumerate(events)
        if item.get("event") == "user"
        and ((item.get("parse_data") or {}).get("intent") or {}).get("name")
        == records.HANDOFF_INTENT
    ]
    before = events[: asking[-1]] if asking else events
    said = [
        line.text
        for line in conversation_lines(before)
        if line.speaker == "cliente" and not line.text.startswith("[pulsante")
    ]
    return said[-1] if said else None


class AgentConsole(InputChannel):
    """Not a customer channel: `/agent/` on the Rasa server, for people."""

    @classmethod
    def name(cls) -> str:
        return "agent"

    def url_prefix(self) -> str:
        return "/agent"  # urljoin("/webhooks/", "/agent") leaves Rasa's prefix out

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls()

    def __init__(self) -> None:
        self.bus = ConsoleBus.from_env()
        self.handoffs: LiveHandoffs | None = None
        self.sweeper: asyncio.Task[None] | None = None

    async def _signed_in(self, request: Request) -> SignedIn | None:
        token = request.cookies.get(COOKIE)
        if not token or self.handoffs is None:
            return None
        now = records.utc_now()
        return await self.handoffs.db(lambda session: agents.signed_in(session, token, now))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        console = Blueprint("agent_console", url_prefix="/agent")

        @console.listener("after_server_start")
        async def start(app: Any, _loop: Any) -> None:
            self.handoffs = LiveHandoffs(app, self.bus, runtime.sessions(), wait_from_env())
            install(self.handoffs)
            await self.bus.start()
            self.sweeper = asyncio.create_task(self.handoffs.sweep_forever())

        @console.listener("before_server_stop")
        async def stop(_app: Any, _loop: Any) -> None:
            install(None)
            if self.sweeper is not None:
                self.sweeper.cancel()
            await self.bus.stop()

        @console.middleware("response")
        async def headers(_request: Request, resp: HTTPResponse) -> None:
            for name, value in SECURITY_HEADERS.items():
                resp.headers.setdefault(name, value)

        def signed(
            handler: Callable[..., Awaitable[HTTPResponse]], change: bool = True
        ) -> Callable[..., Coroutine[Any, Any, HTTPResponse]]:
            """The route needs a session, and for a change the session's CSRF token."""

            async def guarded(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
                agent = await self._signed_in(request)
                if agent is None:
                    return error(401, "Accedi per usare la console.")
                if change and not hmac.compare_digest(
                    request.headers.get(CSRF_HEADER, ""), agent.csrf_token
                ):
                    return error(403, "Richiesta non valida: ricarica la pagina.")
                return await handler(request, agent, *args, **kwargs)

            return guarded

        @console.get("/")
        async def page(_request: Request) -> HTTPResponse:
            return await response.file(PAGE_DIR / "index.html")

        @console.get("/static/<name:(console\\.js|console\\.css)>")
        async def static(_request: Request, name: str) -> HTTPResponse:
            return await response.file(PAGE_DIR / name)

        @console.post("/api/sign-in")
        async def sign_in(request: Request) -> HTTPResponse:
            body = request.json if isinstance(request.json, dict) else {}
            email, password = body.get("email"), body.get("password")
            if not isinstance(email, str) or not isinstance(password, str):
                return error(400, "Servono email e password.")
            assert self.handoffs is not None
            now = records.utc_now()
            result = await self.handoffs.db(
                lambda session: agents.sign_in(session, email, password, now)
            )
            if result.retry_after:
                resp = error(
                    429,
                    "Troppi tentativi: riprova tra qualche minuto.",
                    retry_after=result.retry_after,
                )
                resp.headers["Retry-After"] = str(result.retry_after)
                return resp
            if result.signed_in is None or result.token is None:
                return error(401, "Email o password errate.")
            signed_in = result.signed_in
            resp = response.json({"name": signed_in.name, "csrf": signed_in.csrf_token})
            resp.cookies[COOKIE] = result.token
            cookie = resp.cookies[COOKIE]
            cookie["httponly"] = True
            cookie["samesite"] = "Strict"
            cookie["path"] = "/agent"
            cookie["max-age"] = int(agents.SESSION_LIFETIME.total_seconds())
            if secure_cookie(request):
                cookie["secure"] = True
            await self.bus.publish("queue")
            return resp

        async def sign_out(request: Request, agent: SignedIn) -> HTTPResponse:
            assert self.handoffs is not None
            token = request.cookies.get(COOKIE, "")
            await self.handoffs.db(lambda session: agents.sign_out(session, token))
            resp = response.empty()
            resp.cookies[COOKIE] = ""
            resp.cookies[COOKIE]["max-age"] = 0
            resp.cookies[COOKIE]["path"] = "/agent"
            return resp

        async def me(_request: Request, agent: SignedIn) -> HTTPResponse:
            return response.json({"name": agent.name, "csrf": agent.csrf_token})

        async def queue(_request: Request, agent: SignedIn) -> HTTPResponse:
            assert self.handoffs is not None
            handoffs = self.handoffs
            rows = await handoffs.db(records.open_handoffs)
            names = await handoffs.db(agents.agent_names)
            now = records.utc_now()
            listed = []
            for row in rows:
                tracker = await handoffs.tracker(row.sender_id)
                events = session_events(tracker)
                listed.append(
                    {
                        "conversation": row.sender_id,
                        "state": row.state,
                        "agent": names.get(row.agent_id) if row.agent_id else None,
                        "mine": row.agent_id == agent.agent_id,
                        "channel": row.channel,
                        "waiting_s": int((now - row.queued_at).total_seconds()),
                        "queued_at": row.queued_at.isoformat() + "Z",
                        "asked": asked(events),
                        "facts": facts_of(tracker),
                    }
                )
            return response.json({"conversations": listed})

        async def conversation(_request: Request, agent: SignedIn, sender: str) -> HTTPResponse:
            assert self.handoffs is not None
            held = await self.handoffs.db(lambda session: records.held(session, sender))
            tracker = await self.handoffs.tracker(sender)
            if held is None and not tracker.events:
                return error(404, "Conversazione non trovata.")
            return response.json(
                {
                    "conversation": sender,
                    "state": held.state if held else "assistant",
                    "agent": held.agent_name if held else None,
                    "mine": bool(held and held.agent_id == agent.agent_id),
                    "facts": facts_of(tracker),
                    "lines": [
                        line.__dict__ for line in conversation_lines(session_events(tracker))
                    ],
                    "quick_replies": quick_replies(Language.ITALIAN),
                }
            )

        async def take(_request: Request, agent: SignedIn, sender: str) -> HTTPResponse:
            assert self.handoffs is not None
            if await self.handoffs.take(sender, agent):
                return response.json({"ok": True})
            return error(409, "La conversazione è già stata presa o è terminata.")

        async def reply(request: Request, agent: SignedIn, sender: str) -> HTTPResponse:
            assert self.handoffs is not None
            body = request.json if isinstance(request.json, dict) else {}
            given = body.get("text")
            message = clean_text(given) if isinstance(given, str) else ""
            payloads = checked_payloads(body.get("buttons"))
            if not message or len(message) > MAX_MESSAGE_CHARS or payloads is None:
                return error(400, f"Scrivi un messaggio (al più {MAX_MESSAGE_CHARS} caratteri).")
            if await self.handoffs.reply(sender, agent, message, payloads):
                return response.json({"ok": True})
            return error(409, "Non hai in carico questa conversazione.")

        async def finish(_request: Request, agent: SignedIn, sender: str, how: str) -> HTTPResponse:
            assert self.handoffs is not None
            if await self.handoffs.hand_back(sender, agent, DONE[how]):
                await self.bus.publish("queue")
                return response.json({"ok": True})
            return error(409, "Non hai in carico questa conversazione.")

        async def events(request: Request, agent: SignedIn) -> HTTPResponse:
            stream = await request.respond(
                content_type="text/event-stream",
                headers={**SECURITY_HEADERS, "X-Accel-Buffering": "no"},
            )
            subscription = self.bus.subscribe()
            try:
                await stream.send("retry: 3000\n\n")
                # Sanic's request.transport is asyncio's, typed narrower than it is.
                while not request.transport.is_closing():  # type: ignore[attr-defined]
                    try:
                        kind, data = await asyncio.wait_for(subscription.get(), PING_S)
                    except asyncio.TimeoutError:
                        if await self._signed_in(request) is None:  # signed out or expired
                            break
                        await stream.send(": ping\n\n")
                        continue
                    await stream.send(f"event: {kind}\ndata: {json.dumps(data)}\n\n")
            finally:
                self.bus.unsubscribe(subscription)
            await stream.eof()
            return stream

        console.add_route(signed(sign_out), "/api/sign-out", methods=["POST"])
        console.add_route(signed(me, change=False), "/api/me", methods=["GET"])
        console.add_route(signed(queue, change=False), "/api/queue", methods=["GET"])
        console.add_route(signed(events, change=False), "/api/events", methods=["GET"])
        console.add_route(
            signed(conversation, change=False), "/api/conversations/<sender:str>", methods=["GET"]
        )
        console.add_route(signed(take), "/api/conversations/<sender:str>/take", methods=["POST"])
        console.add_route(signed(reply), "/api/conversations/<sender:str>/reply", methods=["POST"])
        console.add_route(
            signed(finish), "/api/conversations/<sender:str>/<how:(hand-back|close)>",
            methods=["POST"],
        )
        return console


def checked_payloads(value: Any) -> list[str] | None:
    """The quick replies an agent attaches, by payload: only the assistant's own (None:
    refused). Their titles are said in the customer's language when sent."""
    if value in (None, []):
        return []
    allowed = {item["payload"] for item in quick_replies(Language.ITALIAN)}
    if not isinstance(value, list):
        return None
    payloads = [item.get("payload") if isinstance(item, dict) else item for item in value]
    checked = [payload for payload in payloads if isinstance(payload, str) and payload in allowed]
    return checked if len(checked) == len(payloads) else None
