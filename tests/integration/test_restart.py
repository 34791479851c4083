"""Killing the assistant in the middle of a conversation loses nothing: the form's state and
the pending support requests are in the database, and the next start picks them up. On
SQLite, and on PostgreSQL where one answers (Rasa's tracker store and the records alike)."""

from __future__ import annotations

import re
import signal
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest

from actions.records.db import make_sessions
from actions.records.repository import support_requests
from tests.databases import migrated_database

from .conftest import say, start_assistant, stop_assistant

pytestmark = pytest.mark.needs_model


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from migrated_database(request.param, tmp_path)


def test_a_crash_keeps_the_conversation_and_the_pending_request(
    trained_model: Path, database: str
) -> None:
    env = {"DATABASE_URL": database, "HELPDESK_URL": ""}  # no helpdesk: requests stay pending
    quote_id, ticket_id = f"crash-quote-{uuid4().hex}", f"crash-ticket-{uuid4().hex}"
    process = start_assistant(env)
    try:
        say(quote_id, "vorrei fare un upgrade")
        assert "Cosa vorresti aggiungere" in say(quote_id, "il dedicato pro")[0]

        say(ticket_id, "voglio parlare con un operatore")
        say(ticket_id, "si")
        say(ticket_id, "mario.rossi@example.it")
        assert "La invio?" in say(ticket_id, "mi serve aiuto per ordinare la ram")[0]
        confirmation = say(ticket_id, "si")[0]
        reference = re.search(r"UPG-\d{4}-\d{6}", confirmation)
        assert reference, confirmation

        stop_assistant(process, signal.SIGKILL)  # a crash, not a clean stop
        process = start_assistant(env)

        # The form goes on where it was: the service is known, the expiry is asked next.
        assert "Quando scade il servizio?" in say(quote_id, "16 giga di ram")[0]
        quote = say(quote_id, "tra 40 giorni")[0]
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
