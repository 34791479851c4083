"""`make run`'s script: serves the REST channel, and SIGTERM stops both servers."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

from .conftest import ROOT

pytestmark = pytest.mark.needs_model

PORTS = (5005, 5055)


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_run_serves_rest_and_stops_cleanly_on_sigterm(trained_model: Path) -> None:
    busy = [port for port in PORTS if _listening(port)]
    assert not busy, f"ports {busy} are taken: stop the running assistant before the tests"
    process = subprocess.Popen(
        ["scripts/run.sh"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + 180
        output = []
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            output.append(line)
            if "The assistant is running" in line:
                break
        assert "The assistant is running" in "".join(output), "".join(output)

        reply = requests.post(
            "http://127.0.0.1:5005/webhooks/rest/webhook",
            json={"sender": "run-script-test", "message": "buongiorno"},
            timeout=30,
        )
        assert reply.status_code == 200
        assert "assistente per l'upgrade" in reply.json()[0]["text"]

        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        deadline = time.monotonic() + 20
        while any(_listening(port) for port in PORTS) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not any(_listening(port) for port in PORTS), "a server outlived SIGTERM"
        with pytest.raises(ProcessLookupError):  # nothing of the group is left running
            os.killpg(process.pid, 0)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
