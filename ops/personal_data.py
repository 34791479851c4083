"""What is held about a customer, and how it goes: conversations purged after their
retention, one customer's data erased or exported on request.

A conversation's words are in Rasa's tracker table (`events`), in the event stream's table
(`conversation_events`, cluster profile), in the handoffs' transcripts and in the support
requests; quotes hold figures only. Every change is a short transaction of at most `batch`
conversations, so the assistant keeps serving while it runs (a conversation still going on
has recent events and is never purged)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import MetaData, delete, func, inspect, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session
from sqlalchemy.sql.schema import Table

from actions.records.agents import purge_sessions
from actions.records.conversations import RASA_EVENTS
from actions.records.models import (
    ConversationEvent,
    Erasure,
    Handoff,
    LiveHandoff,
    QuoteRecord,
    SupportRequest,
)
from actions.records.repository import utc_naive

RETENTION_DAYS = 180
REQUEST_RETENTION_DAYS = 730
BATCH = 500

STREAM: Table = ConversationEvent.__table__
REQUESTS: Table = SupportRequest.__table__
HANDOFFS: Table = Handoff.__table__
LIVE_HANDOFFS: Table = LiveHandoff.__table__
QUOTES: Table = QuoteRecord.__table__
ERASURES: Table = Erasure.__table__


def _rasa_events(engine: Engine) -> Table | None:
    """Rasa's table, reflected: absent until Rasa has stored a first conversation."""
    if not inspect(engine).has_table(RASA_EVENTS):
        return None
    return Table(RASA_EVENTS, MetaData(), autoload_with=engine)


@dataclass
class Removed:
    """Rows removed (or emptied of their words) per table."""

    rows: Counter[str] = field(default_factory=Counter)
    conversations: int = 0
    requests_cancelled: int = 0

    def total(self) -> int:
        return sum(self.rows.values())

    def lines(self) -> list[str]:
        return [f"{table}: {count}" for table, count in sorted(self.rows.items()) if count]


def _stale_conversations(
    connection: Connection, tables: Sequence[Table], cutoff: float, batch: int
) -> list[str]:
    """Up to `batch` conversations whose last event in any table is older than `cutoff`."""
    found: set[str] = set()
    for table in tables:
        rows = connection.execute(
            select(table.c.sender_id)
            .group_by(table.c.sender_id)
            .having(func.max(table.c.timestamp) < cutoff)
            .limit(batch)
        )
        found.update(row[0] for row in rows)
    # A conversation still going on in one table (recent events there) is not stale.
    for table in tables:
        if found:
            recent = connection.execute(
                select(table.c.sender_id).where(
                    table.c.sender_id.in_(found), table.c.timestamp >= cutoff
                )
            )
            found -= {row[0] for row in recent}
    return sorted(found)[:batch]


def _remove_conversations(
    connection: Connection, tables: Sequence[Table], ids: Iterable[str], removed: Removed
) -> None:
    """Every event of these conversations, in every table that holds events."""
    ids = list(ids)
    for table in tables:
        result = connection.execute(delete(table).where(table.c.sender_id.in_(ids)))
        removed.rows[table.name] += result.rowcount
    removed.conversations += len(ids)


def purge(
    engine: Engine,
    now: datetime,
    retention_days: int = RETENTION_DAYS,
    request_retention_days: int = REQUEST_RETENTION_DAYS,
    batch: int = BATCH,
) -> Removed:
    """Conversations idle for longer than `retention_days` go with the words of their
    records (a handoff keeps its date and reason, a quote its figures: the report counts
    them); delivered support requests go after `request_retention_days`."""
    removed = Removed()
    tables = [table for table in (_rasa_events(engine), STREAM) if table is not None]
    cutoff = now - timedelta(days=retention_days)
    while True:
        with engine.begin() as connection:
            ids = _stale_conversations(connection, tables, cutoff.timestamp(), batch)
            if not ids:
                break
            _remove_conversations(connection, tables, ids, removed)
    with engine.begin() as connection:
        emptied = connection.execute(
            update(HANDOFFS)
            .where(HANDOFFS.c.created_at < utc_naive(cutoff), HANDOFFS.c.transcript_text != "")
            .values(transcript_text="", transcript_json="{}")
        )
        removed.rows["handoffs (transcript emptied)"] += emptied.rowcount
        old = select(REQUESTS.c.id).where(
            REQUESTS.c.status == "delivered",
            REQUESTS.c.delivered_at < utc_naive(now - timedelta(days=request_retention_days)),
        )
        connection.execute(
            update(HANDOFFS)
            .where(HANDOFFS.c.support_request_id.in_(old))
            .values(support_request_id=None)
        )
        gone = connection.execute(delete(REQUESTS).where(REQUESTS.c.id.in_(old)))
        removed.rows["support_requests"] += gone.rowcount
    # Agents' ended sessions and old failed sign-ins (they hold an address).
    with Session(engine) as session:
        removed.rows["agent_sessions"] += purge_sessions(session, utc_naive(now))
        session.commit()
    return removed


