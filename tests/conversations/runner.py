"""The held-out conversations, driven black-box over the REST channel.

Each conversation (`tests/conversations/*.yml`, written apart from `data/` and the code) is
a customer's turns and what must hold at the end. The runner sends the turns as a customer
would (typing, or tapping a button the assistant offered), then judges the goal: the last
quote the customer was shown, the draft the assistant holds, the answers to the questions
asked in the middle, and what must never be said. Quotes and the draft are read from the
conversation's own record in the tracker store (the same database the assistant writes).

    python -m tests.conversations.runner --start           # start the assistant, run, stop
    python -m tests.conversations.runner --only edits-     # against a running assistant
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import requests
import sqlalchemy as sa
import yaml

from actions.domain.language import Language, detect

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
# The moment the held-out conversations were written for: their dates and amounts count from it.
FROZEN_NOW = "2026-11-27T10:00:00+01:00"
# What a reply must show to answer each question a customer asks in the middle: the
# opening words of the guide's answer (domain.yml), or the contacts themselves.
CONTACTS = ("0575 05077", "assistenza.aruba.it")
FALLBACK_ACTION = "action_default_ask_affirmation"
TOPIC_RESPONSES = {
    topic: f"utter_answer_{topic}"
    for topic in (
        "downgrade",
        "bigger_machine",
        "what_is_upgrade",
        "custom_solution",
        "cost_rules",
        "order_procedure",
        "activation",
        "renewal_options",
        "expiry_where",
        "not_renewed",
        "upgrade_period",
        "new_order",
        "vat",
        "specs",
        "quantity_limit",
    )
}
TOPIC_CONTACTS = {"contacts": CONTACTS[:1], "out_of_scope": CONTACTS, "handoff": CONTACTS}


ENGLISH_BATCH = "en-"  # the ids of tests/conversations/english.yml


def topic_openings() -> dict[str, list[str]]:
    """Each topic's answers, by the first words of every variant of its response."""
    responses = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
    return {
        # the fixed words before any {placeholder} the action fills in
        topic: [variant["text"].split("{")[0][:40].lower() for variant in responses[name]]
        for topic, name in TOPIC_RESPONSES.items()
    }


def answers(topic: str, replies: Sequence[str], openings: dict[str, list[str]]) -> bool:
    text = "\n".join(replies).lower()
    if topic in TOPIC_CONTACTS:
        return any(contact in text for contact in TOPIC_CONTACTS[topic])
    return any(opening in text for opening in openings.get(topic, []))


@dataclass(frozen=True)
class Turn:
    text: str | None = None
    button: str | None = None
    topic: str | None = None


@dataclass(frozen=True)
class Conversation:
    id: str
    customer: str
    why: str
    turns: tuple[Turn, ...]
    expect: dict[str, Any]


@dataclass
class Outcome:
    conversation: Conversation
    failures: list[str] = field(default_factory=list)
    exchanges: list[tuple[str, list[str]]] = field(default_factory=list)
    fallbacks: int = 0

    @property
    def passed(self) -> bool:
        return not self.failures


def _turn(raw: Any) -> Turn:
    if isinstance(raw, str):
        return Turn(text=raw)
    if "button" in raw:
        return Turn(button=str(raw["button"]))
    return Turn(text=str(raw["say"]), topic=raw.get("topic"))


def load_conversations(folder: Path = HERE) -> list[Conversation]:
    conversations = []
    for path in sorted(folder.glob("*.yml")):
        for raw in yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]:
            conversations.append(
                Conversation(
                    id=raw["id"],
                    customer=raw.get("customer", ""),
                    why=raw.get("why", ""),
                    turns=tuple(_turn(turn) for turn in raw["turns"]),
                    expect=raw["expect"],
                )
            )
    return conversations


def customer_texts(conversations: Iterable[Conversation]) -> list[str]:
    """Every sentence a held-out customer types (not the buttons they tap)."""
    return [turn.text for c in conversations for turn in c.turns if turn.text is not None]


