"""The action server answers the Rasa servers alone: a call without the shared token is
refused, and it will not listen beyond loopback without one."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from actions.action_server import TOKEN_HEADER, is_loopback, main

TOKEN = "s3cret-for-the-test"
CALL = {"next_action": "action_answer_vat", "sender_id": "t", "tracker": {
    "sender_id": "t", "slots": {}, "latest_message": {"text": "iva?", "intent": {}},
    "events": [], "paused": False, "followup_action": None, "active_loop": {},
    "latest_action_name": "action_listen"}, "domain": {}, "version": "3.6.2"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The action server as run.sh starts it, on a free port, with a token."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    database = tmp_path_factory.mktemp("actions") / "records.db"
    process = subprocess.Popen(
        [sys.executable, "-m", "actions.action_server", "--port", str(port)],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "ACTIONS_TOKEN": TOKEN, "DATABASE_URL": f"sqlite:///{database}"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                requests.get(f"{url}/health", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_call_without_the_token_is_refused(server: str) -> None:
    for headers in ({}, {TOKEN_HEADER: "wrong"}):
        answer = requests.post(f"{server}/webhook", json=CALL, headers=headers, timeout=10)
        assert answer.status_code == 401


def test_a_call_with_the_token_runs_the_action(server: str) -> None:
    headers = {TOKEN_HEADER: TOKEN}
    answer = requests.post(f"{server}/webhook", json=CALL, headers=headers, timeout=10)
    assert answer.status_code == 200 and answer.json()["responses"]


def test_health_is_open_to_the_balancer(server: str) -> None:
    assert requests.get(f"{server}/health", timeout=10).status_code == 200


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("::1", True), ("localhost", True), ("0.0.0.0", False),
    ("10.0.0.5", False), ("actions.internal", False),
])
def test_loopback_is_told_apart(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_it_will_not_listen_on_the_network_without_a_token(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ACTIONS_HOST", "0.0.0.0")
    monkeypatch.delenv("ACTIONS_TOKEN", raising=False)
    monkeypatch.setattr(sys, "argv", ["action_server"])
    assert main() == 2
    assert "ACTIONS_TOKEN" in capsys.readouterr().err
