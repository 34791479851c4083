"""The conversation's language: when a message switches it, and which texts each speaks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from actions.domain.day_format import format_day, format_month, format_weekday
from actions.domain.language import (
    Language,
    detect,
    of_message,
    own_words,
    parse,
    says_a_language,
    variants_in,
)
from actions.domain.money import format_eur, format_number, format_rate
from actions.domain.pricing import months_in_words

EN = {"type": "slot", "name": "language", "value": "en"}
HOUSING = {"type": "slot", "name": "service_kind", "value": "housing"}
FORMAL = {"type": "slot", "name": "register", "value": "formal"}


@pytest.mark.parametrize(
    "message",
    ["ok", "grazie", "32 GB", "sì grazie", "ok thx", "sul server entry", "backup 100 GB",
     "15/03/2027", "yes please", "no grazie", "entry server please", "pro",
     # an address is a name: "sara.conti" is no English
     "sara.conti@example.it", "john.smith@example.com", "www.example.com/server"],
)
def test_short_messages_and_the_products_words_say_no_language(message: str) -> None:
    assert detect(message) is None


@pytest.mark.parametrize(
    ("message", "language"),
    [
        ("do you speak English?", Language.ENGLISH),
        ("it expires in 40 days", Language.ENGLISH),
        ("perfect, thank you", Language.ENGLISH),
        ("how much is it?", Language.ENGLISH),
        ("voglio parlare con un operatore", Language.ITALIAN),
        ("scade tra 40 giorni", Language.ITALIAN),
        ("vorrei 16 giga di ram in più", Language.ITALIAN),
        ("qual è più economico?", Language.ITALIAN),
    ],
)
def test_a_message_clearly_in_a_language_says_it(message: str, language: Language) -> None:
    assert detect(message) is language


def test_figures_and_product_words_are_not_counted_as_words() -> None:
    assert own_words("I'd like 16 GB more RAM on the pro server") == [
        "i'd", "like", "more", "on", "the"
    ]


def test_a_slot_value_reads_as_a_language_and_anything_else_as_italian() -> None:
    assert parse("en") is Language.ENGLISH
    assert parse("EN-gb") is Language.ENGLISH
    assert parse(None) is Language.ITALIAN
    assert parse("fr") is Language.ITALIAN


VARIANTS = [
    {"condition": [FORMAL], "text": "Lei"},
    {"condition": [HOUSING], "text": "housing"},
    {"text": "tu"},
    {"condition": [HOUSING, EN], "text": "housing en"},
    {"condition": [EN], "text": "en"},
]


def test_a_language_has_its_own_variants_with_their_other_conditions() -> None:
    english = variants_in(VARIANTS, Language.ENGLISH)
    assert english == [{"condition": [HOUSING], "text": "housing en"}, {"text": "en"}]
    italian = variants_in(VARIANTS, Language.ITALIAN)
    assert [v["text"] for v in italian] == ["Lei", "housing", "tu"]


def test_a_response_without_english_is_said_in_italian() -> None:
    assert variants_in([{"text": "solo italiano"}], Language.ENGLISH) == [{"text": "solo italiano"}]


def test_figures_are_written_the_way_of_the_language() -> None:
    assert format_eur(Decimal("1234.5")) == "1.234,50 €"
    assert format_eur(Decimal("1234.5"), Language.ENGLISH) == "€1,234.50"
    assert format_number(Decimal("2.6"), Language.ENGLISH) == "2.6"
    assert format_rate(Decimal("0.22"), Language.ENGLISH) == "22%"
    assert format_day(date(2027, 3, 15)) == "15/03/2027"
    assert format_day(date(2027, 3, 15), Language.ENGLISH) == "15 March 2027"
    assert format_month(date(2027, 3, 1), Language.ENGLISH) == "March 2027"
    assert format_weekday(date(2026, 12, 7), True, Language.ENGLISH) == "Monday 7 December"
    assert format_weekday(date(2026, 12, 7), False) == "lunedì"
    assert months_in_words(80) == "2,6"
    assert months_in_words(80, Language.ENGLISH) == "2.6"


def _heldout(folder: str) -> list[str]:
    from rasa.shared.nlu.training_data.loading import load_data

    root = Path(__file__).resolve().parents[2]
    return [str(m.get("text")) for m in load_data(str(root / folder)).training_examples]


def test_on_the_heldout_sets_no_italian_message_switches_and_most_english_ones_do() -> None:
    assert [text for text in _heldout("tests/nlu") if detect(text) is Language.ENGLISH] == []
    english = [detect(text) for text in _heldout("tests/nlu_en")]
    # the few read as Italian are Italian in part ("conviene passare all'enterprise?")
    assert english.count(Language.ITALIAN) <= 0.01 * len(english)
    assert english.count(Language.ENGLISH) >= 0.65 * len(english)


def test_the_first_message_needs_one_word_of_its_own_later_ones_three() -> None:
    it, en = Language.ITALIAN, Language.ENGLISH
    assert of_message("good morning!", it, first=True) is en
    assert of_message("good morning!", it) is it  # later: too short to switch
    assert of_message("buongiorno", en, first=True) is it
    for terse in ("ok", "32 GB", "pro", "/greet"):
        assert of_message(terse, en, first=True) is en
        assert of_message(terse, it, first=True) is it


def test_a_message_says_a_language_when_even_one_word_tells() -> None:
    assert says_a_language("buongiorno") and says_a_language("good morning!")
    assert not any(map(says_a_language, ["housing 1u", "27/12/2026", "ok", "32 GB", "ciao"]))


def test_a_button_keeps_the_conversations_language() -> None:
    assert of_message('/greet{"language":"en"}', Language.ITALIAN) is Language.ITALIAN


def test_first_messages_on_the_heldout_sets_switch_no_italian_one() -> None:
    # each held-out message as if it opened a conversation
    italian = [t for t in _heldout("tests/nlu") if of_message(t, Language.ITALIAN, first=True)
               is Language.ENGLISH]
    assert italian == []
    messages = _heldout("tests/nlu_en")
    first = [of_message(t, Language.ITALIAN, first=True) for t in messages]
    later = [of_message(t, Language.ITALIAN) for t in messages]
    assert first.count(Language.ENGLISH) > later.count(Language.ENGLISH) + 10
    assert first.count(Language.ENGLISH) >= 0.75 * len(messages)
