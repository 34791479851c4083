"""The operator's side of customers' data (docs/privacy.md):

    python -m ops.privacy_commands purge [--every SECONDS]   (make purge; make run daily)
    python -m ops.privacy_commands forget --id ID | --email EMAIL   (make forget)
    python -m ops.privacy_commands export --email EMAIL [--out FILE]   (make export)

`RETENTION_DAYS` (default 180) and `REQUEST_RETENTION_DAYS` (default 730) set the purge."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from actions.domain.expiry import now_in_rome
from actions.records.db import make_engine

from .personal_data import (
    REQUEST_RETENTION_DAYS,
    RETENTION_DAYS,
    Removed,
    conversations_of,
    export,
    forget,
    purge,
)

logger = logging.getLogger(__name__)


def _days(name: str, default: int) -> int:
    value = os.environ.get(name) or str(default)
    if not value.isdigit() or int(value) < 1:
        raise SystemExit(f"{name} must be a whole number of days (got {value!r})")
    return int(value)


def _print(removed: Removed, what: str) -> None:
    print(f"{what}: {removed.conversations} conversation(s), {removed.total()} row(s)")
    for line in removed.lines():
        print(f"  {line}")


def run_purge(every: int | None) -> int:
    retention = _days("RETENTION_DAYS", RETENTION_DAYS)
    requests = _days("REQUEST_RETENTION_DAYS", REQUEST_RETENTION_DAYS)
    engine = make_engine()
    while True:
        try:
            removed = purge(engine, now_in_rome(), retention, requests)
        except SQLAlchemyError:
            if every is None:
                raise
            # The daily worker beside the assistant must not stop it: tried again next time.
            logger.exception("purge failed: tried again in %d s", every)
        else:
            _print(removed, f"purged (older than {retention} days; requests {requests})")
            sys.stdout.flush()
        if every is None:
            return 0
        time.sleep(every)


def run_forget(conversation_id: str | None, email: str | None) -> int:
    engine = make_engine()
    ids = [conversation_id] if conversation_id else conversations_of(engine, email or "")
    if not ids:
        print("Nothing held about them: nothing removed (an audit line is written all the same).")
    removed = forget(engine, ids, "conversation" if conversation_id else "email", now_in_rome())
    _print(removed, "removed")
    if removed.requests_cancelled:
        print(f"  {removed.requests_cancelled} support request(s) not yet delivered: cancelled")
    return 0


def run_export(email: str, out: Path | None) -> int:
    data = export(make_engine(), email, now_in_rome())
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if out:
        out.write_text(text + "\n", encoding="utf-8")
        print(f"written {out}: {len(data['conversations'])} conversation(s)")
    else:
        print(text)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    purging = commands.add_parser("purge")
    purging.add_argument("--every", type=int, help="run again every this many seconds")
    forgetting = commands.add_parser("forget")
    who = forgetting.add_mutually_exclusive_group(required=True)
    who.add_argument("--id", help="one conversation")
    who.add_argument("--email", help="every conversation that gave this email")
    exporting = commands.add_parser("export")
    exporting.add_argument("--email", required=True)
    exporting.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.command == "purge":
        return run_purge(args.every)
    if args.command == "forget":
        return run_forget(args.id, args.email)
    return run_export(args.email, args.out)


if __name__ == "__main__":
    sys.exit(main())
