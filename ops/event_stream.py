"""Storing the events Rasa streams through RabbitMQ: once each, whatever is redelivered."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from actions.records.models import ConversationEvent


class NotAnEventError(ValueError):
    """A message on the queue that is not a Rasa event: dropped, with a log line."""


def event_row(event: Any) -> ConversationEvent:
    if not isinstance(event, dict) or not event.get("sender_id") or not event.get("event"):
        raise NotAnEventError("not a Rasa event: sender_id and event are required")
    # The same event redelivered is the same JSON: its digest is the key that stops it
    # from being stored twice (two events can share a timestamp, not all their content).
    canonical = json.dumps(event, sort_keys=True, ensure_ascii=False)
    parse_data = event.get("parse_data") or {}
    intent = (parse_data.get("intent") or {}).get("name") if isinstance(parse_data, dict) else None
    row: ConversationEvent = ConversationEvent(
        sender_id=str(event["sender_id"])[:255],
        event_type=str(event["event"])[:64],
        timestamp=float(event.get("timestamp") or 0.0),
        action_name=event.get("name") if event["event"] == "action" else None,
        intent=intent,
        text=event.get("text"),
        data=canonical,
        digest=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
    )
    return row


def store_event(session: Session, event: Any) -> bool:
    """Store one event and commit; False when it was stored before (a redelivery, refused by
    the unique constraint on conversation and digest, whichever consumer stored it)."""
    session.add(event_row(event))
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return False
    return True


def store_events(session: Session, rows: Sequence[ConversationEvent]) -> int:
    """Store a batch in one transaction and commit; how many were new. One commit per
    event kept the consumer at a few hundred events a second, behind the Rasa servers under
    load; an event stored before (a redelivery, here or in the same batch) is skipped by
    the unique constraint, as `store_event` does one at a time."""
    if not rows:
        return 0
    table = ConversationEvent.__table__
    columns = [column.name for column in table.columns if column.name != "id"]
    values = [{name: getattr(row, name) for name in columns} for row in rows]
    dialect = session.get_bind().dialect.name
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect]
    result = session.execute(insert(table).values(values).on_conflict_do_nothing())
    session.commit()
    return int(result.rowcount)