class Recorded:
    """A conversation's events as the tracker store holds them."""

    def __init__(self, engine: sa.engine.Engine, sender: str) -> None:
        self.engine, self.sender = engine, sender
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT type_name, data FROM events WHERE sender_id = :s ORDER BY id"),
                {"s": sender},
            ).fetchall()
        self.events = [json.loads(data) for _, data in rows]

    def slots(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for event in self.events:
            if event.get("event") == "slot":
                values[event["name"]] = event.get("value")
            elif event.get("event") in ("restart", "session_started"):
                # a session start carries the slots over with slot events of its own
                values = {} if event["event"] == "restart" else values
        return values

    def requests(self) -> list[tuple[str, str]]:
        """The support requests stored for this conversation: (email, description)."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT contact_email, description FROM support_requests "
                    "WHERE sender_id = :s ORDER BY id"
                ),
                {"s": self.sender},
            ).fetchall()
        return [(str(email), str(description)) for email, description in rows]

    def fallbacks(self) -> int:
        """How many messages got "non sono sicuro di aver capito"."""
        return sum(
            1
            for event in self.events
            if event.get("event") == "action" and event.get("name") == FALLBACK_ACTION
        )

    def quotes(self) -> list[Any]:
        """Every quote the customer was shown, in order."""
        return [
            event["value"]
            for event in self.events
            if event.get("event") == "slot" and event["name"] == "last_quote" and event["value"]
        ]


def _italian_amount(text: str) -> Decimal:
    return Decimal(str(text).replace(".", "").replace(",", "."))


def _counted(addons: Any) -> dict[str, int]:
    if isinstance(addons, dict):
        return {str(k): int(v) for k, v in addons.items()}
    return dict(Counter(addons or []))


def judge(
    conversation: Conversation, recorded: Recorded, per_turn: Sequence[Sequence[str]]
) -> list[str]:
    """What does not hold of `conversation.expect`, in words."""
    expect = conversation.expect
    replies = [text for texts in per_turn for text in texts]
    failures: list[str] = []
    slots = recorded.slots()
    quote = slots.get("last_quote")
    all_replies = "\n".join(replies).lower()
    if "quote" in expect:
        wanted = expect["quote"]
        if not quote:
            failures.append("no quote was given")
        else:
            shown = {
                "service": quote.get("service"),
                "days": quote.get("days"),
                "addons": _counted(quote.get("addons")),
                "total": Decimal(quote["total"]),
                "renewal": bool(quote.get("renewal")),
            }
            expected = {
                "service": wanted.get("service"),
                "days": wanted.get("days"),
                "addons": _counted(wanted.get("addons")),
                "total": _italian_amount(wanted.get("total", "0")),
                "renewal": bool(wanted.get("renewal")),
            }
            for key in wanted:
                if key in shown and shown[key] != expected[key]:
                    failures.append(f"quote {key}: {shown[key]}, expected {expected[key]}")
    if expect.get("no_quote") and recorded.quotes():
        failures.append(f"a quote was given: {recorded.quotes()[-1]}")
    if "draft" in expect:
        wanted = expect["draft"]
        held = {
            "service": slots.get("service"),
            "addons": _counted(slots.get("addons")),
            "expiry": slots.get("expiry_date"),
        }
        for key, value in wanted.items():
            value = _counted(value) if key == "addons" else value
            if str(held.get(key)) != str(value):
                failures.append(f"draft {key}: {held.get(key)!r}, expected {value!r}")
    stored = recorded.requests()
    if expect.get("no_request") and stored:
        failures.append(f"a support request was stored: {stored[-1]}")
    if "request" in expect:
        wanted = expect["request"]
        if not stored:
            failures.append("no support request was stored")
        else:
            email, description = stored[-1]
            if wanted.get("email") and email.lower() != str(wanted["email"]).lower():
                failures.append(f"request email: {email}, expected {wanted['email']}")
            missing = [w for w in wanted.get("description_has", []) if w.lower() not in
                       description.lower()]
            if missing:
                failures.append(f"request description {description!r} lacks {missing}")
    says_any = [str(text).lower() for text in expect.get("says_any", [])]
    if says_any and not any(text in all_replies for text in says_any):
        failures.append(f"never said any of {expect['says_any']}")
    for text in expect.get("never_says", []):
        if str(text).lower() in all_replies:
            failures.append(f"said {text!r}")
    if is_english(conversation):
        # written by English speakers: once they have written, the answers are English
        italian = [r for r in per_turn[-1] if detect(r) is Language.ITALIAN] if per_turn else []
        if italian:
            failures.append(f"answered in Italian: {italian[0][:60]!r}")
    openings = topic_openings()
    for number, (turn, turn_replies) in enumerate(zip(conversation.turns, per_turn, strict=False)):
        if turn.topic is not None and not answers(turn.topic, turn_replies, openings):
            failures.append(f"turn {number + 1} ({turn.text!r}) was not answered as {turn.topic}")
    return failures


def run_conversation(
    conversation: Conversation, url: str, engine: sa.engine.Engine
) -> Outcome:
    outcome = Outcome(conversation)
    sender = f"heldout-{conversation.id}-{uuid.uuid4().hex[:8]}"
    buttons: list[dict[str, str]] = []
    for turn in conversation.turns:
        if turn.button is not None:
            wanted = turn.button.lower()
            chosen = next((b for b in buttons if wanted in b.get("title", "").lower()), None)
            if chosen is None:
                titles = [b.get("title") for b in buttons]
                outcome.failures.append(f"no button {turn.button!r} offered (offered: {titles})")
                return outcome
            message, shown = chosen["payload"], f"[{chosen['title']}]"
        else:
            message = shown = str(turn.text)
        response = requests.post(url, json={"sender": sender, "message": message}, timeout=60)
        response.raise_for_status()
        items = response.json()
        texts = [item.get("text", "") for item in items if item.get("text")]
        buttons = [button for item in items for button in item.get("buttons") or []]
        outcome.exchanges.append((shown, texts))
    per_turn = [texts for _, texts in outcome.exchanges]
    recorded = Recorded(engine, sender)
    outcome.fallbacks = recorded.fallbacks()
    outcome.failures += judge(conversation, recorded, per_turn)
    return outcome


def is_english(conversation: Conversation) -> bool:
    return conversation.id.startswith(ENGLISH_BATCH)


def share_of(outcomes: Sequence[Outcome]) -> float:
    return sum(outcome.passed for outcome in outcomes) / len(outcomes) if outcomes else 0.0


def report(outcomes: Sequence[Outcome], out: Any = sys.stdout, whole: bool = False) -> float:
    """Prints the failures (with the last exchange, or every one when `whole`) and the
    shares; returns the share that reached their goal."""
    passed = sum(outcome.passed for outcome in outcomes)
    share = share_of(outcomes)
    for outcome in outcomes:
        if outcome.passed:
            continue
        conversation = outcome.conversation
        print(f"\n✘ {conversation.id} ({conversation.customer}): {conversation.why}", file=out)
        for failure in outcome.failures:
            print(f"    - {failure}", file=out)
        for said, answered in outcome.exchanges if whole else outcome.exchanges[-1:]:
            print(f"    {'' if whole else 'last: '}«{said}» → «{' / '.join(answered)[:400]}»",
                  file=out)
    turns = [len(outcome.conversation.turns) for outcome in outcomes]
    fallbacks = sum(outcome.fallbacks for outcome in outcomes)
    print(
        f"\nHeld-out conversations: {passed}/{len(outcomes)} reached their goal "
        f"({share:.0%}); {sum(turns)} customer turns, {sum(turns) / max(1, len(turns)):.1f} "
        f"on average; \"non sono sicuro\" on {fallbacks} of them "
        f"({fallbacks / max(1, sum(turns)):.1%}).",
        file=out,
    )
    for language, test in (("Italian", lambda c: not is_english(c)), ("English", is_english)):
        chosen = [outcome for outcome in outcomes if test(outcome.conversation)]
        if chosen:
            won = sum(outcome.passed for outcome in chosen)
            print(f"  {language}: {won}/{len(chosen)} ({share_of(chosen):.0%})", file=out)
    return share


def run_all(
    conversations: Sequence[Conversation], url: str, database_url: str, workers: int = 4
) -> list[Outcome]:
    engine = sa.create_engine(database_url)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda c: run_conversation(c, url, engine), conversations))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start", action="store_true", help="start the assistant as make run")
    parser.add_argument("--url", default="http://127.0.0.1:5005/webhooks/rest/webhook")
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--only", default="", help="run the conversations whose id starts so")
    parser.add_argument("--min-share", type=float, default=0.0, help="of the Italian ones")
    parser.add_argument("--min-share-english", type=float, default=0.0)
    parser.add_argument("--folder", type=Path, default=HERE, help="where the conversations are")
    parser.add_argument("--whole", action="store_true", help="print every exchange of a failure")
    args = parser.parse_args(argv)
    conversations = [c for c in load_conversations(args.folder) if c.id.startswith(args.only)]
    if args.start:
        from tests.integration.conftest import start_assistant, stop_assistant

        database = ROOT / "var" / "heldout-conversations.db"
        database.unlink(missing_ok=True)
        args.database = f"sqlite:///{database}"
        process = start_assistant({"DATABASE_URL": args.database, "ASSISTANT_NOW": FROZEN_NOW})
        try:
            outcomes = run_all(conversations, args.url, args.database)
        finally:
            stop_assistant(process)
    else:
        if not args.database:
            args.database = f"sqlite:///{ROOT / 'var' / 'helpdesk.db'}"
        outcomes = run_all(conversations, args.url, args.database)
    report(outcomes, whole=args.whole)
    failed = False
    for name, bar, chosen in (
        ("Italian", args.min_share, [o for o in outcomes if not is_english(o.conversation)]),
        ("English", args.min_share_english, [o for o in outcomes if is_english(o.conversation)]),
    ):
        if chosen and share_of(chosen) < bar:
            print(f"{name}: below the {bar:.0%} the suite must reach", file=sys.stderr)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
