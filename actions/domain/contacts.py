"""The provider's contacts: the Server Dedicati sales line, its hours (Monday to Friday in
Rome, closed on Italian public holidays: business_hours.py) and the assistance portal.

They are defined once, as slots of domain.yml with their value (`sales_line`, `portal`,
`sales_opens`, `sales_closes`), so that Rasa's own responses can name them; the actions,
the support page and the widget read them from there through this module."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import yaml

DOMAIN = Path(__file__).resolve().parents[2] / "domain.yml"
NAMES = ("sales_line", "portal", "sales_opens", "sales_closes")


def _load() -> dict[str, str]:
    slots = yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))["slots"]
    return {name: str(slots[name]["initial_value"]) for name in NAMES}


def _clock(text: str) -> time:
    hour, minute = text.split(":")
    return time(int(hour), int(minute))


def clock(moment: time) -> str:
    """8:30, 18:00: how the texts write an hour."""
    return f"{moment.hour}:{moment.minute:02d}"


CONTACTS: dict[str, str] = _load()
SALES_LINE = CONTACTS["sales_line"]
PORTAL = CONTACTS["portal"]
OPENS = _clock(CONTACTS["sales_opens"])
CLOSES = _clock(CONTACTS["sales_closes"])
