from __future__ import annotations

import json
from datetime import datetime

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy import select

from actions import runtime
from actions.domain.expiry import ROME
from actions.handoff import ActionAnswerContacts, ActionHandoff
from actions.records.models import Handoff
from actions.runtime import sessions
from actions.texts import text as said

from .conftest import DOMAIN, MakeTracker

EVENTS = [
    {"event": "user", "text": "vorrei 16 gb di ram", "timestamp": 1795000000},
    {"event": "bot", "text": "Quale servizio vuoi potenziare?", "timestamp": 1795000001},
    {"event": "user", "text": "voglio un operatore", "timestamp": 1795000030},
]


def _handoffs(sender_id: str) -> list[Handoff]:
    with sessions()() as session:
        query = select(Handoff).where(Handoff.sender_id == sender_id)
        return list(session.execute(query).scalars().all())


async def test_in_hours_the_line_is_offered_and_a_transcript_recorded(
    make_tracker: MakeTracker, dispatcher
) -> None:
    tracker = make_tracker(
        "voglio un operatore", intent="human_handoff", sender_id="h-open", events=EVENTS,
        service="ds-pro", addons=["ram-16"],
    )  # fmt: skip
    await ActionHandoff().run(dispatcher, tracker, DOMAIN)
    (message,) = dispatcher.messages
    assert (
        "è aperto ora (aperto fino alle 18:00): puoi chiamare il +39 0575 05077" in message["text"]
    )
    assert "La apro?" in message["text"]
    assert [button["payload"] for button in message["buttons"]] == ["/affirm", "/deny"]
    (handoff,) = _handoffs("h-open")
    assert handoff.reason == "human_handoff" and handoff.support_request_id is None
    assert "Servizio: Server Dedicato Pro" in handoff.transcript_text
    assert "Cliente: voglio un operatore" in handoff.transcript_text


@pytest.mark.parametrize(
    ("moment", "phrase"),
    [
        (datetime(2026, 11, 28, 11, 0, tzinfo=ROME), "ora è chiuso: riapre lunedì alle 8:30"),
        (datetime(2026, 11, 26, 20, 0, tzinfo=ROME), "ora è chiuso: riapre domani alle 8:30"),
    ],
)
async def test_out_of_hours_it_says_when_the_line_reopens(
    make_tracker, dispatcher, monkeypatch, moment: datetime, phrase: str
) -> None:
    monkeypatch.setattr("actions.runtime.now", lambda: moment)
    tracker = make_tracker("la mia pec non va", intent="out_of_scope", sender_id="h-closed")
    await ActionHandoff().run(dispatcher, tracker, DOMAIN)
    text = dispatcher.messages[0]["text"]
    assert phrase in text and "assistenza.aruba.it" in text and "La apro?" in text
    assert _handoffs("h-closed")[-1].reason == "out_of_scope"


