from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.domain.expiry import ROME

# A fixed "now" for every action test: 26 November 2026, 10:00 in Rome.
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=ROME)
DOMAIN: dict[str, Any] = {
    "forms": {"upgrade_form": {"required_slots": ["service", "addons", "expiry_date"]}},
    "slots": {
        name: {"type": "any", "mappings": [{"type": "custom"}]}
        for name in ("service", "addons", "expiry_date", "addon_choices", "addon_choice")
    },
}


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in ("actions.upgrade_form", "actions.quote"):
        monkeypatch.setattr(f"{module}.now", lambda: NOW)


MakeTracker = Callable[..., Tracker]


@pytest.fixture
def make_tracker() -> MakeTracker:
    def build(
        text: str = "",
        intent: str = "inform",
        entities: list[dict[str, Any]] | None = None,
        active_loop: str | None = "upgrade_form",
        **slots: Any,
    ) -> Tracker:
        return Tracker(
            sender_id="test",
            slots={"requested_slot": None, **slots},
            latest_message={
                "text": text,
                "intent": {"name": intent, "confidence": 0.9},
                "entities": entities or [],
            },
            events=[],
            paused=False,
            followup_action=None,
            active_loop={"name": active_loop} if active_loop else {},
            latest_action_name="action_listen",
        )

    return build


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()
