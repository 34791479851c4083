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
