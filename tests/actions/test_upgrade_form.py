from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.upgrade_form import (
    ActionAskAddonChoice,
    ActionAskAddons,
    ActionAskService,
    ValidateUpgradeForm,
)

from .conftest import DOMAIN, MakeTracker


def _slots(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {event["name"]: event["value"] for event in events if event["event"] == "slot"}


async def _run(tracker: Any, dispatcher: CollectingDispatcher) -> dict[str, Any]:
    return _slots(await ValidateUpgradeForm().run(dispatcher, tracker, DOMAIN))


async def test_one_message_fills_every_slot(make_tracker: MakeTracker, dispatcher) -> None:
    tracker = make_tracker(
        "vorrei 16 giga di ram e un ip in più sul server entry, scade tra 40 giorni",
        intent="request_quote",
        entities=[
            {"entity": "addon", "value": "16 giga di ram"},
            {"entity": "addon", "value": "ip"},
            {"entity": "service", "value": "server entry"},
        ],
    )
    slots = await _run(tracker, dispatcher)
    assert slots["service"] == "ds-entry"
    assert slots["addons"] == ["ram-16", "ip-extra"]
    assert slots["expiry_date"] == "2027-01-05"
    assert dispatcher.messages == []


async def test_words_the_entity_extractor_missed_are_still_read(make_tracker, dispatcher) -> None:
    tracker = make_tracker("dedicato pro con 2 dischi ssd da 480", requested_slot="service")
    slots = await _run(tracker, dispatcher)
    assert slots["service"] == "ds-pro" and slots["addons"] == ["ssd-480", "ssd-480"]


async def test_a_button_payload_sets_the_id(make_tracker, dispatcher) -> None:
    tracker = make_tracker(
        '/inform{"addon":"ram-32"}',
        entities=[{"entity": "addon", "value": "ram-32"}],
        service="ds-pro",
        requested_slot="addons",
    )
    assert (await _run(tracker, dispatcher))["addons"] == ["ram-32"]


async def test_a_correction_replaces_the_ram(make_tracker, dispatcher) -> None:
    tracker = make_tracker(
        "anzi, 64 GB", service="ds-pro", addons=["ram-16", "ip-extra"], requested_slot="expiry_date"
    )
    assert (await _run(tracker, dispatcher))["addons"] == ["ip-extra", "ram-64"]


async def test_incompatible_addon_is_explained_and_dropped(make_tracker, dispatcher) -> None:
    tracker = make_tracker("16 gb di ram e un ip", service="housing-1u", requested_slot="addons")
    slots = await _run(tracker, dispatcher)
    assert slots["addons"] == ["ip-extra"]
    (message,) = dispatcher.messages
    assert "solo sui Server Dedicati" in message["text"]
    assert "Backup 100 GB" in message["text"]  # an alternative that fits a Housing


async def test_nothing_fitting_asks_again(make_tracker, dispatcher) -> None:
    tracker = make_tracker("1 ampere in più", service="ds-entry", requested_slot="addons")
    slots = await _run(tracker, dispatcher)
    assert slots["addons"] is None
    assert "solo sui servizi di Housing" in dispatcher.messages[0]["text"]


async def test_a_changed_service_rechecks_the_addons(make_tracker, dispatcher) -> None:
    tracker = make_tracker(
        "no scusa, è un housing 4u", service="ds-pro", addons=["ram-16", "firewall"]
    )
    slots = await _run(tracker, dispatcher)
    assert slots["service"] == "housing-4u" and slots["addons"] == ["firewall"]


async def test_a_date_that_does_not_exist_is_asked_again(make_tracker, dispatcher) -> None:
    tracker = make_tracker(
        "scade il 31 febbraio", service="ds-pro", addons=["ram-16"], requested_slot="expiry_date"
    )
    slots = await _run(tracker, dispatcher)
    assert slots["expiry_date"] is None
    assert "«31 febbraio» non esiste" in dispatcher.messages[0]["text"]


async def test_an_answer_with_nothing_usable_is_asked_again(make_tracker, dispatcher) -> None:
    tracker = make_tracker("boh", service="ds-pro", addons=["ram-16"], requested_slot="expiry_date")
    slots = await _run(tracker, dispatcher)
    assert slots == {"expiry_date": None}
    assert "Non ho trovato una data" in dispatcher.messages[0]["text"]


async def test_a_question_in_the_middle_fills_nothing_so_the_form_rejects(
    make_tracker, dispatcher
) -> None:
    tracker = make_tracker(
        "ma il downgrade si può fare?",
        intent="ask_downgrade",
        service="ds-pro",
        requested_slot="addons",
    )
    assert await _run(tracker, dispatcher) == {}
    assert dispatcher.messages == []


async def test_a_family_without_size_asks_which_one_and_keeps_the_rest(
    make_tracker, dispatcher
) -> None:
    tracker = make_tracker(
        "e anche un disco in più", service="ds-pro", addons=["ram-16"], requested_slot="expiry_date"
    )
    slots = await _run(tracker, dispatcher)
    assert slots["addon_choices"] == ["ssd-480", "ssd-960", "hdd-2tb", "nvme-1tb"]
    assert slots["requested_slot"] == "addon_choice"
    assert "addons" not in slots

    answer = make_tracker(
        '/inform{"addon":"nvme-1tb"}',
        entities=[{"entity": "addon", "value": "nvme-1tb"}],
        service="ds-pro",
        addons=["ram-16"],
        addon_choices=slots["addon_choices"],
        requested_slot="addon_choice",
    )
    slots = await _run(answer, CollectingDispatcher())
    assert slots["addons"] == ["ram-16", "nvme-1tb"] and slots["addon_choices"] is None


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


async def test_a_correction_that_does_not_fit_keeps_the_earlier_choice(
    make_tracker, dispatcher
) -> None:
    # The Entry has 16 GB and takes 64 GB at most: +64 GB does not fit, +16 GB stays.
    tracker = make_tracker("anzi, 64 GB", service="ds-entry", addons=["ram-16", "ip-extra"])
    assert (await _run(tracker, dispatcher))["addons"] == ["ram-16", "ip-extra"]
    (message,) = dispatcher.messages
    assert "oltre il massimo di 64 GB" in message["text"]
    assert "Puoi scegliere invece: RAM +16 GB, RAM +32 GB." in message["text"]
    assert "ho lasciato la scelta di prima: RAM +16 GB, IP pubblico aggiuntivo" in message["text"]


async def test_service_and_addons_checked_together_explain_once(make_tracker, dispatcher) -> None:
    tracker = make_tracker(
        "housing 1u con 16 gb di ram e un firewall",
        intent="request_quote",
        entities=[{"entity": "service", "value": "housing 1u"}],
    )
    slots = await _run(tracker, dispatcher)
    assert slots["service"] == "housing-1u" and slots["addons"] == ["firewall"]
    assert len(dispatcher.messages) == 1


async def test_the_choice_is_answered_by_its_figure_alone(make_tracker, dispatcher) -> None:
    tracker = make_tracker(
        "quello da 960",
        service="ds-pro",
        addons=["ram-16"],
        addon_choices=["ssd-480", "ssd-960", "hdd-2tb", "nvme-1tb"],
        requested_slot="addon_choice",
    )
    slots = await _run(tracker, dispatcher)
    assert slots["addons"] == ["ram-16", "ssd-960"] and slots["addon_choices"] is None


async def test_a_family_that_does_not_fit_is_explained_not_offered(
    make_tracker, dispatcher
) -> None:
    tracker = make_tracker(
        "e anche un disco in più",
        service="housing-1u",
        addons=["firewall"],
        requested_slot="expiry_date",
    )
    slots = await _run(tracker, dispatcher)
    assert slots == {"expiry_date": None}  # the form asks its question again
    (message,) = dispatcher.messages
    assert "solo sui Server Dedicati" in message["text"]


async def test_an_unclear_choice_says_so(make_tracker, dispatcher) -> None:
    tracker = make_tracker(
        "boh quello",
        service="ds-pro",
        addon_choices=["ram-16", "ram-32", "ram-64"],
        requested_slot="addon_choice",
    )
    slots = await _run(tracker, dispatcher)
    assert slots["addon_choice"] is None and "addons" not in slots
    assert "Non ho capito quale upgrade" in dispatcher.messages[0]["text"]


async def test_ask_service_narrows_to_the_kind_named(make_tracker, dispatcher) -> None:
    tracker = make_tracker("ho un housing e vorrei mezzo ampere in più", requested_slot="service")
    await ActionAskService().run(dispatcher, tracker, DOMAIN)
    assert [button["title"] for button in dispatcher.messages[0]["buttons"]] == [
        "Housing 1U",
        "Housing 4U",
    ]


async def test_ask_service_offers_every_service_otherwise(make_tracker, dispatcher) -> None:
    await ActionAskService().run(dispatcher, make_tracker("vorrei un upgrade"), DOMAIN)
    assert len(dispatcher.messages[0]["buttons"]) == 5


async def test_a_count_outside_the_entity_span_is_kept(make_tracker, dispatcher) -> None:
    text = "2 ip + firewall su housing 4u"
    tracker = make_tracker(
        text,
        intent="request_quote",
        entities=[
            {"entity": "addon", "value": "ip-extra", "start": 2, "end": 4},
            {"entity": "addon", "value": "firewall", "start": 7, "end": 15},
            {"entity": "service", "value": "housing-4u", "start": 19, "end": 29},
        ],
    )
    slots = await _run(tracker, dispatcher)
    assert slots["addons"] == ["ip-extra", "ip-extra", "firewall"]


async def test_an_addon_the_extractor_missed_is_still_read(make_tracker, dispatcher) -> None:
    text = "16 gb di ram e un firewall sul server pro"
    tracker = make_tracker(
        text,
        intent="request_quote",
        entities=[{"entity": "addon", "value": "ram-16", "start": 0, "end": 12}],
    )
    slots = await _run(tracker, dispatcher)
    assert slots["addons"] == ["ram-16", "firewall"] and slots["service"] == "ds-pro"


async def test_a_question_naming_services_changes_nothing(make_tracker, dispatcher) -> None:
    tracker = make_tracker(
        "posso passare dall'entry al pro? scade tra 10 giorni",
        intent="ask_bigger_machine",
        service="ds-entry",
        requested_slot="addons",
    )
    assert await _run(tracker, dispatcher) == {}  # the form rejects: the rules answer


async def test_a_message_the_nlu_is_unsure_of_is_still_read(make_tracker, dispatcher) -> None:
    tracker = make_tracker("ehm 16gb ram", intent="nlu_fallback", service="ds-pro")
    assert (await _run(tracker, dispatcher))["addons"] == ["ram-16"]


async def test_a_count_that_cannot_be_quoted_is_asked_again(make_tracker, dispatcher) -> None:
    text = "vorrei -3 ip e un firewall sul server entry"
    tracker = make_tracker(
        text,
        intent="request_quote",
        entities=[{"entity": "addon", "value": "ip-extra", "start": 10, "end": 12}],
    )
    slots = await _run(tracker, dispatcher)
    assert slots["addons"] == ["firewall"]  # the IPs are not added, as 1 nor as 3
    assert "da 1 a 10 unità" in dispatcher.messages[0]["text"]
    assert "IP pubblico aggiuntivo" in dispatcher.messages[0]["text"]


async def test_a_zero_count_inside_the_span_is_refused_too(make_tracker, dispatcher) -> None:
    text = "vorrei 0 ip sul server entry"
    tracker = make_tracker(
        text,
        intent="request_quote",
        entities=[{"entity": "addon", "value": "0 ip", "start": 7, "end": 11}],
    )
    slots = await _run(tracker, dispatcher)
    assert not slots.get("addons")  # not quietly 1 IP
    assert "da 1 a 10 unità" in dispatcher.messages[0]["text"]
