"""`make report [DAY=YYYY-MM-DD]`: the daily report, from the events the event stream's
consumer stored (DATABASE_URL; the cluster profile fills it), else from Rasa's conversations
in the same database (`make run`)."""

from __future__ import annotations

import argparse
from datetime import date

from actions.domain.expiry import now_in_rome
from actions.records.db import make_sessions
from ops.daily_report import daily_report, format_report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--day", type=date.fromisoformat, default=None)
    args = parser.parse_args()
    with make_sessions()() as session:
        print(format_report(daily_report(session, args.day or now_in_rome().date())))


if __name__ == "__main__":
    main()
