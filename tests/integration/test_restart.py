"""Killing the assistant in the middle of a conversation loses nothing: the form's state and
the pending support requests are in the database, and the next start picks them up."""

from __future__ import annotations

import re
import signal
from pathlib import Path

import pytest

from actions.records.db import make_sessions
from actions.records.repository import support_requests

from .conftest import say, start_assistant, stop_assistant

pytestmark = pytest.mark.needs_model


def test_a_crash_keeps_the_conversation_and_the_pending_request(
    trained_model: Path, tmp_path: Path
) -> None:
    database = f"sqlite:///{tmp_path / 'helpdesk.db'}"
    env = {"DATABASE_URL": database, "HELPDESK_URL": ""}  # no helpdesk: requests stay pending
    process = start_assistant(env)
    try:
        say("crash-quote", "vorrei fare un upgrade")
        assert "Cosa vorresti aggiungere" in say("crash-quote", "il dedicato pro")[0]

        say("crash-ticket", "voglio parlare con un operatore")
        say("crash-ticket", "si")
        say("crash-ticket", "mario.rossi@example.it")
        assert "La invio?" in say("crash-ticket", "mi serve aiuto per ordinare la ram")[0]
        confirmation = say("crash-ticket", "si")[0]
        reference = re.search(r"UPG-\d{4}-\d{6}", confirmation)
        assert reference, confirmation

        stop_assistant(process, signal.SIGKILL)  # a crash, not a clean stop
        process = start_assistant(env)

        # The form goes on where it was: the service is known, the expiry is asked next.
        assert "Quando scade il servizio?" in say("crash-quote", "16 giga di ram")[0]
        quote = say("crash-quote", "tra 40 giorni")[0]
        assert "Server Dedicato Pro" in quote and "RAM +16 GB" in quote
        assert "Totale upgrade: 10,00 € + IVA 22% (2,20 €) = 12,20 €." in quote
    finally:
        if process.poll() is None:
            stop_assistant(process, signal.SIGTERM)

    sessions = make_sessions(database)
    with sessions() as session:
        (request,) = support_requests(session)
    assert request.reference == reference.group(0) and request.status == "pending"
    assert request.contact_email == "mario.rossi@example.it"
    assert "Cliente: voglio parlare con un operatore" in request.transcript_text
