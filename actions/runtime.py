"""What the actions take from the world: the clock. Tests replace `now` to fix the date."""

from __future__ import annotations

from datetime import datetime

from .domain.expiry import now_in_rome


def now() -> datetime:
    return now_in_rome()
