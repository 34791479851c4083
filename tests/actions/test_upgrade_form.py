"""The upgrade form as Rasa calls it: the validation turns a message into slot events (the
draft), the notes say what changed, the ask actions say them with their question."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.service_context import ActionNoteService
from actions.upgrade_form import (
    ActionAskAddonChoice,
    ActionAskAddons,
    ActionAskExpiryDate,
    ActionAskService,
    ValidateUpgradeForm,
)

from .conftest import DOMAIN, MakeTracker

DISKS = ["ssd-480", "ssd-960", "hdd-2tb", "nvme-1tb"]


def _slots(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {event["name"]: event["value"] for event in events if event["event"] == "slot"}


async def _run(tracker: Any, dispatcher: CollectingDispatcher) -> dict[str, Any]:
    return _slots(await ValidateUpgradeForm().run(dispatcher, tracker, DOMAIN))


async def test_one_message_fills_every_slot(make_tracker: MakeTracker, dispatcher) -> None:
    tracker = make_tracker(
        "vorrei 16 giga di ram e un ip in più sul server entry, scade tra 40 giorni",
        intent="request_quote",
    )
    slots = await _run(tracker, dispatcher)
    assert slots["service"] == "ds-entry" and slots["service_kind"] == "dedicated"
    assert slots["addons"] == ["ram-16", "ip-extra"]
    assert slots["expiry_date"] == "2027-01-05"
    assert dispatcher.messages == [] and "draft_notes" not in slots


async def test_a_button_payload_sets_the_id(make_tracker, dispatcher) -> None:
    tracker = make_tracker(
        '/inform{"addon":"ram-32"}',
        entities=[{"entity": "addon", "value": "ram-32"}],
        service="ds-pro",
        requested_slot="addons",
    )
    assert (await _run(tracker, dispatcher))["addons"] == ["ram-32"]


async def test_a_button_for_an_addon_already_chosen_does_not_add_another(
    make_tracker, dispatcher
) -> None:
    tracker = make_tracker(
        '/inform{"addon":"ssd-960"}',
        entities=[{"entity": "addon", "value": "ssd-960"}],
        service="ds-pro",
        addons=["ssd-960"],
    )
    slots = await _run(tracker, dispatcher)
    assert "addons" not in slots
    assert slots["draft_notes"] == ["SSD 960 GB: c'è già nel preventivo."]


async def test_a_correction_replaces_the_ram_and_says_so(make_tracker, dispatcher) -> None:
    tracker = make_tracker(
        "anzi, 64 GB", service="ds-pro", addons=["ram-16", "ip-extra"], expiry_date="2027-01-06"
    )
    slots = await _run(tracker, dispatcher)
    assert slots["addons"] == ["ip-extra", "ram-64"]
    assert slots["draft_notes"] == ["Ho tolto RAM +16 GB.", "Ho aggiunto RAM +64 GB."]


async def test_a_correction_that_does_not_fit_keeps_the_earlier_choice(
    make_tracker, dispatcher
) -> None:
    # The Entry has 16 GB and takes 64 GB at most: +64 GB does not fit, +16 GB stays.
    tracker = make_tracker("anzi, 64 GB", service="ds-entry", addons=["ram-16", "ip-extra"])
    slots = await _run(tracker, dispatcher)
    assert "addons" not in slots
    (note,) = slots["draft_notes"]
    assert "oltre il massimo di 64 GB" in note
    assert "Puoi scegliere invece: RAM +16 GB, RAM +32 GB." in note


async def test_removing_an_item_keeps_the_rest(make_tracker, dispatcher) -> None:
    tracker = make_tracker(
        "togli il raid, per ora prendo solo i dischi",
        intent="ask_downgrade",  # misread by the NLU: the removal of what is held still counts
        service="ds-pro",
        addons=["raid-hw", "ssd-960", "ssd-960"],
        expiry_date="2026-12-05",
    )
    slots = await _run(tracker, dispatcher)
    assert slots["addons"] == ["ssd-960", "ssd-960"] and "expiry_date" not in slots
    assert slots["draft_notes"] == ["Ho tolto Controller RAID hardware."]


async def test_an_incompatible_addon_is_explained_dropped_and_alternatives_offered(
    make_tracker, dispatcher
) -> None:
    tracker = make_tracker("16 gb di ram e un ip", service="housing-1u", requested_slot="addons")
    slots = await _run(tracker, dispatcher)
    assert slots["addons"] == ["ip-extra"]
    (note,) = slots["draft_notes"]
    assert "solo sui Server Dedicati" in note and "Backup 100 GB" in note


async def test_a_new_service_drops_what_does_not_fit_and_says_why(make_tracker, dispatcher) -> None:
    tracker = make_tracker(
        "no scusa, è un housing 4u", service="ds-pro", addons=["ram-16", "firewall"]
    )
    slots = await _run(tracker, dispatcher)
    assert slots["service"] == "housing-4u" and slots["addons"] == ["firewall"]
    assert slots["draft_notes"][0] == "Ho cambiato il servizio: Housing 4U."
    assert "RAM +16 GB è disponibile solo sui Server Dedicati" in slots["draft_notes"][1]


async def test_a_date_that_does_not_exist_is_one_note_and_the_question(
    make_tracker, dispatcher
) -> None:
    tracker = make_tracker(
        "scade il 31 febbraio", service="ds-pro", addons=["ram-16"], requested_slot="expiry_date"
    )
    slots = await _run(tracker, dispatcher)
    assert "expiry_date" not in slots or slots["expiry_date"] is None
    assert slots["draft_notes"] == ["La data «31 febbraio» non esiste: controlla giorno e mese."]
    ask = make_tracker(service="ds-pro", draft_notes=slots["draft_notes"])
    events = await ActionAskExpiryDate().run(dispatcher, ask, DOMAIN)
    (message,) = dispatcher.messages
    assert message["text"].startswith("La data «31 febbraio» non esiste")
    assert "Quando scade il servizio?" in message["text"]
    assert _slots(events) == {"draft_notes": None}


async def test_a_month_without_a_day_is_completed_by_a_bare_day(make_tracker, dispatcher) -> None:
    tracker = make_tracker(
        "a febbraio", service="ds-pro", addons=["ram-16"], requested_slot="expiry_date"
    )
    slots = await _run(tracker, dispatcher)
    assert slots["expiry_month"] == "2027-02-01"
    answer = make_tracker(
        "28", service="ds-pro", addons=["ram-16"], expiry_month="2027-02-01",
        requested_slot="expiry_date",
    )
    slots = await _run(answer, CollectingDispatcher())
    assert slots["expiry_date"] == "2027-02-28" and slots["expiry_month"] is None


async def test_an_answer_with_nothing_usable_is_asked_again(make_tracker, dispatcher) -> None:
    tracker = make_tracker("boh", service="ds-pro", addons=["ram-16"], requested_slot="expiry_date")
    slots = await _run(tracker, dispatcher)
    assert slots["expiry_date"] is None
    assert slots["draft_notes"] == ["Non ho trovato una data di scadenza nel tuo messaggio."]


async def test_the_awaited_value_is_an_answer_whatever_the_intent(make_tracker, dispatcher) -> None:
    tracker = make_tracker(
        "mancano 120 giorni alla scadenza",
        intent="ask_cost_rules",
        service="ds-pro",
        addons=["ram-16"],
        requested_slot="expiry_date",
    )
    assert (await _run(tracker, dispatcher))["expiry_date"] == "2027-03-26"


async def test_a_question_in_the_middle_fills_nothing_so_the_form_rejects(
    make_tracker, dispatcher
) -> None:
    tracker = make_tracker(
        "non conviene passare direttamente all'enterprise?",
        intent="ask_bigger_machine",
        service="ds-pro",
        addons=["ram-32"],
        requested_slot="expiry_date",
    )
    assert await _run(tracker, dispatcher) == {}


async def test_services_in_doubt_are_asked_back_with_their_buttons(
    make_tracker, dispatcher
) -> None:
    tracker = make_tracker("boh, non so se è entry o pro", addons=["ram-16"])
    slots = await _run(tracker, dispatcher)
    assert slots["service_choices"] == ["ds-entry", "ds-pro"] and slots["service"] is None
    ask = make_tracker(service_choices=slots["service_choices"])
    await ActionAskService().run(dispatcher, ask, DOMAIN)
    (message,) = dispatcher.messages
    assert message["text"].startswith("Server Dedicato Entry o Server Dedicato Pro?")
    assert "Area Clienti" in message["text"]
    assert [b["payload"] for b in message["buttons"]] == [
        '/inform{"service":"ds-entry"}',
        '/inform{"service":"ds-pro"}',
    ]


async def test_a_family_without_size_asks_which_one_and_the_figure_answers(
    make_tracker, dispatcher
) -> None:
    tracker = make_tracker(
        "e anche un disco in più", service="ds-pro", addons=["ram-16"], requested_slot="expiry_date"
    )
    slots = await _run(tracker, dispatcher)
    assert slots["addon_choices"] == DISKS and slots["requested_slot"] == "addon_choice"
    answer = make_tracker(
        "quello da 960",
        service="ds-pro",
        addons=["ram-16"],
        addon_choices=DISKS,
        requested_slot="addon_choice",
    )
    slots = await _run(answer, CollectingDispatcher())
    assert slots["addons"] == ["ram-16", "ssd-960"] and slots["addon_choices"] is None


async def test_the_cheapest_of_those_offered(make_tracker, dispatcher) -> None:
    packs = ["power-05a", "power-1a", "power-2a"]
    tracker = make_tracker(
        "quella più economica",
        intent="ask_downgrade",
        service="housing-4u",
        addon_choices=packs,
        requested_slot="addon_choice",
    )
    assert (await _run(tracker, dispatcher))["addons"] == ["power-05a"]


async def test_a_count_that_cannot_be_quoted_is_said_and_nothing_added(
    make_tracker, dispatcher
) -> None:
    tracker = make_tracker("vorrei -3 ip", service="ds-pro", requested_slot="addons")
    slots = await _run(tracker, dispatcher)
    assert slots["addons"] is None
    assert "da 1 a 10 unità" in slots["draft_notes"][0]


async def test_a_message_the_nlu_is_unsure_of_is_still_read(make_tracker, dispatcher) -> None:
    tracker = make_tracker("firewal x il pro", intent="nlu_fallback", requested_slot="service")
    slots = await _run(tracker, dispatcher)
    assert slots["service"] == "ds-pro" and slots["addons"] == ["firewall"]


async def test_ask_addons_offers_only_what_fits(make_tracker, dispatcher) -> None:
    await ActionAskAddons().run(dispatcher, make_tracker(service="housing-1u"), DOMAIN)
    (message,) = dispatcher.messages
    titles = [button["title"] for button in message["buttons"]]
    assert "Pacchetto potenza +1 A · 35,00 €/mese" in titles
    assert not any(title.startswith("RAM") for title in titles)


async def test_ask_addon_choice_offers_the_candidates_that_fit(make_tracker, dispatcher) -> None:
    # The Entry takes 64 GB at most from its 16 GB: the 64 GB module does not fit.
    tracker = make_tracker(service="ds-entry", addon_choices=["ram-16", "ram-32", "ram-64"])
    await ActionAskAddonChoice().run(dispatcher, tracker, DOMAIN)
    payloads = [button["payload"] for button in dispatcher.messages[0]["buttons"]]
    assert payloads == ['/inform{"addon":"ram-16"}', '/inform{"addon":"ram-32"}']


async def test_a_service_the_customer_says_they_have_is_kept_from_a_question(
    make_tracker, dispatcher
) -> None:
    question = make_tracker("ho un housing 4U, posso fare un downgrade?", intent="ask_downgrade")
    events = await ActionNoteService().run(dispatcher, question, DOMAIN)
    assert _slots(events) == {"service": "housing-4u", "service_kind": "housing"}
    # with a service in the draft, another one named in a question changes nothing
    what_if = make_tracker(
        "non conviene passare all'enterprise?", intent="ask_bigger_machine", service="ds-pro"
    )
    assert await ActionNoteService().run(dispatcher, what_if, DOMAIN) == []


async def test_asking_to_see_the_options_again_shows_the_family(make_tracker, dispatcher) -> None:
    tracker = make_tracker(
        "aspetta, me li rimostri tutti?",
        intent="nlu_fallback",
        service="ds-pro",
        addons=["ssd-960"],
        draft_focus="ssd-960",
        requested_slot="expiry_date",
    )
    slots = await _run(tracker, dispatcher)
    assert slots["addon_choices"] == DISKS and slots["requested_slot"] == "addon_choice"


async def test_a_correction_of_a_held_item_is_an_edit_whatever_the_intent(
    make_tracker, dispatcher
) -> None:
    tracker = make_tracker(
        "ah ok. allora una sola, ma da 960",
        intent="ask_contacts",
        service="ds-entry",
        addons=["ssd-480"],
        requested_slot="expiry_date",
    )
    assert (await _run(tracker, dispatcher))["addons"] == ["ssd-960"]


async def test_starting_over_keeps_the_service_and_its_expiry(make_tracker, dispatcher) -> None:
    tracker = make_tracker(
        "ricominciamo: solo un firewall",
        service="ds-pro",
        addons=["ram-16", "ip-extra"],
        expiry_date="2027-01-06",
    )
    slots = await _run(tracker, dispatcher)
    assert slots["addons"] == ["firewall"]
    assert "service" not in slots and "expiry_date" not in slots
