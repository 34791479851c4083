from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import delete

from actions import runtime
from actions.domain.expiry import ROME
from actions.records import agents
from actions.records import live_handoff as live
from actions.records.migrate import upgrade
from actions.records.models import AgentAccount, AgentSession, LiveHandoff
from actions.runtime import _sessions_for

# A fixed "now" for every action test: 26 November 2026, 10:00 in Rome.
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=ROME)
# The domain the actions see, from domain.yml itself: no hand-kept list of slots.
DOMAIN: dict[str, Any] = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "domain.yml").read_text(encoding="utf-8")
)


# Every slot the domain declares, at its initial value, as Rasa sends them to the actions
# (with `requested_slot`, which Rasa adds to a domain with forms).
INITIAL_SLOTS: dict[str, Any] = {
    "requested_slot": None,
    **{name: spec.get("initial_value") for name, spec in DOMAIN["slots"].items()},
}


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The one place the actions read the clock (they call `runtime.now()` through the module)."""
    monkeypatch.setattr("actions.runtime.now", lambda: NOW)


@pytest.fixture(scope="session")
def records_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('records') / 'records.db'}"
    upgrade(url)
    return url


@pytest.fixture(autouse=True)
def records_database(monkeypatch: pytest.MonkeyPatch, records_url: str) -> Iterator[None]:
    """The actions write their records to a test database, never to var/."""
    monkeypatch.setenv("DATABASE_URL", records_url)
    yield
    _sessions_for.cache_clear()


MakeTracker = Callable[..., Tracker]


def _declared(slots: dict[str, Any]) -> dict[str, Any]:
    unknown = set(slots) - set(INITIAL_SLOTS)
    assert not unknown, f"not slots of domain.yml: {sorted(unknown)}"
    return slots


@pytest.fixture
def make_tracker() -> MakeTracker:
    def build(
        text: str = "",
        intent: str = "inform",
        entities: list[dict[str, Any]] | None = None,
        active_loop: str | None = "upgrade_form",
        sender_id: str = "test",
        events: list[dict[str, Any]] | None = None,
        **slots: Any,
    ) -> Tracker:
        return Tracker(
            sender_id=sender_id,
            slots={**INITIAL_SLOTS, **_declared(slots)},
            latest_message={
                "text": text,
                "intent": {"name": intent, "confidence": 0.9},
                "intent_ranking": [{"name": intent, "confidence": 0.9}],
                "entities": entities or [],
            },
            events=events or [],
            paused=False,
            followup_action=None,
            active_loop={"name": active_loop} if active_loop else {},
            latest_action_name="action_listen",
        )

    return build


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture
def agent_present() -> Iterator[None]:
    """An agent with the console open now (a fresh session); afterwards the agent and the
    queue are gone."""
    with runtime.sessions()() as session:
        agents.add_agent(session, name="Giulia", email="giulia@example.com",
                         password="correct horse battery", now=live.utc_now())
        result = agents.sign_in(session, "giulia@example.com", "correct horse battery",
                                live.utc_now())
        session.commit()
        assert result.token
    yield
    with runtime.sessions()() as session:
        session.execute(delete(LiveHandoff))
        session.execute(delete(AgentSession))
        session.execute(delete(AgentAccount))
        session.commit()