def conversations_of(engine: Engine, email: str) -> list[str]:
    """The conversations that gave this email: for a support request, or in a message."""
    email = email.strip().lower()
    pattern = f"%{email}%"
    ids: set[str] = set()
    with engine.connect() as connection:
        ids.update(
            row[0]
            for row in connection.execute(
                select(REQUESTS.c.sender_id).where(func.lower(REQUESTS.c.contact_email) == email)
            )
        )
        for table in (_rasa_events(engine), STREAM):
            if table is not None:
                found = select(table.c.sender_id).where(func.lower(table.c.data).like(pattern))
                ids.update(row[0] for row in connection.execute(found.distinct()))
    return sorted(ids)


def forget(
    engine: Engine, conversation_ids: Sequence[str], asked_by: str, now: datetime
) -> Removed:
    """Everything about these conversations: events, stream, quotes, handoffs and support
    requests. A request not yet delivered to the helpdesk is cancelled (deleted unsent):
    the customer asked for their data to go, and the helpdesk would otherwise receive it.
    One audit line is written, without the ids or the email."""
    removed = Removed()
    tables = [table for table in (_rasa_events(engine), STREAM) if table is not None]
    ids = list(conversation_ids)
    with engine.begin() as connection:
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            removed.requests_cancelled += connection.execute(
                select(func.count()).where(
                    REQUESTS.c.sender_id.in_(chunk), REQUESTS.c.status != "delivered"
                )
            ).scalar_one()
            _remove_conversations(connection, tables, chunk, removed)
            # handoffs first: they point at requests
            for table in (HANDOFFS, LIVE_HANDOFFS, QUOTES, REQUESTS):
                result = connection.execute(delete(table).where(table.c.sender_id.in_(chunk)))
                removed.rows[table.name] += result.rowcount
        connection.execute(
            ERASURES.insert().values(
                erased_at=utc_naive(now),
                asked_by=asked_by,
                conversations=len(ids),
                rows_removed=removed.total(),
                requests_cancelled=removed.requests_cancelled,
            )
        )
    return removed


def _rows(connection: Connection, table: Table, ids: Sequence[str]) -> list[dict[str, Any]]:
    rows = connection.execute(
        select(table).where(table.c.sender_id.in_(ids)).order_by(table.c.id)
    ).mappings()
    return [
        {key: value.isoformat() if isinstance(value, datetime) else value
         for key, value in row.items()}
        for row in rows
    ]


def export(engine: Engine, email: str, now: datetime) -> dict[str, Any]:
    """Everything held about the customer with this email, as JSON-ready data."""
    ids = conversations_of(engine, email)
    events = _rasa_events(engine)
    with engine.connect() as connection:
        conversations = []
        for conversation_id in ids:
            held: dict[str, Any] = {"id": conversation_id}
            if events is not None:
                tracker = _rows(connection, events, [conversation_id])
                held["events"] = [json.loads(row["data"]) for row in tracker]
            held["event_stream"] = [
                json.loads(row["data"]) for row in _rows(connection, STREAM, [conversation_id])
            ]
            conversations.append(held)
        return {
            "email": email.strip().lower(),
            "exported_at": now.isoformat(),
            "conversations": conversations,
            "support_requests": _rows(connection, REQUESTS, ids),
            "handoffs": _rows(connection, HANDOFFS, ids),
            "live_handoffs": _rows(connection, LIVE_HANDOFFS, ids),
            "quotes": [
                {key: str(value) if key in ("net", "vat", "total") else value
                 for key, value in row.items()}
                for row in _rows(connection, QUOTES, ids)
            ],
        }
