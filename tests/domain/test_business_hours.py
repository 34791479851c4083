from __future__ import annotations

from datetime import datetime

import pytest

from actions.domain.business_hours import is_open, next_opening
from actions.domain.expiry import ROME
from actions.support_replies import reopening_phrase


def rome(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=ROME)


@pytest.mark.parametrize(
    ("moment", "open_"),
    [
        (rome(2026, 11, 26, 10, 0), True),  # a Thursday morning
        (rome(2026, 11, 26, 8, 29), False),  # the minute before opening
        (rome(2026, 11, 26, 8, 30), True),  # the minute of opening
        (rome(2026, 11, 26, 17, 59), True),
        (rome(2026, 11, 26, 18, 0), False),  # the minute of closing
        (rome(2026, 11, 26, 21, 0), False),  # evening
        (rome(2026, 11, 28, 11, 0), False),  # Saturday
        (rome(2026, 11, 29, 11, 0), False),  # Sunday
        (rome(2026, 12, 8, 11, 0), False),  # Immacolata, a Tuesday
        (rome(2026, 12, 25, 11, 0), False),  # Christmas
    ],
)
def test_opening_hours(moment: datetime, open_: bool) -> None:
    assert is_open(moment) is open_


def test_hours_are_counted_in_rome_whatever_the_clock() -> None:
    # 07:45 UTC in November is 08:45 in Rome: open.
    assert is_open(datetime.fromisoformat("2026-11-26T07:45:00+00:00"))


@pytest.mark.parametrize(
    ("moment", "phrase"),
    [
        (rome(2026, 11, 26, 7, 0), "riapre oggi alle 8:30"),
        (rome(2026, 11, 26, 19, 0), "riapre domani alle 8:30"),
        (rome(2026, 11, 27, 19, 0), "riapre lunedì alle 8:30"),  # Friday evening
        (rome(2026, 11, 28, 10, 0), "riapre lunedì alle 8:30"),
        (rome(2026, 12, 7, 19, 0), "riapre mercoledì alle 8:30"),  # 8 December is a holiday
        (rome(2026, 12, 24, 19, 0), "riapre lunedì alle 8:30"),  # 25 and 26 December
    ],
)
def test_when_it_reopens(moment: datetime, phrase: str) -> None:
    assert reopening_phrase(moment) == phrase


def test_next_opening_while_open_is_now() -> None:
    moment = rome(2026, 11, 26, 10, 0)
    assert next_opening(moment) == moment
