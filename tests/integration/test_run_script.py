"""`make run`'s script: serves the REST channel and the support page, leaves Telegram off
without a token, and Ctrl-C or SIGTERM stops every server it started."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
import requests

from .conftest import PORTS, listening, say, start_assistant, stop_assistant

pytestmark = pytest.mark.needs_model


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "ctrl-c"])
def test_run_serves_rest_and_stops_cleanly(
    trained_model: Path, tmp_path: Path, stop_signal: signal.Signals
) -> None:
    environment = {"DATABASE_URL": f"sqlite:///{tmp_path / 'helpdesk.db'}", "TELEGRAM_TOKEN": ""}
    process = start_assistant(environment)
    try:
        assert "assistente per l'upgrade" in say("run-script-test", "buongiorno")[0]
        assert requests.get("http://127.0.0.1:8080/", timeout=10).ok  # the widget's page
        telegram = "http://127.0.0.1:5005/webhooks/telegram"
        assert requests.get(f"{telegram}/", timeout=10).json() == {"status": "off"}
        assert requests.post(f"{telegram}/webhook", json={}, timeout=10).status_code == 404
        stop_assistant(process, stop_signal)
        assert not any(listening(port) for port in PORTS), f"a server outlived {stop_signal.name}"
        with pytest.raises(ProcessLookupError):  # nothing of the group is left running
            os.killpg(process.pid, 0)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
