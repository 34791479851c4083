"""A conversation as the stores hold it: Rasa's SQL tracker store (the `events` table) or,
with `stream`, the events the cluster's event consumer stored (`conversation_events`).
Read by the action server for transcripts (Rasa sends an action only the current turn) and
by `make transcript`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from .db import make_engine

RASA_EVENTS = "events"  # Rasa's SQL tracker store's table: created by Rasa, read by name
QUERIES = {
    "tracker": f"SELECT data FROM {RASA_EVENTS} WHERE sender_id = :sender ORDER BY id",
    # Consumed in arrival order, which a redelivery may change: Rasa's timestamps decide.
    "stream": "SELECT data FROM conversation_events WHERE sender_id = :sender"
    " ORDER BY timestamp, id",
}


def conversation_events(
    conversation_id: str, source: str = "tracker", engine: Engine | None = None
) -> list[dict[str, Any]]:
    engine = engine or make_engine()
    table = QUERIES[source].split(" FROM ")[1].split()[0]
    if not inspect(engine).has_table(table):  # nothing stored there yet (Rasa never ran)
        return []
    with engine.connect() as connection:
        rows = connection.execute(text(QUERIES[source]), {"sender": conversation_id})
        return [json.loads(row[0]) for row in rows]


def current_session(events: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events of the latest session, chosen as Rasa's SQL store chooses them for a
    tracker: from the latest `session_started` timestamp on (all, when there is none)."""
    starts = [event["timestamp"] for event in events if event.get("event") == "session_started"]
    if not starts:
        return list(events)
    return [event for event in events if event.get("timestamp", 0) >= max(starts)]
