from __future__ import annotations

from typing import Any

from actions.records.repository import support_requests
from actions.runtime import sessions
from actions.support_form import (
    ActionAskSupportConfirmed,
    ActionSubmitSupportRequest,
    ValidateSupportForm,
    find_email,
)

from .conftest import DOMAIN, MakeTracker

SUPPORT_DOMAIN = {
    "forms": {
        "support_form": {
            "required_slots": ["contact_email", "request_description", "support_confirmed"]
        }
    },
    "slots": DOMAIN["slots"],
}


def _slots(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {event["name"]: event["value"] for event in events if event["event"] == "slot"}


def test_emails_are_found_in_a_sentence() -> None:
    assert find_email("la mia mail è Mario.Rossi@Example.it, grazie") == "Mario.Rossi@example.it"
    assert find_email("mario.rossi@") is None
    assert find_email("scrivimi a mario@@example") is None


async def test_an_invalid_email_is_asked_again(make_tracker: MakeTracker, dispatcher) -> None:
    tracker = make_tracker("mario chiocciola example", requested_slot="contact_email")
    slots = _slots(await ValidateSupportForm().run(dispatcher, tracker, SUPPORT_DOMAIN))
    assert slots == {"contact_email": None}
    assert "non mi sembra un indirizzo email valido" in dispatcher.messages[0]["text"]


async def test_a_valid_email_is_kept(make_tracker, dispatcher) -> None:
    tracker = make_tracker("certo: mario@example.it", requested_slot="contact_email")
    slots = _slots(await ValidateSupportForm().run(dispatcher, tracker, SUPPORT_DOMAIN))
    assert slots == {"contact_email": "mario@example.it"}


async def test_the_summary_asks_to_confirm(make_tracker, dispatcher) -> None:
    tracker = make_tracker(
        contact_email="mario@example.it",
        request_description="aiuto con l'ordine",
        service="ds-pro",
        addons=["ram-16"],
        expiry_date="2027-02-14",
    )
    await ActionAskSupportConfirmed().run(dispatcher, tracker, DOMAIN)
    text = dispatcher.messages[0]["text"]
    assert "• email: mario@example.it" in text and "Allego il preventivo e il riepilogo" in text


async def test_a_confirmed_request_is_stored_with_its_reference(make_tracker, dispatcher) -> None:
    tracker = make_tracker(
        intent="affirm",
        sender_id="s-confirmed",
        contact_email="mario@example.it",
        request_description="pago con 4111 1111 1111 1111",
        support_confirmed=True,
        service="ds-pro",
        addons=["ram-32"],
        expiry_date="2027-02-14",
        events=[{"event": "user", "text": "voglio un operatore", "timestamp": 1795000000}],
    )
    events = await ActionSubmitSupportRequest().run(dispatcher, tracker, DOMAIN)
    with sessions()() as session:
        (request,) = [r for r in support_requests(session) if r.sender_id == "s-confirmed"]
    assert request.status == "pending" and request.reference.startswith("UPG-2026-")
    assert request.description == "pago con [carta •••• 1111]"
    assert "Preventivo: 3 mensilità" in request.transcript_text
    assert f"codice {request.reference}" in dispatcher.messages[0]["text"]
    assert _slots(events) == {"request_description": None, "support_confirmed": None}


async def test_a_request_not_confirmed_is_not_stored(make_tracker, dispatcher) -> None:
    tracker = make_tracker(
        intent="deny",
        sender_id="s-denied",
        contact_email="mario@example.it",
        request_description="x",
        support_confirmed=False,
    )
    events = await ActionSubmitSupportRequest().run(dispatcher, tracker, DOMAIN)
    with sessions()() as session:
        assert [r for r in support_requests(session) if r.sender_id == "s-denied"] == []
    assert "non invio nulla" in dispatcher.messages[0]["text"]
    assert _slots(events)["contact_email"] is None


async def test_records_down_gets_an_apology_and_the_contacts(
    make_tracker, dispatcher, monkeypatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite:////nonexistent/dir/records.db")
    tracker = make_tracker(
        contact_email="mario@example.it", request_description="x", support_confirmed=True
    )
    await ActionSubmitSupportRequest().run(dispatcher, tracker, DOMAIN)
    assert "non riesco a registrare la richiesta" in dispatcher.messages[0]["text"]


async def test_stop_while_asked_for_the_email_is_left_to_the_rules(
    make_tracker, dispatcher
) -> None:
    tracker = make_tracker("lascia perdere", intent="stop", requested_slot="contact_email")
    assert await ValidateSupportForm().run(dispatcher, tracker, SUPPORT_DOMAIN) == []
    assert dispatcher.messages == []
