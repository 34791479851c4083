"""`make cluster`: two Rasa servers behind HAProxy over PostgreSQL, Redis and RabbitMQ.

Skipped, with a message naming what is missing, where one of the three services or HAProxy
is not there; CI has them all (and `.ci/run` installs HAProxy), where REQUIRE_SERVICES
turns a skip into a failure."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

import aio_pika
import pytest
import requests
import socketio
from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from actions.domain.expiry import ROME
from actions.records.db import make_sessions
from actions.records.live_handoff import enqueue, utc_now
from channels.incoming import APOLOGY
from deploy.cluster_services import ensure_database
from ops.daily_report import DailyReport, daily_report
from ops.personal_data import forget, purge
from ops.transcript import conversation_events

from .conftest import ROOT, expected_total, listening
from .fake_telegram import FakeBotApi
from .tcp_proxy import TcpProxy
from .test_channels import SECRET as TELEGRAM_SECRET
from .test_channels import TOKEN as TELEGRAM_TOKEN
from .test_privacy import SECRETS, check_answers, over_rest, over_socket, over_telegram

pytestmark = pytest.mark.needs_model

DATABASE = "postgresql://postgres@127.0.0.1:5432/helpdesk_cluster_test"
REPLICAS = (5105, 5106)
BALANCER = 5005
PORTS = (5005, 5055, 8080, *REPLICAS, 5155, 5156)
QUOTE_12_20 = expected_total("ds-entry", ["ram-16"], 40)


def rest(port: int) -> str:
    return f"http://127.0.0.1:{port}/webhooks/rest/webhook"


def say(port: int, sender: str, message: str) -> list[str]:
    reply = requests.post(rest(port), json={"sender": sender, "message": message}, timeout=150)
    assert reply.status_code == 200, reply.text
    return [item.get("text", "") for item in reply.json()]


def balanced(port: int) -> bool:
    """Whether HAProxy counts the Rasa server on `port` as up, from its stats socket: a
    server that listens again is sent requests only after its health checks pass."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as stats:
        stats.connect(str(ROOT / "var/cluster/haproxy.sock"))
        stats.sendall(b"show stat\n")
        answer = b"".join(iter(lambda: stats.recv(65536), b"")).decode()
    header, *rows = answer.lstrip("# ").splitlines()
    columns = header.split(",")
    for row in rows:
        fields = dict(zip(columns, row.split(","), strict=False))
        if fields.get("pxname") == "rasa" and fields.get("svname") == f"rasa{port}":
            return fields.get("status") == "UP"
    raise AssertionError(f"HAProxy has no server rasa{port}")


