"""The live handoff inside the Rasa server: while a person holds a conversation (queued or
taken, actions/records/live_handoff.py) the channels keep it away from Rasa's dialogue.

A paused Rasa tracker still runs NLU, `action_extract_slots` and the slot updates on every
message; so a held conversation's messages never reach `Agent.handle_message`. They are
read by the NLU model (so the transcript and the report know what was asked) and appended
to the tracker under the conversation's lock, which is what the event stream, the
transcripts and the report read. An agent's messages are stored as bot messages with
`metadata.agent`, and sent through the customer's own channel. Handing back resumes the
tracker, says so, and leaves it listening: the quote draft (the slots) is untouched.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any, TypeVar

from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel, UserMessage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    ConversationResumed,
    Event,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.orm import Session, sessionmaker

from actions.domain.language import SLOT, Language, parse
from actions.domain.register import in_register
from actions.domain.transcripts import conversation_lines
from actions.records import live_handoff as records
from actions.records.agents import SignedIn
from actions.replies import CONTACT_BUTTONS, Button, button
from actions.support_replies import CONFIRM_BUTTONS
from actions.texts import speaking_in, text

from .console_bus import ConsoleBus

logger = logging.getLogger(__name__)
Result = TypeVar("Result")

WAIT_ENV = "HANDOFF_WAIT_S"
DEFAULT_WAIT_S = 180
# How often the Rasa server looks for conversations nobody took in time.
SWEEP_S = 5.0
# "lascia stare" while waiting: the customer no longer wants a person.
CANCEL_INTENTS = {"stop"}
CANCEL_CONFIDENCE = 0.6
# The intent the assistant answers when nobody took the conversation: the usual handoff
# action, which then finds the unanswered handoff and offers the support request.
UNANSWERED_INTENT = records.HANDOFF_INTENT
WIDGET_CHANNEL = "socketio"
ASSISTANT = "assistant"  # the widget's word for "no person holds it"


def wait_from_env() -> timedelta:
    return timedelta(seconds=float(os.environ.get(WAIT_ENV) or DEFAULT_WAIT_S))


def said(key: str, tracker: DialogueStateTracker, **values: Any) -> str:
    """A text of domain.yml in the conversation's language and register."""
    slots = tracker.current_slot_values()
    italian = parse(slots.get(SLOT)) is Language.ITALIAN
    return in_register(text(key, slots, **values), slots.get("register"), italian)


def quick_replies(language: Language) -> list[Button]:
    """The assistant's own buttons an agent may attach to a reply, titled in `language`."""
    with speaking_in(language):
        order = button("part_button_order", "/ask_order_procedure")
        return [*CONFIRM_BUTTONS, *CONTACT_BUTTONS, order]


def line_of(event: Event) -> dict[str, Any] | None:
    """How the console shows one event (None: not a message)."""
    lines = conversation_lines([event.as_dict()])
    return asdict(lines[0]) if lines else None


