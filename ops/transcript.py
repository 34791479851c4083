"""Print or export the transcript of one conversation: `make transcript ID=<conversation id>`.

Reads the conversation from Rasa's tracker store (the `events` table of DATABASE_URL), or
with `--source stream` from the events the cluster's event consumer stored
(`conversation_events`): the same transcript, for a reader without access to Rasa's tables.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from actions.domain.catalog import default_catalog
from actions.domain.expiry import now_in_rome
from actions.domain.transcripts import build_transcript, facts_from_slots
from actions.records.conversations import QUERIES, conversation_events
from actions.replies import rule_sentence


def final_slots(events: list[dict[str, Any]]) -> dict[str, Any]:
    slots: dict[str, Any] = {}
    for item in events:
        if item.get("event") == "slot":
            slots[item["name"]] = item.get("value")
    return slots


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("conversation_id")
    parser.add_argument("--json", action="store_true", help="JSON instead of text")
    parser.add_argument("--out", type=Path, help="write to this file instead of printing")
    parser.add_argument("--source", choices=sorted(QUERIES), default="tracker")
    args = parser.parse_args()
    events = conversation_events(args.conversation_id, args.source)
    if not events:
        print(f"No conversation with id {args.conversation_id!r}.", file=sys.stderr)
        return 1
    now = now_in_rome()
    facts = facts_from_slots(default_catalog(), final_slots(events), now, rule_sentence)
    transcript = build_transcript(args.conversation_id, "export", facts, events, now)
    output = transcript.as_json() if args.json else transcript.as_text()
    if args.out:
        args.out.write_text(output + "\n", encoding="utf-8")
        print(f"written {args.out}")
    else:
        print(output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
