"""The daily report for the support manager: how many conversations, quotes and handoffs,
how often the assistant did not understand, what people asked that it could not answer, and
how the conversations handed to an agent in the chat (the live handoff) went.

Read from the event stream's table when it holds the day (the cluster profile's consumer
fills it), else from Rasa's own tracker table, where `make run` keeps the conversations. The
live handoff's figures come from the records' `live_handoffs` table."""

from __future__ import annotations

import json
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from babel.numbers import format_percent
from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session

from actions.domain.day_format import format_day
from actions.domain.expiry import ROME
from actions.records.conversations import RASA_EVENTS
from actions.records.live_handoff import CANCELLED, UNANSWERED
from actions.records.models import AgentAccount, ConversationEvent, LiveHandoff

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
class LiveHandoffFigures:
    """The day's conversations handed to an agent in the chat (`live_handoffs`)."""

    handed: int  # queued for an agent that day
    wait_median: float | None  # seconds from queued to taken, over those taken; None: none
    wait_p90: float | None
    cancelled: int  # the customer gave up while waiting
    unanswered: int  # nobody took it within the wait
    by_agent: list[tuple[str, int]]  # agent's name, conversations taken; most first


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
    live: LiveHandoffFigures

    @property
    def fallback_rate(self) -> float:
        return self.fallbacks / self.customer_messages if self.customer_messages else 0.0


def _day_bounds(day: date) -> tuple[float, float]:
    start = datetime.combine(day, time(0), tzinfo=ROME)
    return start.timestamp(), (start + timedelta(days=1)).timestamp()


def _utc_day_bounds(day: date) -> tuple[datetime, datetime]:
    """The same day as `_day_bounds`, as the records store times: naive UTC."""
    start, end = _day_bounds(day)
    return _naive_utc(start), _naive_utc(end)


def _naive_utc(moment: float) -> datetime:
    return datetime.fromtimestamp(moment, timezone.utc).replace(tzinfo=None)


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


@dataclass(frozen=True)
class HandoffRow:
    """One row of `live_handoffs`, with the name of the agent who took it (naive UTC)."""

    state: str
    queued_at: datetime
    taken_at: datetime | None = None
    agent_id: int | None = None
    agent_name: str | None = None


def _p90(values: Sequence[float]) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=10, method="inclusive")[-1]


def live_handoff_figures(rows: Sequence[HandoffRow], day: date) -> LiveHandoffFigures:
    """The figures of the conversations queued for an agent on `day` in Rome; rows of other
    days are left out. Waits and agents count the conversations taken."""
    start, end = _utc_day_bounds(day)
    handed = [row for row in rows if start <= row.queued_at < end]
    # Times come from the servers' clocks: a wait below zero is a clock's skew, not a wait.
    waits = [
        max(0.0, (row.taken_at - row.queued_at).total_seconds())
        for row in handed
        if row.taken_at is not None
    ]
    agents = Counter(
        row.agent_name or f"operatore n. {row.agent_id}"
        for row in handed
        if row.agent_id is not None
    )
    return LiveHandoffFigures(
        handed=len(handed),
        wait_median=statistics.median(waits) if waits else None,
        wait_p90=_p90(waits) if waits else None,
        cancelled=sum(row.state == CANCELLED for row in handed),
        unanswered=sum(row.state == UNANSWERED for row in handed),
        by_agent=sorted(agents.items(), key=lambda item: (-item[1], item[0])),
    )


def _handoff_rows(session: Session, day: date) -> list[HandoffRow]:
    # A database from before the live handoff (migration 0004) has no such table.
    if not inspect(session.get_bind()).has_table(LiveHandoff.__tablename__):
        return []
    start, end = _utc_day_bounds(day)
    rows = session.execute(
        select(
            LiveHandoff.state,
            LiveHandoff.queued_at,
            LiveHandoff.taken_at,
            LiveHandoff.agent_id,
            AgentAccount.name,
        )
        .outerjoin(AgentAccount, AgentAccount.id == LiveHandoff.agent_id)
        .where(LiveHandoff.queued_at >= start, LiveHandoff.queued_at < end)
    ).all()
    return [HandoffRow(*row) for row in rows]


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
        live=live_handoff_figures(_handoff_rows(session, day), day),
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
    return "\n".join(lines + _live_handoff_lines(report.live))


def format_wait(seconds: float | None) -> str:
    """`42 s` under a minute, else `m:ss`; `—` when nothing was taken."""
    if seconds is None:
        return "—"
    whole = int(seconds + 0.5)
    return f"{whole} s" if whole < 60 else f"{whole // 60}:{whole % 60:02d}"


def _live_handoff_lines(live: LiveHandoffFigures) -> list[str]:
    lines = [
        f"Chat a un operatore:     {live.handed}",
        f"  Attesa mediana / p90:  {format_wait(live.wait_median)} / {format_wait(live.wait_p90)}",
        f"  Abbandonate in attesa: {live.cancelled}",
        f"  Non prese in tempo:    {live.unanswered}",
        "  Prese da ciascun operatore:",
    ]
    if not live.by_agent:
        lines.append("    (nessuno)")
    lines += [f"    {count:>4} × {name}" for name, count in live.by_agent]
    return lines
