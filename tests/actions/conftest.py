from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.domain.expiry import ROME
from actions.records.migrate import upgrade
from actions.runtime import _sessions_for

# A fixed "now" for every action test: 26 November 2026, 10:00 in Rome.
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=ROME)
# The domain the actions see, from domain.yml itself: no hand-kept list of slots.
DOMAIN: dict[str, Any] = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "domain.yml").read_text(encoding="utf-8")
)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in (
        "actions.upgrade_form",
        "actions.quote",
        "actions.handoff",
        "actions.support_form",
    ):
        monkeypatch.setattr(f"{module}.now", lambda: NOW)


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
            slots={"requested_slot": None, **slots},
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
