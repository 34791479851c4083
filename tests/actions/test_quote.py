from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from actions.domain.masking import mask
from actions.fallback import ActionAcknowledge, ActionDefaultAskAffirmation
from actions.quote import ActionQuote, ActionResetQuote
from actions.records.models import QuoteRecord
from actions.runtime import sessions

from .conftest import DOMAIN, MakeTracker


async def test_quote_80_days_three_fees(make_tracker: MakeTracker, dispatcher) -> None:
    tracker = make_tracker(
        service="ds-pro", addons=["ram-32", "ssd-960"], expiry_date="2027-02-14", sender_id="q80"
    )
    events = await ActionQuote().run(dispatcher, tracker, DOMAIN)
    assert [(event["name"], event["value"]) for event in events] == [
        (
            "last_quote",
            {
                "service": "ds-pro",
                "addons": {"ram-32": 1, "ssd-960": 1},
                "days": 80,
                "total": "120.78",
                "renewal": False,
            },
        )
    ]
    (message,) = dispatcher.messages
    text = message["text"]
    assert "Server Dedicato Pro" in text
    assert "Scadenza: 14/02/2027 (tra 80 giorni)." in text
    assert "80 giorni ≈ 2,6 mesi → 3 mensilità" in text
    assert "Totale upgrade: 99,00 € + IVA 22% (21,78 €) = 120,78 €." in text
    assert [button["payload"] for button in message["buttons"]] == [
        "/ask_order_procedure",
        "/human_handoff",
        "/ask_contacts",
    ]
    with sessions()() as session:
        query = select(QuoteRecord).where(QuoteRecord.sender_id == "q80")
        (record,) = session.execute(query).scalars().all()
    assert (record.addon_ids, record.fees, record.total) == ("ram-32,ssd-960", 3, Decimal("120.78"))


async def test_quote_under_15_days_asks_to_renew_now(make_tracker, dispatcher) -> None:
    tracker = make_tracker(service="ds-entry", addons=["ram-16"], expiry_date="2026-12-06")
    await ActionQuote().run(dispatcher, tracker, DOMAIN)
    text = dispatcher.messages[0]["text"]
    assert "l'upgrade è gratuito fino alla scadenza" in text
    assert "Upgrade fino alla scadenza: 0,00 €." in text
    assert "Rinnovo con l'upgrade incluso: 59,00 € al mese + IVA (71,98 € IVA inclusa)." in text
    assert "12 mesi 863,76 €" in text


async def test_expired_service_is_told_to_renew_first(make_tracker, dispatcher) -> None:
    tracker = make_tracker(service="ds-entry", addons=["ram-16"], expiry_date="2026-11-23")
    await ActionQuote().run(dispatcher, tracker, DOMAIN)
    text = dispatcher.messages[0]["text"]
    assert "scaduto il 23/11/2026 (3 giorni fa)" in text and "prima rinnovalo" in text
    assert "€" not in text
    assert [button["payload"] for button in dispatcher.messages[0]["buttons"]] == [
        "/human_handoff",
        "/ask_contacts",
    ]


async def test_the_changes_are_said_with_the_quote_in_one_message(
    make_tracker, dispatcher
) -> None:
    tracker = make_tracker(
        service="ds-pro",
        addons=["ssd-960"],
        expiry_date="2027-02-14",
        draft_notes=["Ho tolto Controller RAID hardware."],
    )
    events = await ActionQuote().run(dispatcher, tracker, DOMAIN)
    (message,) = dispatcher.messages
    assert message["text"].startswith("Ho tolto Controller RAID hardware.\nEcco il preventivo")
    assert ("draft_notes", None) in [(event["name"], event["value"]) for event in events]


async def test_reset_drops_what_was_asked_for_and_keeps_the_service(
    make_tracker, dispatcher
) -> None:
    events = await ActionResetQuote().run(dispatcher, make_tracker(), DOMAIN)
    cleared = {event["name"] for event in events if event["value"] is None}
    assert {"addons", "addon_choices", "last_quote", "draft_notes"} <= cleared
    assert not {"service", "expiry_date"} & cleared


async def test_fallback_offers_the_two_likeliest_intents(make_tracker, dispatcher) -> None:
    tracker = make_tracker("upgrade costo boh", intent="nlu_fallback")
    tracker.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.5},
        {"name": "ask_cost_rules", "confidence": 0.4},
        {"name": "affirm", "confidence": 0.3},
        {"name": "request_quote", "confidence": 0.2},
        {"name": "greet", "confidence": 0.1},
    ]
    await ActionDefaultAskAffirmation().run(dispatcher, tracker, DOMAIN)
    buttons = dispatcher.messages[0]["buttons"]
    assert [button["payload"] for button in buttons] == [
        "/ask_cost_rules",
        "/request_quote",
        "/human_handoff",
    ]


async def test_fallback_adds_nothing_to_the_notice_of_hidden_payment_data(
    make_tracker, dispatcher
) -> None:
    # As the channel passes it on: the IBAN hidden, the customer already told why.
    text = mask("pago con bonifico, IBAN DE89370400440532013000, serve altro?").text
    tracker = make_tracker(text, intent="nlu_fallback", requested_slot="expiry_date")
    assert await ActionDefaultAskAffirmation().run(dispatcher, tracker, DOMAIN) == []
    assert dispatcher.messages == []


async def test_fallback_hands_a_message_naming_the_draft_to_the_quote(
    make_tracker, dispatcher
) -> None:
    tracker = make_tracker(
        "senza backup, costa troppo",
        intent="nlu_fallback",
        active_loop=None,
        service="ds-pro",
        addons=["backup-500", "firewall"],
    )
    events = await ActionDefaultAskAffirmation().run(dispatcher, tracker, DOMAIN)
    assert events == [{"event": "followup", "name": "upgrade_form", "timestamp": None}]
    assert dispatcher.messages == []


async def test_a_no_that_corrects_the_service_goes_to_the_quote(make_tracker, dispatcher) -> None:
    tracker = make_tracker(
        "Mi sono sbagliato, è un Enterprise.", intent="deny", active_loop=None, service="ds-pro"
    )
    events = await ActionAcknowledge().run(dispatcher, tracker, DOMAIN)
    assert events == [{"event": "followup", "name": "upgrade_form", "timestamp": None}]
    assert dispatcher.messages == []


async def test_a_plain_yes_or_no_is_acknowledged(make_tracker, dispatcher) -> None:
    for text, intent, response in (("ok perfetto", "affirm", "utter_ok"),
                                   ("no nient'altro", "deny", "utter_anything_else")):
        tracker = make_tracker(text, intent=intent, active_loop=None, service="ds-pro")
        assert await ActionAcknowledge().run(dispatcher, tracker, DOMAIN) == []
        assert dispatcher.messages[-1]["response"] == response


async def test_a_repeated_addon_is_shown_once_with_its_count(make_tracker, dispatcher) -> None:
    tracker = make_tracker(
        service="housing-4u", addons=["ip-extra", "ip-extra", "firewall"], expiry_date="2027-03-01"
    )
    await ActionQuote().run(dispatcher, tracker, DOMAIN)
    text = dispatcher.messages[0]["text"]
    assert "• 2 × IP pubblico aggiuntivo: 4,00 €/mese" in text
    assert "Totale upgrade: 99,00 € + IVA 22% (21,78 €) = 120,78 €." in text
