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

SUPPORT_DOMAIN = DOMAIN


async def _read(tracker: Any, dispatcher: Any) -> dict[str, Any]:
    return _slots(await ValidateSupportForm().run(dispatcher, tracker, SUPPORT_DOMAIN))


def _slots(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {event["name"]: event["value"] for event in events if event["event"] == "slot"}


def test_emails_are_found_in_a_sentence() -> None:
    assert find_email("la mia mail è Mario.Rossi@Example.it, grazie") == "Mario.Rossi@example.it"
    assert find_email("mario.rossi@") is None
    assert find_email("scrivimi a mario@@example") is None


async def test_an_invalid_email_is_asked_again(make_tracker: MakeTracker, dispatcher) -> None:
    tracker = make_tracker("mario@@example", support_wanted=True, requested_slot="contact_email")
    slots = await _read(tracker, dispatcher)
    assert slots["contact_email"] is None
    assert "non mi sembra un indirizzo email valido" in slots["support_notes"][0]


async def test_a_yes_in_any_words_is_consent(make_tracker, dispatcher) -> None:
    for text in ("si grazie", "si invia grazie", "ho detto si, apri la richiesta"):
        tracker = make_tracker(text, intent="thank", requested_slot="support_wanted")
        slots = await _read(tracker, dispatcher)
        assert slots["support_wanted"] is True


async def test_an_email_instead_of_yes_is_consent_and_kept(make_tracker, dispatcher) -> None:
    tracker = make_tracker(
        "voglio un operatore, la mia mail è franco.neri@example.it",
        intent="human_handoff",
        requested_slot="support_wanted",
    )
    slots = await _read(tracker, dispatcher)
    assert slots["support_wanted"] is True and slots["contact_email"] == "franco.neri@example.it"


async def test_the_problem_instead_of_yes_is_consent_and_kept(make_tracker, dispatcher) -> None:
    # the second names an item of the price list: a problem told is still the description
    for text in (
        "il pannello mi da errore quando clicco upgrade",
        "non riesco ad aggiungere la ram dal pannello",
    ):
        tracker = make_tracker(text, intent="out_of_scope", requested_slot="support_wanted")
        slots = await _read(tracker, dispatcher)
        assert slots["support_wanted"] is True and slots["request_description"] == text


async def test_a_new_email_at_the_confirmation_replaces_it_and_asks_again(
    make_tracker, dispatcher
) -> None:
    tracker = make_tracker(
        "aspetta, cambia la mail: meglio luca@example.it",
        support_wanted=True,
        contact_email="mario@example.it",
        request_description="ordine bloccato",
        requested_slot="support_confirmed",
    )
    slots = await _read(tracker, dispatcher)
    assert slots["contact_email"] == "luca@example.it" and slots["support_confirmed"] is None
    assert slots["support_notes"] == ["Ho cambiato l'email: luca@example.it."]


async def test_no_at_the_offer_declines(make_tracker, dispatcher) -> None:
    tracker = make_tracker(
        "no grazie vado sul portale", intent="deny", requested_slot="support_wanted"
    )
    slots = await _read(tracker, dispatcher)
    assert slots["support_wanted"] is False and slots["requested_slot"] is None


async def test_a_question_in_the_middle_is_left_to_the_rules(make_tracker, dispatcher) -> None:
    tracker = make_tracker(
        "ma quanto ci mette ad attivarsi?", intent="ask_activation", requested_slot="contact_email"
    )
    assert await ValidateSupportForm().run(dispatcher, tracker, SUPPORT_DOMAIN) == []


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
    assert request.description == "pago con [carta nascosta]"
    assert "Preventivo: 3 mensilità" in request.transcript_text
    assert f"codice {request.reference}" in dispatcher.messages[0]["text"]
    assert _slots(events)["last_request"] == request.reference
    assert _slots(events)["sent_email"] == "mario@example.it"


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


async def test_declined_with_the_quote_in_the_same_words_goes_back_to_the_quote(
    make_tracker, dispatcher
) -> None:
    tracker = make_tracker(
        "no dai va bene, intanto dimmi quanto costa. il server scade domani",
        intent="deny",
        support_wanted=False,
        service="ds-enterprise",
        addons=["firewall"],
    )
    events = await ActionSubmitSupportRequest().run(dispatcher, tracker, DOMAIN)
    assert {"event": "followup", "name": "upgrade_form", "timestamp": None} in events
    assert "non invio nulla" in dispatcher.messages[0]["text"]


async def test_the_message_asking_for_a_person_gives_its_email_not_consent(
    make_tracker, dispatcher
) -> None:
    tracker = make_tracker(
        "preferisco sentire un operatore, scrivetemi a anna@example.it", intent="human_handoff"
    )
    assert await _read(tracker, dispatcher) == {"contact_email": "anna@example.it"}


async def test_another_product_at_the_offer_is_not_a_description(make_tracker, dispatcher) -> None:
    tracker = make_tracker(
        "e per la pec? vorrei aumentare lo spazio della casella",
        intent="out_of_scope",
        requested_slot="support_wanted",
    )
    assert await ValidateSupportForm().run(dispatcher, tracker, SUPPORT_DOMAIN) == []


async def test_details_of_the_quote_at_the_offer_go_to_the_quote(
    make_tracker: MakeTracker, dispatcher: Any
) -> None:
    for text in ("un disco, quello da 2 tera", "scade a fine gennaio"):
        tracker = make_tracker(text, intent="inform", requested_slot="support_wanted")
        assert (await _read(tracker, dispatcher))["support_wanted"] is False


async def test_quote_details_at_the_offer_end_it_silently_and_go_to_the_quote(
    make_tracker: MakeTracker, dispatcher: Any
) -> None:
    tracker = make_tracker("scade a fine gennaio", support_wanted=False, active_loop=None)
    events = await ActionSubmitSupportRequest().run(dispatcher, tracker, DOMAIN)
    assert dispatcher.messages == []
    assert {"event": "followup", "name": "upgrade_form", "timestamp": None} in events


async def test_a_no_with_quote_details_says_so_and_goes_to_the_quote(
    make_tracker: MakeTracker, dispatcher: Any
) -> None:
    tracker = make_tracker(
        "no, intanto dimmi quanto costa: scade domani", intent="deny", support_wanted=False,
        active_loop=None,
    )
    events = await ActionSubmitSupportRequest().run(dispatcher, tracker, DOMAIN)
    assert "non invio nulla" in dispatcher.messages[0]["text"]
    assert {"event": "followup", "name": "upgrade_form", "timestamp": None} in events



async def test_asking_for_a_person_at_the_offer_leaves_the_turn_to_the_handoff(
    make_tracker, dispatcher, agent_present: None
) -> None:
    """Out of scope, a person was offered beside the request ("Parla con una persona"):
    nothing is filled, so Rasa rejects the form and the handoff action queues."""
    events = [{"event": "user", "text": "la mia pec non va", "input_channel": "telegram"}]
    tracker = make_tracker("/human_handoff", intent="human_handoff", sender_id="form-live",
                           requested_slot="support_wanted", active_loop="support_form",
                           events=events)
    assert await ValidateSupportForm().run(dispatcher, tracker, SUPPORT_DOMAIN) == []


async def test_asking_for_a_person_at_the_offer_with_nobody_at_hand_asks_again(
    make_tracker, dispatcher
) -> None:
    events = [{"event": "user", "text": "la mia pec non va", "input_channel": "telegram"}]
    tracker = make_tracker("/human_handoff", intent="human_handoff", sender_id="form-none",
                           requested_slot="support_wanted", active_loop="support_form",
                           events=events)
    slots = await _read(tracker, dispatcher)
    # the form keeps the turn (a slot validated, none given): the offer is asked again
    assert "support_wanted" in slots and slots["support_wanted"] is None
