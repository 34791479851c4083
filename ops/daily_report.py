"""The daily report for the support manager: how many conversations, quotes and handoffs,
how often the assistant did not understand, and what people asked that it could not answer.

Read from the event stream's table when it holds the day (the cluster profile's consumer
fills it), else from Rasa's own tracker table, where `make run` keeps the conversations."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from babel.numbers import format_percent
from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session

from actions.domain.day_format import format_day
from actions.domain.expiry import ROME
from actions.records.conversations import RASA_EVENTS
from actions.records.models import ConversationEvent

QUOTE_ACTION = "action_quote"
HANDOFF_ACTION = "action_handoff"
# Messages the assistant could not answer itself: not understood, or out of its scope.
UNANSWERED_INTENTS = {"nlu_fallback", "out_of_scope"}
# What the report says it read (for the support manager, in Italian like the report).
SOURCES = {
    "stream": "flusso degli eventi (conversation_events)",
    "tracker": "conversazioni di Rasa (events)",
}


@dataclass(frozen=True)
class DailyReport:
    day: date
    source: str  # "stream" or "tracker"
    conversations: int
    customer_messages: int
    quotes: int
    handoffs: int
    fallbacks: int
    unanswered: list[tuple[str, int]]

    @property
    def fallback_rate(self) -> float:
        return self.fallbacks / self.customer_messages if self.customer_messages else 0.0


def _day_bounds(day: date) -> tuple[float, float]:
    start = datetime.combine(day, time(0), tzinfo=ROME)
    return start.timestamp(), (start + timedelta(days=1)).timestamp()


def _normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())


@dataclass(frozen=True)
class _Row:
    sender_id: str
    event_type: str
    action_name: str | None
    intent: str | None
    text: str | None


def _stream_rows(session: Session, start: float, end: float) -> list[_Row]:
    rows = session.execute(
        select(
            ConversationEvent.sender_id,
            ConversationEvent.event_type,
            ConversationEvent.action_name,
            ConversationEvent.intent,
            ConversationEvent.text,
        ).where(ConversationEvent.timestamp >= start, ConversationEvent.timestamp < end)
    ).all()
    return [_Row(*row) for row in rows]


def _tracker_rows(session: Session, start: float, end: float) -> list[_Row]:
    if not inspect(session.get_bind()).has_table(RASA_EVENTS):  # Rasa never ran here
        return []
    rows = session.execute(
        text(
            f"SELECT sender_id, type_name, action_name, intent_name, data FROM {RASA_EVENTS}"
            " WHERE timestamp >= :start AND timestamp < :end"
        ),
        {"start": start, "end": end},
    ).all()
    return [
        _Row(sender, kind, action, intent, json.loads(data).get("text") if kind == "user" else None)
        for sender, kind, action, intent, data in rows
    ]


def daily_report(session: Session, day: date, top: int = 10) -> DailyReport:
    start, end = _day_bounds(day)
    rows, source = _stream_rows(session, start, end), "stream"
    if not rows:
        rows, source = _tracker_rows(session, start, end), "tracker"
    user = [row for row in rows if row.event_type == "user"]
    # Button payloads ("/inform{…}") are not things people typed.
    typed = [row for row in user if row.text and not row.text.startswith("/")]
    unanswered = Counter(
        _normalised(row.text or "") for row in typed if row.intent in UNANSWERED_INTENTS
    )
    return DailyReport(
        day=day,
        source=source,
        conversations=len({row.sender_id for row in user}),
        customer_messages=len(user),
        quotes=sum(row.event_type == "action" and row.action_name == QUOTE_ACTION for row in rows),
        handoffs=sum(
            row.event_type == "action" and row.action_name == HANDOFF_ACTION for row in rows
        ),
        fallbacks=sum(row.intent == "nlu_fallback" for row in user),
        unanswered=unanswered.most_common(top),
    )


def _percent(rate: float) -> str:
    return format_percent(rate, "#,##0.0%", locale="it_IT")  # Italian: 20,0%


def format_report(report: DailyReport) -> str:
    lines = [
        f"Report dell'assistente upgrade — {format_day(report.day)}",
        f"Letto da:                {SOURCES[report.source]}",
        f"Conversazioni:           {report.conversations}",
        f"Messaggi dei clienti:    {report.customer_messages}",
        f"Preventivi dati:         {report.quotes}",
        f"Passaggi a una persona:  {report.handoffs}",
        f"Non capiti (fallback):   {report.fallbacks} ({_percent(report.fallback_rate)})",
        "Messaggi più frequenti a cui non ha saputo rispondere:",
    ]
    if not report.unanswered:
        lines.append("  (nessuno)")
    lines += [f"  {count:>4} × {text}" for text, count in report.unanswered]
    return "\n".join(lines)
