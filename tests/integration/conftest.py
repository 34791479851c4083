from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from actions.domain.catalog import default_catalog
from actions.domain.money import format_eur
from actions.domain.pricing import quote_upgrade

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "upgrade-helpdesk.tar.gz"
PORTS = (5005, 5055, 8080)
REST = "http://127.0.0.1:5005/webhooks/rest/webhook"


@pytest.fixture(scope="session")
def trained_model() -> Path:
    if not MODEL.exists():
        pytest.skip(f"no trained model at {MODEL}: run `make train` (make test does) first")
    return MODEL


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def start_assistant(
    env: dict[str, str] | None = None, ports: tuple[int, ...] = PORTS
) -> subprocess.Popen[str]:
    """`make run`'s script in a process group of its own, once it says it is running."""
    busy = [port for port in ports if listening(port)]
    assert not busy, f"ports {busy} are taken: stop the running assistant before the tests"
    process = subprocess.Popen(
        ["scripts/run.sh"],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    assert process.stdout is not None
    output = []
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        output.append(line)
        if "The assistant is running" in line:
            return process
    stop_assistant(process, signal.SIGKILL)
    raise AssertionError("the assistant did not start:\n" + "".join(output))


def stop_assistant(process: subprocess.Popen[str], sig: int = signal.SIGTERM) -> None:
    if sig in (signal.SIGKILL, signal.SIGINT):
        # SIGKILL to the whole group, as a crash would; SIGINT too, as Ctrl-C in a terminal.
        os.killpg(process.pid, sig)
    else:
        process.send_signal(sig)  # SIGTERM to the script alone, as `kill` would
    process.wait(timeout=30)
    deadline = time.monotonic() + 20
    while any(listening(port) for port in PORTS) and time.monotonic() < deadline:
        time.sleep(0.5)


def start_action_server(port: int = 5055) -> subprocess.Popen[bytes]:
    """An action server of its own, for tests that stop it under a running assistant."""
    process = subprocess.Popen(
        [sys.executable, "-m", "actions.action_server", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/health", timeout=2).ok:
                return process
        except requests.ConnectionError:
            time.sleep(0.5)
    os.killpg(process.pid, signal.SIGKILL)
    raise AssertionError("the action server did not start")


def stop_action_server(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def say(sender: str, message: str) -> list[str]:
    reply = requests.post(REST, json={"sender": sender, "message": message}, timeout=60)
    reply.raise_for_status()
    return [item.get("text", "") for item in reply.json()]


def expected_total(service_id: str, addon_ids: list[str], days: int) -> str:
    """The total the assistant must quote, as it writes it: from the pricing rules."""
    return format_eur(quote_upgrade(default_catalog(), service_id, addon_ids, days).price.total)