def wait_balanced(port: int, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while not balanced(port) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert balanced(port), f"HAProxy never counted the server on {port} as up"


def missing_services() -> list[str]:
    wanted = {"PostgreSQL": 5432, "Redis": 6379, "RabbitMQ": 5672}
    missing = [name for name, port in wanted.items() if not listening(port)]
    if not Path("/usr/sbin/haproxy").exists() and os.system("command -v haproxy >/dev/null"):
        missing.append("HAProxy (sudo apt-get install haproxy)")
    return missing


@pytest.fixture(scope="module")
def rabbitmq() -> Iterator[TcpProxy]:
    """RabbitMQ as the Rasa servers see it: through a proxy the test can cut."""
    proxy = TcpProxy(5672).start()
    yield proxy
    proxy.stop()


@pytest.fixture(scope="module")
def bot_api() -> Iterator[FakeBotApi]:
    """Telegram's Bot API on loopback, so that the cluster serves Telegram too."""
    with FakeBotApi(TELEGRAM_TOKEN) as api:
        yield api


@pytest.fixture(scope="module")
def cluster(
    trained_model: Path, rabbitmq: TcpProxy, bot_api: FakeBotApi
) -> Iterator[dict[str, Any]]:
    missing = missing_services()
    if missing:
        message = "the cluster tests need " + ", ".join(missing)
        if os.environ.get("REQUIRE_SERVICES"):
            pytest.fail(message + " (REQUIRE_SERVICES is set)")
        pytest.skip(message)
    busy = [port for port in PORTS if listening(port)]
    assert not busy, f"ports {busy} are taken: stop what runs there before the tests"
    ensure_database(DATABASE)
    engine = create_engine(DATABASE)
    with engine.begin() as connection:  # a clean slate: Rasa's tables and ours
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    queue = f"rasa_events_test_{uuid.uuid4().hex[:8]}"
    environment = {
        **os.environ,
        "N": "2",
        "DATABASE_URL": DATABASE,
        "RABBITMQ_URL": f"amqp://guest:guest@127.0.0.1:{rabbitmq.port}/",
        "RABBITMQ_QUEUE": queue,
        "CONSUMER": "off",
        "TELEGRAM_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET,
        "TELEGRAM_API_URL": bot_api.url,
    }
    process = subprocess.Popen(
        ["scripts/cluster.sh"], cwd=ROOT, env=environment, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    assert process.stdout is not None
    output = []
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        output.append(line)
        if not line or "is running as a cluster" in line:
            break
    if "is running as a cluster" not in "".join(output):
        os.killpg(process.pid, signal.SIGKILL)
        raise AssertionError("the cluster did not start:\n" + "".join(output))
    restarted: list[subprocess.Popen[bytes]] = []  # replicas a test brought back itself
    yield {"engine": engine, "queue": queue, "environment": environment,
           "restarted": restarted}
    process.send_signal(signal.SIGTERM)  # as `kill` or Ctrl-C would: everything stops
    process.wait(timeout=60)
    for replica in restarted:
        replica.terminate()
        replica.wait(timeout=60)
    delete_queue(queue)
    engine.dispose()
    deadline = time.monotonic() + 20
    while any(listening(port) for port in PORTS) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not [port for port in PORTS if listening(port)], "a server outlived SIGTERM"


def delete_queue(queue: str) -> None:
    async def delete() -> None:
        connection = await aio_pika.connect("amqp://guest:guest@127.0.0.1:5672/")
        async with connection:
            channel = await connection.channel()
            await channel.queue_delete(queue)

    asyncio.run(delete())


def rasa_events(engine: Engine, sender: str) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender}
        )
        return [json.loads(row[0]) for row in rows]


def test_turns_alternating_between_replicas_end_in_the_right_quote(
    cluster: dict[str, Any],
) -> None:
    sender = f"cluster-{uuid.uuid4().hex[:8]}"
    turns = ["vorrei 16 giga di ram in più", "sul server entry", "scade tra 40 giorni"]
    replies: list[str] = []
    for number, message in enumerate(turns):
        replies = say(REPLICAS[number % 2], sender, message)
    assert f"= {QUOTE_12_20}" in " ".join(replies)


def test_twenty_messages_at_once_are_all_handled_one_at_a_time(
    cluster: dict[str, Any],
) -> None:
    sender = f"burst-{uuid.uuid4().hex[:8]}"
    messages = [f"come si calcola il costo? ({number})" for number in range(20)]

    def send(number: int) -> list[str]:
        return say(REPLICAS[number % 2], sender, messages[number])

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(send, range(20)))
    assert all(answer and APOLOGY not in answer for answer in answers)
    events = rasa_events(cluster["engine"], sender)
    said = [event["text"] for event in events if event["event"] == "user"]
    assert sorted(said) == sorted(messages)  # each once: none lost, none twice
    # One at a time: after each message, its answer before the next message is read.
    kinds = [event["event"] for event in events if event["event"] in ("user", "bot")]
    assert all(kinds[index + 1] == "bot" for index, kind in enumerate(kinds) if kind == "user")


def canonical(events: list[dict[str, Any]]) -> list[str]:
    """Events as sorted JSON, without the sender the stream adds to each."""
    return sorted(
        json.dumps({k: v for k, v in event.items() if k != "sender_id"}, sort_keys=True)
        for event in events
    )


