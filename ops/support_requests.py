"""List the support requests stored locally, newest last: `make requests`."""

from __future__ import annotations

import argparse
import sys

from actions.records.db import database_url, make_sessions
from actions.records.repository import support_requests


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--status", choices=["pending", "delivered"], help="only these")
    parser.add_argument("--full", action="store_true", help="print each transcript too")
    args = parser.parse_args()
    with make_sessions()() as session:
        found = support_requests(session, args.status)
        print(f"{len(found)} support requests in {database_url()}")
        for request in found:
            print(
                f"{request.reference}  {request.created_at:%Y-%m-%d %H:%M} UTC  "
                f"{request.status:9}  attempts {request.attempts}  {request.contact_email}  "
                f"{request.description[:60]}"
            )
            if request.last_error:
                print(f"    last error: {request.last_error}")
            if args.full:
                print(request.transcript_text, end="\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