async def test_a_database_that_is_down_still_gets_the_customer_an_answer(
    make_tracker, dispatcher, monkeypatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite:////nonexistent/dir/records.db")
    await ActionHandoff().run(dispatcher, make_tracker(intent="human_handoff"), DOMAIN)
    assert "+39 0575 05077" in dispatcher.messages[0]["text"]


async def test_contacts_say_whether_the_line_is_open(make_tracker, dispatcher, monkeypatch) -> None:
    await ActionAnswerContacts().run(dispatcher, make_tracker(intent="ask_contacts"), DOMAIN)
    assert "è aperto ora" in dispatcher.messages[0]["text"]
    assert dispatcher.messages[0]["buttons"] == []
    monkeypatch.setattr("actions.runtime.now", lambda: datetime(2026, 12, 25, 9, 0, tzinfo=ROME))
    await ActionAnswerContacts().run(dispatcher, make_tracker(intent="ask_contacts"), DOMAIN)
    closed = dispatcher.messages[1]
    assert "riapre lunedì alle 8:30" in closed["text"] and len(closed["buttons"]) == 2


async def test_the_transcript_holds_the_stored_turns_and_the_one_rasa_sent(
    make_tracker: MakeTracker, dispatcher
) -> None:
    """The Rasa server sends an action only the current turn; the earlier turns of the
    session come from the store, and an older session stays out, as in Rasa's tracker."""
    engine = runtime.engine()
    SQLTrackerStore.SQLEvent.__table__.create(engine, checkfirst=True)
    stored = [
        {"event": "user", "text": "una sessione di ieri", "timestamp": 1794900000},
        {"event": "session_started", "timestamp": 1794999999},
        *EVENTS[:2],
    ]
    with engine.begin() as connection:
        for event in stored:
            connection.execute(SQLTrackerStore.SQLEvent.__table__.insert().values(
                sender_id="h-whole", type_name=event["event"], timestamp=event["timestamp"],
                data=json.dumps(event),
            ))
    tracker = make_tracker("voglio un operatore", intent="human_handoff", sender_id="h-whole",
                           events=EVENTS[2:])
    await ActionHandoff().run(dispatcher, tracker, DOMAIN)
    (handoff,) = _handoffs("h-whole")
    lines = handoff.transcript_text.split("CONVERSAZIONE")[1]
    assert "Cliente: vorrei 16 gb di ram" in lines
    assert "Assistente: Quale servizio vuoi potenziare?" in lines
    assert lines.index("vorrei 16 gb") < lines.index("voglio un operatore")
    assert "una sessione di ieri" not in lines
    assert lines.count("voglio un operatore") == 1


# --- a person in the same chat (the live handoff) -------------------------------------

LIVE_EVENTS = [{**event, "input_channel": "socketio"} if event["event"] == "user" else event
               for event in EVENTS]


def _live(sender_id: str) -> list[tuple[str, str]]:
    from actions.records.models import LiveHandoff

    with sessions()() as session:
        query = select(LiveHandoff).where(LiveHandoff.sender_id == sender_id)
        return [(row.state, row.channel) for row in session.execute(query).scalars()]


async def test_with_an_agent_at_the_console_the_customer_waits_in_the_chat(
    make_tracker: MakeTracker, dispatcher, agent_present: None
) -> None:
    tracker = make_tracker("voglio un operatore", intent="human_handoff", sender_id="live-1",
                           events=LIVE_EVENTS, service="ds-pro", addons=["ram-16"],
                           active_loop=None)
    events = await ActionHandoff().run(dispatcher, tracker, DOMAIN)
    assert events == [{"event": "pause", "timestamp": None}]  # the support form does not start
    (message,) = dispatcher.messages
    assert "sei il n. 1 in coda" in message["text"] and not message["buttons"]
    assert _live("live-1") == [("queued", "socketio")]
    assert _handoffs("live-1")[0].transcript_text  # the transcript is kept for the agent too


@pytest.mark.parametrize(
    ("why", "moment", "channel"),
    [
        ("outside the line's hours", datetime(2026, 11, 28, 11, 0, tzinfo=ROME), "socketio"),
        ("a channel that cannot carry an agent's reply later", None, "rest"),
    ],
)
async def test_no_person_in_the_chat_when_it_cannot_be(
    make_tracker, dispatcher, monkeypatch, agent_present: None, why: str,
    moment: datetime | None, channel: str,
) -> None:
    if moment:
        monkeypatch.setattr("actions.runtime.now", lambda: moment)
    events = [{**event, "input_channel": channel} if event["event"] == "user" else event
              for event in EVENTS]
    sender = f"live-no-{channel}"
    tracker = make_tracker("voglio un operatore", intent="human_handoff", sender_id=sender,
                           events=events)
    assert await ActionHandoff().run(dispatcher, tracker, DOMAIN) == [], why
    assert "La apro?" in dispatcher.messages[0]["text"]
    assert _live(sender) == []


async def test_nobody_at_the_console_gets_the_support_request_offered(
    make_tracker, dispatcher
) -> None:
    tracker = make_tracker("voglio un operatore", intent="human_handoff", sender_id="live-none",
                           events=LIVE_EVENTS)
    assert await ActionHandoff().run(dispatcher, tracker, DOMAIN) == []
    assert "La apro?" in dispatcher.messages[0]["text"]
    assert _live("live-none") == []


async def test_after_nobody_took_it_in_time_the_support_request_is_offered(
    make_tracker, dispatcher, agent_present: None
) -> None:
    from actions.records import live_handoff as live

    with sessions()() as session:
        live.enqueue(session, sender_id="live-late", channel="socketio", reason="human_handoff",
                     now=live.utc_now())
        held = live.held(session, "live-late")
        assert held is not None
        live.end(session, held.id, live.UNANSWERED, live.utc_now())
        session.commit()
    tracker = make_tracker("EXTERNAL: human_handoff", intent="human_handoff",
                           sender_id="live-late", events=LIVE_EVENTS)
    assert await ActionHandoff().run(dispatcher, tracker, DOMAIN) == []
    message = dispatcher.messages[0]["text"]
    assert message.startswith("Mi dispiace, nessun operatore si è liberato in tempo.")
    assert "La apro?" in message
    assert _live("live-late") == [("unanswered", "socketio")]  # not queued again


async def test_out_of_scope_with_an_agent_at_hand_offers_a_person_too(
    make_tracker, dispatcher, agent_present: None
) -> None:
    tracker = make_tracker("la mia pec non funziona", intent="out_of_scope", sender_id="live-oos",
                           events=LIVE_EVENTS)
    assert await ActionHandoff().run(dispatcher, tracker, DOMAIN) == []
    (message,) = dispatcher.messages
    assert message["text"].endswith(said("part_offer_person")) and "La apro?" in message["text"]
    assert [b["payload"] for b in message["buttons"]] == ["/affirm", "/deny", "/human_handoff"]
    assert _live("live-oos") == []  # offered, not queued


async def test_out_of_scope_with_nobody_at_hand_offers_the_request_alone(
    make_tracker, dispatcher
) -> None:
    tracker = make_tracker("la mia pec non funziona", intent="out_of_scope",
                           sender_id="live-oos-none", events=LIVE_EVENTS)
    await ActionHandoff().run(dispatcher, tracker, DOMAIN)
    assert said("part_offer_person") not in dispatcher.messages[0]["text"]
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["/affirm", "/deny"]


async def test_a_person_asked_for_at_the_support_requests_offer_ends_the_form(
    make_tracker, dispatcher, agent_present: None
) -> None:
    """Out of scope, a person was offered beside the request; "Parla con una persona"."""
    tracker = make_tracker("/human_handoff", intent="human_handoff", sender_id="live-form",
                           events=LIVE_EVENTS, active_loop="support_form",
                           requested_slot="support_wanted")
    events = await ActionHandoff().run(dispatcher, tracker, DOMAIN)
    assert events == [
        {"event": "active_loop", "name": None, "timestamp": None},
        {"event": "slot", "name": "requested_slot", "value": None, "timestamp": None},
        {"event": "pause", "timestamp": None},
    ]
    assert "sei il n. 1 in coda" in dispatcher.messages[0]["text"]