def test_the_event_stream_survives_a_consumer_restart_and_a_rabbitmq_outage(
    cluster: dict[str, Any], rabbitmq: TcpProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    environment = {**cluster["environment"], "RABBITMQ_URL": "amqp://guest:guest@127.0.0.1:5672/"}
    command = [sys.executable, "-m", "ops.consume_events"]

    def consumer() -> subprocess.Popen[bytes]:
        return subprocess.Popen(command, cwd=ROOT, env=environment,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    senders = [f"stream-{number}-{uuid.uuid4().hex[:6]}" for number in range(12)]
    script = ["ciao", "vorrei 16 giga di ram sul server entry, scade tra 40 giorni",
              "voglio parlare con un operatore", "no"]
    running = consumer()
    try:  # the consumers are stopped whatever happens
        with ThreadPoolExecutor(max_workers=6) as pool:
            def converse(sender: str) -> None:
                for message in script:
                    say(BALANCER, sender, message)

            burst = [pool.submit(converse, sender) for sender in senders[:6]]
            time.sleep(1.5)
            running.kill()  # mid-burst: unacknowledged events come back to the next consumer
            running.wait()
            running = consumer()
            rabbitmq.stop()  # RabbitMQ goes away: customers are still answered
            burst += [pool.submit(converse, sender) for sender in senders[6:]]
            for job in burst:
                job.result()
            rabbitmq.start()  # back: the events kept meanwhile are sent
        engine: Engine = cluster["engine"]
        deadline = time.monotonic() + 90
        while True:
            expected = {sender: len(rasa_events(engine, sender)) for sender in senders}
            with engine.connect() as connection:
                stored = dict(connection.execute(text(
                    "SELECT sender_id, count(*) FROM conversation_events"
                    " WHERE sender_id LIKE 'stream-%' GROUP BY sender_id"
                )).all())
            if stored == expected or time.monotonic() > deadline:
                break
            time.sleep(1)
        assert stored == expected  # every event of the tracker store, once each
        # The agents' transcripts can be read from the stream: the same events as Rasa's.
        monkeypatch.setenv("DATABASE_URL", DATABASE)
        for sender in senders[:3]:
            assert canonical(conversation_events(sender, "stream")) == canonical(
                conversation_events(sender, "tracker")
            )
    finally:
        running.terminate()
        running.wait(timeout=30)

    report = assert_the_report_agrees_with_the_store(engine)
    assert report.quotes >= len(senders) and report.handoffs >= len(senders)


def assert_the_report_agrees_with_the_store(engine: Engine) -> DailyReport:
    """The report, read from the stream, counts what Rasa's own store holds."""
    with make_sessions(DATABASE)() as session:
        report = daily_report(session, datetime.now(tz=ROME).date())
    with engine.connect() as connection:
        conversations = connection.execute(text(
            "SELECT count(DISTINCT sender_id) FROM events WHERE type_name = 'user'"
        )).scalar()
        quotes = connection.execute(text(
            "SELECT count(*) FROM events WHERE action_name = 'action_quote'"
        )).scalar()
        handoffs = connection.execute(text(
            "SELECT count(*) FROM events WHERE action_name = 'action_handoff'"
        )).scalar()
    assert (report.conversations, report.quotes, report.handoffs) == (
        conversations, quotes, handoffs
    )
    return report


def test_secrets_reach_no_table_no_stream_and_no_log_and_erasure_runs_while_serving(
    cluster: dict[str, Any], bot_api: FakeBotApi
) -> None:
    """The cluster profile's half of docs/privacy.md: PostgreSQL, RabbitMQ's stream table."""
    environment = {**cluster["environment"], "RABBITMQ_URL": "amqp://guest:guest@127.0.0.1:5672/"}
    consumer = subprocess.Popen([sys.executable, "-m", "ops.consume_events"], cwd=ROOT,
                                env=environment, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
    engine: Engine = cluster["engine"]
    gone, kept = f"privacy-{uuid.uuid4().hex[:6]}", f"privacy-{uuid.uuid4().hex[:6]}"

    def streamed(sender: str) -> int:
        deadline = time.monotonic() + 60
        while True:
            with engine.connect() as connection:
                count = connection.execute(text(
                    "SELECT count(*) FROM conversation_events WHERE sender_id = :s"
                ), {"s": sender}).scalar_one()
            if count == len(rasa_events(engine, sender)) or time.monotonic() > deadline:
                return int(count)
            time.sleep(1)

    socket_session, chat = f"privacy-{uuid.uuid4().hex[:6]}", 880000 + uuid.uuid4().int % 9999
    try:
        # The three channels, through the balancer as customers reach the cluster.
        check_answers(over_rest(gone))
        check_answers(over_rest(kept))
        check_answers(over_socket(socket_session))
        check_answers(over_telegram(bot_api, chat))
        for sender in (gone, kept, socket_session, str(chat)):
            assert streamed(sender) == len(rasa_events(engine, sender)) > 0

        with engine.connect() as connection:
            tables = connection.execute(text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            )).scalars().all()
            assert {"events", "conversation_events", "handoffs", "quotes"} <= set(tables)
            for table in tables:
                rows = connection.execute(text(f'SELECT t::text FROM "{table}" t')).scalars()
                dumped = "\n".join(rows)
                assert not [secret for secret in SECRETS if secret in dumped], table
        for log in (ROOT / "var" / "log").glob("*.log"):
            assert not [secret for secret in SECRETS if secret in log.read_text(errors="replace")]

        # Erasure while the cluster serves: the conversation goes, the other goes on.
        kept_events = len(rasa_events(engine, kept))
        with engine.begin() as connection:  # a conversation of long ago, as Rasa stored it
            connection.execute(SQLTrackerStore.SQLEvent.__table__.insert().values(
                sender_id="ancient", type_name="user", timestamp=time.time() - 400 * 86400,
                data=json.dumps({"event": "user", "text": "ciao"}),
            ))
        forget(engine, [gone], "conversation", datetime.now(tz=ROME))
        purged = purge(engine, datetime.now(tz=ROME))
        say(BALANCER, kept, "e con 32 GB?")
        assert purged.conversations == 1 and rasa_events(engine, "ancient") == []
        assert rasa_events(engine, gone) == [] and streamed(gone) == 0
        assert streamed(kept) == len(rasa_events(engine, kept)) > kept_events
    finally:
        consumer.terminate()
        consumer.wait(timeout=30)

    assert_the_report_agrees_with_the_store(engine)  # erasure and purge took both sides


# --- a person in the same chat, across replicas ----------------------------------------

AGENT_EMAIL, AGENT_PASSWORD = "giulia@example.com", "correct horse battery"


class SocketCustomer:
    """A widget's socket on one server (or the balancer), in a conversation of its own."""

    def __init__(self, port: int, session_id: str) -> None:
        self.received: list[str] = []
        self.client = socketio.Client(reconnection=False)
        self.client.on("bot_uttered", lambda data: self.received.append(data.get("text", "")))
        # as the widget's socket.io client does: tried again until a server answers (the
        # balancer sends to a dead server until its health checks have taken it out)
        deadline = time.monotonic() + 30
        while True:
            try:
                self.client.connect(f"http://127.0.0.1:{port}", transports=["polling"],
                                    headers={"Origin": "http://localhost:8080"})
                break
            except socketio.exceptions.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)
        self.client.emit("session_request", {"session_id": session_id})
        self.session_id = session_id

    def write(self, message: str) -> None:
        self.client.emit("user_uttered", {"message": message, "session_id": self.session_id})

    def wait_for(self, text_: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(text_ in said for said in self.received):
                return
            time.sleep(0.2)
        raise AssertionError(f"{text_!r} never reached the socket: {self.received}")


class ConsoleAgent:
    def __init__(self, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}/agent"
        self.http = requests.Session()
        signed = self.http.post(f"{self.url}/api/sign-in", timeout=30,
                                json={"email": AGENT_EMAIL, "password": AGENT_PASSWORD})
        signed.raise_for_status()
        self.csrf = signed.json()["csrf"]
        self.heard: list[dict[str, Any]] = []
        self._stream = self.http.get(f"{self.url}/api/events", stream=True, timeout=120)
        threading.Thread(target=self._listen, daemon=True).start()

    def _listen(self) -> None:
        kind = None
        try:
            for line in self._stream.iter_lines(decode_unicode=True):
                if line.startswith("event: "):
                    kind = line.removeprefix("event: ")
                elif line.startswith("data: ") and kind == "message":
                    self.heard.append(json.loads(line.removeprefix("data: ")))
        except requests.RequestException:
            pass  # the stream ends with the test

    def post(self, conversation: str, what: str, body: dict[str, Any] | None = None) -> None:
        reply = self.http.post(f"{self.url}/api/conversations/{conversation}/{what}",
                               json=body or {}, headers={"X-CSRF-Token": self.csrf}, timeout=60)
        assert reply.status_code == 200, reply.text

    def hears(self, text_: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(item["line"]["text"] == text_ for item in self.heard):
                return
            time.sleep(0.2)
        raise AssertionError(f"the console never heard {text_!r}")


def test_a_person_answers_across_replicas_and_a_dead_replica_loses_no_message(
    cluster: dict[str, Any],
) -> None:
    """The customer's socket on one Rasa server, the agent's console on the other: the
    agent's replies reach the socket (socket.io's rooms shared through Redis), the
    customer's words reach the console (its events relayed through Redis). The server
    holding the socket is then killed: the widget reconnects through the balancer, and
    nothing either side said is lost. (The queueing itself, by the handoff action in the
    line's hours, is tested on `make run`: tests/integration/test_live_handoff.py.)"""
    subprocess.run(
        [sys.executable, "-m", "ops.agent_add", "--name", "Giulia", "--email", AGENT_EMAIL],
        input=AGENT_PASSWORD + "\n", text=True, cwd=ROOT, check=True, capture_output=True,
        env={**os.environ, "DATABASE_URL": DATABASE},
    )
    session_id = f"live-{uuid.uuid4().hex[:8]}"
    customer = SocketCustomer(REPLICAS[1], session_id)
    customer.write("ciao")
    customer.wait_for("Ciao")
    with make_sessions(DATABASE)() as session:
        enqueue(session, sender_id=session_id, channel="socketio", reason="human_handoff",
                now=utc_now())
        session.commit()
    agent = ConsoleAgent(REPLICAS[0])

    agent.post(session_id, "take")
    customer.wait_for("Ora ti risponde Giulia")
    agent.post(session_id, "reply", {"text": "Buongiorno, sono Giulia."})
    customer.wait_for("Buongiorno, sono Giulia.")
    customer.write("ho bisogno di 64 GB di RAM")
    agent.hears("ho bisogno di 64 GB di RAM")

    # the server holding the socket dies; the agent writes meanwhile; the widget reconnects
    killed = pid_listening_on(REPLICAS[1])
    command = (Path("/proc") / str(killed) / "cmdline").read_bytes().split(b"\0")[:-1]
    environ = dict(
        item.split(b"=", 1) for item in
        (Path("/proc") / str(killed) / "environ").read_bytes().split(b"\0") if b"=" in item
    )
    os.kill(killed, signal.SIGKILL)
    customer.client.disconnect()
    agent.post(session_id, "reply", {"text": "Controllo la disponibilità."})
    customer = SocketCustomer(BALANCER, session_id)
    customer.write("ci sei ancora?")
    agent.hears("ci sei ancora?")
    agent.post(session_id, "reply", {"text": "Sì, eccomi."})
    customer.wait_for("Sì, eccomi.")
    agent.post(session_id, "hand-back")
    customer.wait_for("Sono di nuovo io")
    customer.client.disconnect()

    events = rasa_events(cluster["engine"], session_id)
    said = [(event["event"], event["text"]) for event in events
            if event["event"] in ("user", "bot")]
    for line in [("user", "ho bisogno di 64 GB di RAM"), ("bot", "Buongiorno, sono Giulia."),
                 ("bot", "Controllo la disponibilità."), ("user", "ci sei ancora?"),
                 ("bot", "Sì, eccomi.")]:
        assert said.count(line) == 1, line
    taken = next(i for i, e in enumerate(events) if e.get("text") == "Ora ti risponde Giulia.")
    resumed = next(i for i, e in enumerate(events) if e["event"] == "resume")
    held = events[taken:resumed]
    assert not [event for event in held if event["event"] == "action"
                or (event["event"] == "bot" and not (event.get("metadata") or {}).get("agent"))]

    # the replica comes back, for the tests after this one
    cluster["restarted"].append(subprocess.Popen(
        [part.decode() for part in command], cwd=ROOT, start_new_session=True,
        env={key.decode(): value.decode() for key, value in environ.items()},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    ))
    wait_balanced(REPLICAS[1])


def test_a_replica_killed_mid_form_loses_nothing(cluster: dict[str, Any]) -> None:
    wait_balanced(REPLICAS[1])  # the survivor: a test before this one may have restarted it
    sender = f"killed-{uuid.uuid4().hex[:8]}"
    assert say(BALANCER, sender, "vorrei 16 giga di ram in più sul server entry")
    os.kill(pid_listening_on(REPLICAS[0]), signal.SIGKILL)
    deadline = time.monotonic() + 10
    while listening(REPLICAS[0]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not listening(REPLICAS[0])
    for message in ("ciao", "scade tra 40 giorni"):
        replies = say(BALANCER, sender, message)  # status 200, or say() fails
        assert APOLOGY not in replies
    assert f"= {QUOTE_12_20}" in " ".join(replies)


def pid_listening_on(port: int) -> int:
    """The Rasa server started with `--port <port>` (from /proc)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"run" in command and b"--port" in command and str(port).encode() in command:
            return int(entry.name)
    raise AssertionError(f"no server on port {port}")


