"""The event stream's table and the daily report read from it (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from actions.domain.expiry import ROME
from actions.records.models import ConversationEvent
from ops.daily_report import daily_report, format_report
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


def test_the_daily_report_counts_what_happened_that_day_in_rome(
    sessions: sessionmaker[Session],
) -> None:
    late = datetime(2026, 11, 26, 23, 30, tzinfo=ROME).timestamp()  # 22:30 UTC: still the 26th
    next_day = datetime(2026, 11, 27, 0, 30, tzinfo=ROME).timestamp()
    events = [
        user("a", "vorrei più ram", "request_quote"), action("a", "action_quote"),
        user("b", "Che tempo fa?", "out_of_scope"), action("b", "action_handoff"),
        user("c", "che tempo  fa?", "out_of_scope", late), user("c", "blorp", "nlu_fallback"),
        user("c", "/affirm", "affirm"),
        user("d", "ciao", "greet", next_day), action("d", "action_quote", next_day),
    ]
    with sessions() as session:
        for event in events:
            store_event(session, event)
        report = daily_report(session, DAY)
    assert (report.conversations, report.customer_messages) == (3, 5)
    assert (report.quotes, report.handoffs, report.fallbacks) == (1, 1, 1)
    assert report.fallback_rate == pytest.approx(0.2)
    assert report.unanswered == [("che tempo fa?", 2), ("blorp", 1)]
    text = format_report(report)
    assert "26/11/2026" in text and "2 × che tempo fa?" in text and "20,0%" in text
