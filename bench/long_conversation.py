"""One customer who never leaves: 300 turns in one conversation, cycling through a quote, a
correction, a question, a what-if, a downgrade question and thanks. What a turn costs at
the start and at the end (median of the first and the last 30), and what the action server
receives at both ends (the tracker Rasa posts with each action call)."""

from __future__ import annotations

import json
import statistics
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import requests

from bench.load import REST

CYCLE = [
    "vorrei 16 giga di ram in più sul server entry, scade tra 40 giorni",
    "anzi, 32 giga",
    "come si calcola il costo dell'upgrade?",
    "e se scadesse tra 80 giorni?",
    "posso fare il downgrade del server?",
    "grazie",
]
TURNS = 300
WINDOW = 30
# 50 customers at once, each one conversation of 20 turns (the cycle, over and over).
LONG_SCRIPT = [CYCLE[number % len(CYCLE)] for number in range(20)]


@dataclass
class LongRun:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    request_bytes: dict[str, int] = field(default_factory=dict)

    def median_ms(self, first: bool) -> float:
        part = self.latencies[:WINDOW] if first else self.latencies[-WINDOW:]
        return statistics.median(part) * 1000

    def figures(self) -> dict[str, float]:
        start, end = self.median_ms(True), self.median_ms(False)
        return {
            f"{TURNS} turns: p50 turns 1-{WINDOW} (ms)": start,
            f"{TURNS} turns: p50 turns {TURNS - WINDOW + 1}-{TURNS} (ms)": end,
            f"{TURNS} turns: last / first": end / start,
            f"{TURNS} turns: errors": self.errors,
            **{f"action call at turn {k} (kB)": v / 1000 for k, v in self.request_bytes.items()},
        }


def converse(turns: int = TURNS) -> tuple[str, LongRun]:
    sender = f"long-{uuid.uuid4().hex[:8]}"
    run = LongRun()
    with requests.Session() as session:
        for number in range(turns):
            sent = time.perf_counter()
            try:
                reply = session.post(
                    REST, json={"sender": sender, "message": CYCLE[number % len(CYCLE)]},
                    timeout=120,
                )
                ok = reply.status_code == 200 and bool(reply.json())
            except (requests.RequestException, ValueError):
                ok = False
            run.latencies.append(time.perf_counter() - sent)
            run.errors += not ok
    return sender, run


def action_call_bytes(database: Path, sender: str, after_turns: int) -> int:
    """What the Rasa server posts to the action server after `after_turns` customer
    messages: the conversation read back from the store, formatted by the Rasa server's own
    `RemoteAction._action_call_format` (with rasa_server's fixes, as `make run` has them)."""
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import Event, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from sqlalchemy import create_engine, text

    from rasa_server import patches

    patches.install()
    with create_engine(f"sqlite:///{database}").connect() as connection:
        rows = connection.execute(
            text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender}
        ).scalars().all()
    events, said = [], 0
    for row in rows:
        event = Event.from_parameters(json.loads(row))
        if isinstance(event, UserUttered):
            said += 1
            if said > after_turns:
                break
        events.append(event)
    domain = Domain.load(str(Path(__file__).resolve().parents[1] / "domain.yml"))
    tracker = DialogueStateTracker.from_events(sender, events, domain.slots)
    body = RemoteAction("action_quote", None)._action_call_format(tracker, domain)
    return len(json.dumps(body).encode())