class LiveHandoffs:
    """The Rasa server's side: the channels ask `intercept` before handing a message to
    Rasa; the console asks for the rest. `app` is the Rasa server's Sanic app."""

    def __init__(
        self,
        app: Any,
        bus: ConsoleBus,
        sessions: sessionmaker[Session],
        wait: timedelta,
    ) -> None:
        self.app = app
        self.bus = bus
        self.sessions = sessions
        self.wait = wait

    # -- the database, off the event loop --------------------------------------------
    def _in_session(self, work: Callable[[Session], Result]) -> Result:
        with self.sessions() as session:
            result = work(session)
            session.commit()
            return result

    async def db(self, work: Callable[[Session], Result]) -> Result:
        return await asyncio.to_thread(self._in_session, work)

    # -- Rasa ---------------------------------------------------------------------------
    @property
    def _agent(self) -> Any:
        return self.app.ctx.agent

    def output(self, channel: str) -> OutputChannel:
        """The customer's channel, as Rasa's API finds it for `output_channel`."""
        for input_channel in getattr(self.app.ctx, "input_channels", []):
            if input_channel.name() == channel:
                found = input_channel.get_output_channel()
                if found is not None:
                    return found
        logger.warning("no output channel %r: the message is stored, not delivered", channel)
        return CollectingOutputChannel()

    async def tell_widget(self, channel: str, sender_id: str, state: str) -> None:
        """The web widget is told who answers ("queued", "taken", "assistant"), so that it
        waits for a person without its "typing" and its time-out; other channels have the
        texts alone."""
        if channel == WIDGET_CHANNEL:
            output = self.output(channel)
            await output.send_custom_json(sender_id, {"data": {"handoff": state}})

    async def tracker(self, sender_id: str) -> DialogueStateTracker:
        tracker: DialogueStateTracker = await self._agent.processor.get_tracker(sender_id)
        return tracker

    async def _save(self, tracker: DialogueStateTracker) -> None:
        await self._agent.processor.save_tracker(tracker)

    def _lock(self, sender_id: str) -> Any:
        return self._agent.lock_store.lock(sender_id)

    # -- the channels' side -------------------------------------------------------------
    async def intercept(
        self,
        sender_id: str,
        text_: str,
        metadata: dict[str, Any] | None,
        input_channel: str,
        output: OutputChannel,
    ) -> bool:
        """True when the conversation is held: the message is kept for the agent (or, while
        queued, cancels the wait) and Rasa's dialogue must not see it."""
        held = await self.db(lambda session: records.held(session, sender_id))
        if held is None:
            return False
        message = UserMessage(
            text_, output, sender_id, input_channel=input_channel, metadata=metadata
        )
        async with self._lock(sender_id):
            # Read again under the lock: an agent may have handed back meanwhile.
            held = await self.db(lambda session: records.held(session, sender_id))
            if held is None:
                return False
            tracker = await self.tracker(sender_id)
            parsed = await self._agent.processor.parse_message(message, tracker)
            user = UserUttered(
                text_,
                parsed.get("intent"),
                parsed.get("entities"),
                parsed,
                input_channel=input_channel,
                message_id=message.message_id,
                metadata=metadata,
            )
            tracker.update(user)
            if held.state == records.QUEUED and self._cancels(parsed):
                cancelled = await self.db(
                    lambda session: records.end(
                        session,
                        held.id,
                        records.CANCELLED,
                        records.utc_now(),
                        from_states=(records.QUEUED,),
                    )
                )
                if cancelled:
                    reply = self._resume(tracker, "part_handoff_cancelled")
                    await self._save(tracker)
                    await self.tell_widget(held.channel, sender_id, ASSISTANT)
                    await output.send_text_message(sender_id, reply)
                    await self.bus.publish("ended", {"conversation": sender_id})
                    return True
            await self._save(tracker)
        await self.bus.publish("message", {"conversation": sender_id, "line": line_of(user)})
        return True

    @staticmethod
    def _cancels(parsed: dict[str, Any]) -> bool:
        intent = parsed.get("intent") or {}
        return (
            intent.get("name") in CANCEL_INTENTS
            and float(intent.get("confidence") or 0) >= CANCEL_CONFIDENCE
        )

    async def after_assistant(self, sender_id: str) -> None:
        """After the assistant answered: a conversation it has just queued is news."""
        held = await self.db(lambda session: records.held(session, sender_id))
        if held is not None:
            await self.tell_widget(held.channel, sender_id, records.QUEUED)
            await self.bus.publish("queue")

    # -- the console's side -------------------------------------------------------------
    async def take(self, sender_id: str, agent: SignedIn) -> bool:
        held = await self.db(lambda session: records.held(session, sender_id))
        if held is None or held.state != records.QUEUED:
            return False
        won = await self.db(
            lambda session: records.take(session, held.id, agent.agent_id, records.utc_now())
        )
        if won:
            await self.tell_widget(held.channel, sender_id, records.TAKEN)
            async with self._lock(sender_id):
                tracker = await self.tracker(sender_id)
                await self._say_as_agent(
                    tracker, held.channel, said("part_handoff_taken", tracker, agent=agent.name),
                    [], agent,
                )
            await self.bus.publish("queue")
        return won

    async def reply(
        self, sender_id: str, agent: SignedIn, message: str, payloads: list[str]
    ) -> bool:
        """The agent's message to the customer, with the quick replies of these payloads;
        False unless this agent holds the conversation."""
        held = await self.db(lambda session: records.held(session, sender_id))
        if held is None or held.state != records.TAKEN or held.agent_id != agent.agent_id:
            return False
        async with self._lock(sender_id):
            tracker = await self.tracker(sender_id)
            language = parse(tracker.get_slot(SLOT))
            titled = {item["payload"]: item for item in quick_replies(language)}
            buttons = [
                {"title": titled[payload]["title"], "payload": payload} for payload in payloads
            ]
            await self._say_as_agent(tracker, held.channel, message, buttons, agent)
        return True

    async def _say_as_agent(
        self,
        tracker: DialogueStateTracker,
        channel: str,
        message: str,
        buttons: list[dict[str, str]],
        agent: SignedIn,
    ) -> None:
        bot = BotUttered(
            message, {"buttons": buttons} if buttons else {}, {"agent": agent.name}
        )
        tracker.update(bot)
        await self._save(tracker)
        sent: dict[str, Any] = {"text": message}
        if buttons:
            sent["buttons"] = buttons
        await self.output(channel).send_response(tracker.sender_id, sent)
        await self.bus.publish(
            "message", {"conversation": tracker.sender_id, "line": line_of(bot)}
        )

    async def hand_back(self, sender_id: str, agent: SignedIn, state: str) -> bool:
        """The agent hands back (`returned`) or closes (`closed`): the assistant answers again."""
        held = await self.db(lambda session: records.held(session, sender_id))
        if held is None or held.state != records.TAKEN or held.agent_id != agent.agent_id:
            return False
        ended = await self.db(
            lambda session: records.end(
                session, held.id, state, records.utc_now(), agent_id=agent.agent_id
            )
        )
        if not ended:
            return False
        async with self._lock(sender_id):
            tracker = await self.tracker(sender_id)
            reply = self._resume(tracker, "part_handoff_back")
            await self._save(tracker)
        await self.tell_widget(held.channel, sender_id, ASSISTANT)
        await self.output(held.channel).send_text_message(sender_id, reply)
        await self.bus.publish("ended", {"conversation": sender_id})
        return True

    @staticmethod
    def _resume(tracker: DialogueStateTracker, key: str) -> str:
        """Resume the tracker with the assistant's words, listening: the next message is
        predicted as after any answer of the assistant, the slots as they were."""
        reply = said(key, tracker)
        tracker.update(ConversationResumed())
        tracker.update(BotUttered(reply, {}, {}))
        tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
        return reply

    async def expire(self) -> int:
        """Conversations nobody took within the wait: the assistant offers the support
        request (through the handoff action, which finds the handoff unanswered)."""
        now = records.utc_now()
        overdue = await self.db(lambda session: records.overdue(session, now, self.wait))
        expired = 0
        for held in overdue:
            won = await self.db(functools.partial(self._unanswered, held.id, now))
            if not won:
                continue  # another server, or an agent, was quicker
            expired += 1
            await self.tell_widget(held.channel, held.sender_id, ASSISTANT)
            async with self._lock(held.sender_id):
                tracker = await self.tracker(held.sender_id)
                tracker.update(ConversationResumed())
                tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
                await self._agent.processor.trigger_external_user_uttered(
                    UNANSWERED_INTENT, None, tracker, self.output(held.channel)
                )
            await self.bus.publish("ended", {"conversation": held.sender_id})
        if expired:
            await self.bus.publish("queue")
        return expired

    @staticmethod
    def _unanswered(handoff_id: int, now: datetime, session: Session) -> bool:
        return records.end(
            session, handoff_id, records.UNANSWERED, now, from_states=(records.QUEUED,)
        )

    async def sweep_forever(self) -> None:
        while True:
            await asyncio.sleep(SWEEP_S)
            try:
                await self.expire()
            except Exception:
                logger.exception("live handoff: the unanswered conversations were not swept")


_installed: LiveHandoffs | None = None


def install(handoffs: LiveHandoffs | None) -> None:
    """The Rasa server's live handoff (the console channel installs it when it starts)."""
    global _installed
    _installed = handoffs


def installed() -> LiveHandoffs | None:
    return _installed
