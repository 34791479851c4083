from __future__ import annotations

import json
from datetime import datetime

from actions.domain.catalog import default_catalog
from actions.domain.expiry import ROME
from actions.domain.transcripts import Facts, build_transcript, facts_from_slots
from actions.replies import rule_sentence

NOW = datetime(2026, 11, 26, 10, 30, tzinfo=ROME)
T0 = datetime(2026, 11, 26, 10, 2, tzinfo=ROME).timestamp()
EVENTS = [
    {"event": "action", "name": "action_listen", "timestamp": T0},
    {"event": "user", "text": "voglio 32 GB di ram sul server pro", "timestamp": T0,
     "parse_data": {"intent": {"name": "request_quote"}}},
    {"event": "bot", "text": "Quando scade il servizio?", "timestamp": T0 + 1},
    {"event": "user", "text": "tra 80 giorni, pago con 4111 1111 1111 1111", "timestamp": T0 + 60},
    {"event": "user", "text": '/inform{"addon":"ip-extra"}', "timestamp": T0 + 70,
     "parse_data": {"intent": {"name": "inform"}}},
    {"event": "bot", "text": "La apro?", "timestamp": T0 + 80,
     "data": {"buttons": [{"title": "Sì, aprila", "payload": "/affirm"},
                          {"title": "No, grazie", "payload": "/deny"}]}},
    {"event": "user", "text": "/affirm", "timestamp": T0 + 90,
     "parse_data": {"intent": {"name": "affirm"}}},
    {"event": "slot", "name": "service", "value": "ds-pro", "timestamp": T0},
]  # fmt: skip
SLOTS = {
    "service": "ds-pro",
    "addons": ["ram-32", "ssd-960"],
    "expiry_date": "2027-02-14",
    "contact_email": "mario@example.it",
    "request_description": "vorrei pagare con IBAN IT60 X054 2811 1010 0000 0123 456",
}


def test_facts_come_first_then_the_conversation_with_times() -> None:
    facts = facts_from_slots(default_catalog(), SLOTS, NOW, rule_sentence)
    text = build_transcript("abc", "human_handoff", facts, EVENTS, NOW).as_text()
    assert text.splitlines()[:3] == [
        "Passaggio a operatore: il cliente ha chiesto di parlare con una persona",
        "Conversazione abc, 26/11/2026 10:30",
        "",
    ]
    assert "Servizio: Server Dedicato Pro" in text
    assert "Upgrade: RAM +32 GB, SSD 960 GB" in text
    assert "Scadenza: 14/02/2027 (80 giorni)" in text
    assert "Preventivo: 3 mensilità → 99,00 € + IVA 21,78 € = 120,78 €" in text
    assert "Regola applicata: 80 giorni ≈ 2,6 mesi → 3 mensilità" in text
    assert "Email di contatto: mario@example.it" in text
    assert text.index("DATI RACCOLTI") < text.index("CONVERSAZIONE")
    assert "10:02 Cliente: voglio 32 GB di ram sul server pro" in text
    assert "10:02 Assistente: Quando scade il servizio?" in text
    # a button: its title where the message that showed it is in the events, else its intent
    assert "10:03 Cliente: [pulsante: inform]" in text
    assert "10:03 Cliente: [pulsante: «Sì, aprila»]" in text


def test_cards_and_ibans_never_reach_the_transcript() -> None:
    facts = facts_from_slots(default_catalog(), SLOTS, NOW, rule_sentence)
    transcript = build_transcript("abc", "support_request", facts, EVENTS, NOW)
    for output in (transcript.as_text(), transcript.as_json()):
        assert "4111 1111 1111 1111" not in output and "0123 456" not in output
    assert "[carta nascosta]" in transcript.as_text()
    assert "[IBAN nascosto]" in transcript.as_text()


def test_json_holds_the_same_facts_and_lines() -> None:
    facts = facts_from_slots(default_catalog(), SLOTS, NOW, rule_sentence)
    data = json.loads(build_transcript("abc", "support_request", facts, EVENTS, NOW).as_json())
    assert data["conversation_id"] == "abc" and data["reason"] == "support_request"
    assert data["facts"]["service"] == "Server Dedicato Pro"
    assert [line["speaker"] for line in data["lines"]] == [
        "cliente", "assistente", "cliente", "cliente", "assistente", "cliente",
    ]  # fmt: skip
    assert data["lines"][0]["time"] == "2026-11-26T10:02:00+01:00"


def test_an_expired_service_has_no_quote_in_the_facts() -> None:
    expired = {**SLOTS, "expiry_date": "2026-11-20"}
    facts = facts_from_slots(default_catalog(), expired, NOW, rule_sentence)
    assert facts.quote == "nessuno: servizio scaduto, va rinnovato prima" and facts.rule is None


def test_no_facts_yet_reads_as_dashes() -> None:
    facts = facts_from_slots(default_catalog(), {}, NOW)
    text = build_transcript("abc", "out_of_scope", facts, [], NOW).as_text()
    assert "Servizio: —" in text and "Preventivo: —" in text


def test_an_export_is_titled_as_a_transcript_not_a_handoff() -> None:
    text = build_transcript("abc", "export", Facts(), EVENTS, NOW).as_text()
    assert text.startswith("Trascrizione della conversazione\nConversazione abc")
