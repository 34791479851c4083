"""Send the pending support requests to the helpdesk (HELPDESK_URL, HELPDESK_TOKEN).

`python -m ops.deliver_outbox` makes one pass; `--every N` keeps passing every N seconds.
"""

from __future__ import annotations

import argparse
import sys
import time

from actions.domain.expiry import now_in_rome
from actions.records.db import make_sessions
from actions.records.helpdesk import HelpdeskClient, HelpdeskConfig
from actions.records.outbox import deliver_pending


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--every", type=float, default=0, help="seconds between passes")
    args = parser.parse_args()
    config = HelpdeskConfig.from_env()
    if config is None:
        print("HELPDESK_URL is not set: the requests stay local (make requests lists them).")
        return 1
    sessions, client = make_sessions(), HelpdeskClient(config)
    while True:
        report = deliver_pending(sessions, client, now_in_rome())
        for reference in report.delivered:
            print(f"delivered {reference}", flush=True)
        for reference in report.failed:
            print(f"still pending {reference} (helpdesk unavailable)", flush=True)
        if not args.every:
            return 0
        time.sleep(args.every)


if __name__ == "__main__":
    sys.exit(main())
