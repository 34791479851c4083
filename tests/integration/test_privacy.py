"""`make run` (SQLite) with every channel: a card number, an IBAN and a password sent over
REST, the widget's socket and Telegram reach no byte of the database and no log, and the
quote is still right; `make forget` and `make purge` run while the assistant serves."""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio
from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy import create_engine, text

from actions.domain.expiry import ROME

from .conftest import REST, ROOT, expected_total, start_assistant, stop_assistant
from .fake_telegram import FakeBotApi
from .test_channels import SECRET, TOKEN, post_update, sent_to, text_message

pytestmark = pytest.mark.needs_model

CARD = "4539 1488 0343 6467"
IBAN = "IT60 X054 2811 1010 0000 0123 456"
PASSWORD = "Luna2020!"
# Every form in which a leak could be written down.
SECRETS = [CARD, CARD.replace(" ", ""), IBAN, IBAN.replace(" ", ""), PASSWORD]
MESSAGES = [
    f"pago con la carta {CARD}, va bene? vorrei 16 giga di ram in più sul server entry, "
    "scade tra 40 giorni",
    f"per il bonifico il mio IBAN è {IBAN}",
    f"la password del pannello è {PASSWORD}",
]
QUOTE = f"= {expected_total('ds-entry', ['ram-16'], 40)}"
NOTICE = "Per la tua sicurezza ho nascosto"


@pytest.fixture(scope="module")
def served(
    trained_model: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    database = tmp_path_factory.mktemp("privacy") / "helpdesk.db"
    with FakeBotApi(TOKEN) as bot_api:
        process = start_assistant({
            "DATABASE_URL": f"sqlite:///{database}",
            "TELEGRAM_TOKEN": TOKEN,
            "TELEGRAM_SECRET_TOKEN": SECRET,
            "TELEGRAM_API_URL": bot_api.url,
        })
        try:
            yield {"database": database, "bot_api": bot_api, "process": process}
        finally:
            if process.poll() is None:
                stop_assistant(process)


def over_rest(sender: str) -> list[list[str]]:
    answers = []
    for message in MESSAGES:
        reply = requests.post(REST, json={"sender": sender, "message": message}, timeout=60)
        reply.raise_for_status()
        answers.append([item.get("text", "") for item in reply.json()])
    return answers


def over_socket(session_id: str) -> list[list[str]]:
    client = socketio.Client()
    received: list[str] = []
    arrived = threading.Event()

    @client.on("bot_uttered")
    def on_bot(data: dict[str, Any]) -> None:
        received.append(data.get("text", ""))
        arrived.set()

    client.connect("http://127.0.0.1:5005", transports=["polling"],
                   headers={"Origin": "http://localhost:8080"})
    client.emit("session_request", {"session_id": session_id})
    answers = []
    try:
        for message in MESSAGES:
            received.clear()
            arrived.clear()
            client.emit("user_uttered", {"message": message, "session_id": session_id})
            assert arrived.wait(60), "no answer on the socket"
            time.sleep(1.5)  # the rest of the answer's messages
            answers.append(list(received))
    finally:
        client.disconnect()
    return answers


def over_telegram(bot_api: FakeBotApi, chat: int) -> list[list[str]]:
    answers = []
    for number, message in enumerate(MESSAGES):
        before = len(sent_to(bot_api, chat))
        assert post_update(text_message(9000 + number, chat, message)).text == "success"
        answers.append([call["text"] for call in sent_to(bot_api, chat)[before:]])
    return answers


def check_answers(answers: list[list[str]]) -> None:
    for replies in answers:
        assert replies[0].startswith(NOTICE), replies  # told, kindly, before the answer
    assert any(QUOTE in reply for reply in answers[0]), answers[0]  # the quote still right
    assert not [secret for replies in answers for reply in replies
                for secret in SECRETS if secret in reply]


def leaks_in(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        data = path.read_bytes()
        found += [f"{path.name}: {secret}" for secret in SECRETS if secret.encode() in data]
    return found


def make(*arguments: str, database: Path) -> str:
    result = subprocess.run(
        ["make", "--no-print-directory", *arguments], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{database}"}, timeout=300, check=True,
    )
    return result.stdout


def test_secrets_reach_no_store_and_no_log_on_any_channel(served: dict[str, Any]) -> None:
    run = uuid.uuid4().hex[:6]
    check_answers(over_rest(f"privacy-rest-{run}"))
    check_answers(over_socket(f"privacy-socket-{run}"))
    check_answers(over_telegram(served["bot_api"], 770000 + int(run[:4], 16)))

    database: Path = served["database"]
    with create_engine(f"sqlite:///{database}").connect() as connection:
        stored = [row[0] for row in connection.execute(text(
            "SELECT data FROM events WHERE type_name = 'user'"
        ))]
    assert sum("[carta nascosta]" in json.loads(data)["text"] for data in stored) == 3
    stop_assistant(served["process"])  # every log written and closed, the WAL checkpointed
    files = [path for path in database.parent.iterdir() if path.name.startswith(database.name)]
    logs = sorted((ROOT / "var" / "log").glob("*.log"))
    assert {"rasa.log", "actions.log"} <= {path.name for path in logs}
    assert leaks_in(files + logs) == []
    # No message text at all in the logs at the default level, masked or not.
    words = "vorrei 16 giga di ram in più sul server entry"
    assert not [path.name for path in logs if words in path.read_text(errors="replace")]


@pytest.fixture
def second(trained_model: Path, tmp_path: Path) -> Iterator[Path]:
    """Its own assistant, for the purge and the erasure while it serves."""
    database = tmp_path / "helpdesk.db"
    process = start_assistant({"DATABASE_URL": f"sqlite:///{database}", "TELEGRAM_TOKEN": ""})
    try:
        yield database
    finally:
        stop_assistant(process)


def count(database: Path, sender: str) -> int:
    with create_engine(f"sqlite:///{database}").connect() as connection:
        return int(connection.execute(
            text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender}
        ).scalar_one())


def test_forget_and_purge_while_the_assistant_serves(second: Path) -> None:
    kept, gone = f"kept-{uuid.uuid4().hex[:6]}", f"gone-{uuid.uuid4().hex[:6]}"
    over_rest(gone)
    said = requests.post(REST, json={"sender": kept, "message": MESSAGES[0]}, timeout=60)
    assert QUOTE in " ".join(item.get("text", "") for item in said.json())
    # A conversation of long ago, as Rasa stored it.
    old = (datetime.now(tz=ROME) - timedelta(days=400)).timestamp()
    with create_engine(f"sqlite:///{second}").begin() as connection:
        connection.execute(SQLTrackerStore.SQLEvent.__table__.insert().values(
            sender_id="ancient", type_name="user", timestamp=old,
            data=json.dumps({"event": "user", "text": "ciao"}),
        ))
    before = count(second, kept)

    printed = make("forget", f"ID={gone}", database=second)
    assert "removed: 1 conversation(s)" in printed
    assert "purged" in make("purge", database=second)

    assert count(second, gone) == 0 and count(second, "ancient") == 0
    assert count(second, kept) == before
    # it still serves, and the kept conversation goes on where it was
    reply = requests.post(REST, json={"sender": kept, "message": "e con 32 GB?"}, timeout=60)
    assert reply.ok and reply.json()
    with create_engine(f"sqlite:///{second}").connect() as connection:
        audit = connection.execute(text("SELECT asked_by, conversations FROM erasures")).all()
    assert audit == [("conversation", 1)]
