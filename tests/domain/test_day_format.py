from datetime import date, datetime

from actions.domain.day_format import format_day, format_moment, format_month
from actions.domain.expiry import ROME


def test_days_and_moments_are_shown_the_italian_way() -> None:
    assert format_day(date(2027, 3, 5)) == "05/03/2027"
    assert format_moment(datetime(2026, 11, 27, 9, 5, tzinfo=ROME)) == "27/11/2026 09:05"
    assert format_month(date(2027, 1, 1)) == "gennaio 2027"
