"""The event stream's table, and the daily report read from it or, under `make run`, from
Rasa's tracker table (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from actions.domain.expiry import ROME
from actions.records.models import ConversationEvent
from ops.daily_report import DailyReport, daily_report, format_report
from ops.event_stream import NotAnEventError, event_row, store_event, store_events

DAY = date(2026, 11, 26)
NOON = datetime(2026, 11, 26, 12, 0, tzinfo=ROME).timestamp()


def user(sender: str, text: str, intent: str, at: float = NOON) -> dict[str, object]:
    return {"event": "user", "sender_id": sender, "timestamp": at, "text": text,
            "parse_data": {"intent": {"name": intent, "confidence": 0.9}}}


def action(sender: str, name: str, at: float = NOON) -> dict[str, object]:
    return {"event": "action", "sender_id": sender, "timestamp": at, "name": name}


def test_a_redelivered_event_is_stored_once(sessions: sessionmaker[Session]) -> None:
    event = user("a", "ciao", "greet")
    with sessions() as session:
        assert store_event(session, event) is True
        assert store_event(session, dict(event)) is False  # the same event, delivered again
        # Same time, other content: another event.
        assert store_event(session, user("a", "salve", "greet")) is True
        assert session.execute(select(func.count(ConversationEvent.id))).scalar() == 2


def test_a_batch_is_stored_once_each_whatever_came_twice(
    sessions: sessionmaker[Session],
) -> None:
    first, second = user("a", "ciao", "greet"), action("a", "action_greet")
    with sessions() as session:
        assert store_event(session, first) is True
        # The first again (a redelivery), the second twice in the same batch, one new.
        batch = [first, second, dict(second), user("b", "salve", "greet")]
        assert store_events(session, [event_row(event) for event in batch]) == 2
        assert store_events(session, []) == 0
        stored = session.execute(select(ConversationEvent.sender_id, ConversationEvent.event_type))
        assert sorted(stored.all()) == [("a", "action"), ("a", "user"), ("b", "user")]


@pytest.mark.parametrize("body", [[], "x", {"event": "user"}, {"sender_id": "a"}])
def test_what_is_not_an_event_is_refused(sessions: sessionmaker[Session], body: object) -> None:
    with sessions() as session, pytest.raises(NotAnEventError):
        store_event(session, body)


LATE = datetime(2026, 11, 26, 23, 30, tzinfo=ROME).timestamp()  # 22:30 UTC: still the 26th
NEXT_DAY = datetime(2026, 11, 27, 0, 30, tzinfo=ROME).timestamp()
EVENTS = [
    user("a", "vorrei più ram", "request_quote"), action("a", "action_quote"),
    user("b", "Che tempo fa?", "out_of_scope"), action("b", "action_handoff"),
    user("c", "che tempo  fa?", "out_of_scope", LATE), user("c", "blorp", "nlu_fallback"),
    user("c", "/affirm", "affirm"),
    user("d", "ciao", "greet", NEXT_DAY), action("d", "action_quote", NEXT_DAY),
]
RASA_EVENTS = SQLTrackerStore.SQLEvent.__table__  # Rasa's own table, as Rasa creates it


@pytest.fixture
def rasa_table(sessions: sessionmaker[Session]) -> Iterator[Engine]:
    bound: Engine = sessions.kw["bind"]
    RASA_EVENTS.drop(bound, checkfirst=True)  # an assistant a test ran may have left it
    RASA_EVENTS.create(bound)
    yield bound
    RASA_EVENTS.drop(bound)


def _in_rasas_table(engine: Engine, event: dict[str, object]) -> None:
    """An event as Rasa's SQL tracker store writes it."""
    parse_data = event.get("parse_data")
    intent = parse_data["intent"]["name"] if isinstance(parse_data, dict) else None
    with engine.begin() as connection:
        connection.execute(RASA_EVENTS.insert().values(
            sender_id=event["sender_id"], type_name=event["event"],
            timestamp=event["timestamp"], intent_name=intent,
            action_name=event.get("name"), data=json.dumps(event),
        ))  # fmt: skip


def _assert_the_day(report: DailyReport) -> None:
    assert (report.conversations, report.customer_messages) == (3, 5)
    assert (report.quotes, report.handoffs, report.fallbacks) == (1, 1, 1)
    assert report.fallback_rate == pytest.approx(0.2)
    assert report.unanswered == [("che tempo fa?", 2), ("blorp", 1)]


def test_the_daily_report_counts_what_happened_that_day_in_rome(
    sessions: sessionmaker[Session],
) -> None:
    with sessions() as session:
        for event in EVENTS:
            store_event(session, event)
        report = daily_report(session, DAY)
    assert report.source == "stream"
    _assert_the_day(report)
    text = format_report(report)
    assert "26/11/2026" in text and "2 × che tempo fa?" in text and "20,0%" in text
    assert "flusso degli eventi" in text


def test_under_make_run_the_report_reads_rasas_conversations(
    sessions: sessionmaker[Session], rasa_table: Engine
) -> None:
    # make run has no event stream: the day is only in Rasa's tracker table
    for event in EVENTS:
        _in_rasas_table(rasa_table, event)
    with sessions() as session:
        report = daily_report(session, DAY)
    assert report.source == "tracker"
    _assert_the_day(report)
    assert "conversazioni di Rasa" in format_report(report)


def test_a_day_nothing_happened_is_zero_wherever_it_looks(sessions: sessionmaker[Session]) -> None:
    with sessions() as session:  # no stream, and Rasa never ran: no table of its own
        report = daily_report(session, DAY)
    assert (report.conversations, report.quotes, report.unanswered) == (0, 0, [])
