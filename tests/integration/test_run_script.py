"""`make run`'s script: serves the REST channel, and SIGTERM stops both servers."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from .conftest import PORTS, listening, say, start_assistant, stop_assistant

pytestmark = pytest.mark.needs_model


def test_run_serves_rest_and_stops_cleanly_on_sigterm(trained_model: Path, tmp_path: Path) -> None:
    process = start_assistant({"DATABASE_URL": f"sqlite:///{tmp_path / 'helpdesk.db'}"})
    try:
        assert "assistente per l'upgrade" in say("run-script-test", "buongiorno")[0]
        stop_assistant(process, signal.SIGTERM)
        assert not any(listening(port) for port in PORTS), "a server outlived SIGTERM"
        with pytest.raises(ProcessLookupError):  # nothing of the group is left running
            os.killpg(process.pid, 0)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
