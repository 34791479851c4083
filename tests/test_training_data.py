"""The training data's own rules: a held-out set that is really held out, lookups in sync."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rasa.shared.nlu.training_data.loading import load_data

from actions.domain.catalog import default_catalog
from actions.domain.language import Language, detect, own_words
from scripts.generate_lookups import TARGET, render
from tests.conversations.runner import customer_texts, load_conversations, topic_openings

ROOT = Path(__file__).resolve().parents[1]


# The English NLU model's own training data (english/config.yml).
ENGLISH_TRAINING = ROOT / "english/nlu"


def _texts(path: Path) -> list[str]:
    return [m.get("text").lower() for m in load_data(str(path)).training_examples]


@pytest.fixture(scope="module")
def texts() -> tuple[list[str], list[str]]:
    training = _texts(ROOT / "data/nlu") + _texts(ENGLISH_TRAINING)
    heldout = _texts(ROOT / "tests/nlu") + _texts(ROOT / "tests/nlu_en")
    return training, heldout


def test_heldout_set_shares_no_sentence_with_training(texts) -> None:
    training = set(texts[0])
    assert sorted(training & set(_texts(ROOT / "tests/nlu"))) == []
    # one word ("cancel", "nope") is anyone's
    english = {text for text in _texts(ROOT / "tests/nlu_en") if len(own_words(text)) > 1}
    assert sorted(english & set(_texts(ENGLISH_TRAINING))) == []
    # the Italian an English speaker may write ("grazie mille") is the Italian data's too
    shared = {text for text in english if not _italian(text)}
    assert sorted(shared & set(_texts(ROOT / "data/nlu"))) == []


def _italian(text: str) -> bool:
    return detect(text, min_words=1) is Language.ITALIAN


def _sentence(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def test_no_heldout_customer_turn_is_in_the_training_data(texts) -> None:
    training, _ = texts
    turns = {_sentence(turn) for turn in customer_texts(load_conversations())}
    # short answers ("pro", "ok va bene grazie", "15/03/2027") are everyone's words, not an echo
    echoed = sorted(
        turn for turn in turns & {_sentence(text) for text in training} if len(turn.split()) >= 5
    )
    assert echoed == []


def test_the_heldout_conversations_are_many_and_long_enough() -> None:
    everyone = load_conversations()
    english = [conversation for conversation in everyone if conversation.id.startswith("en-")]
    assert len(english) >= 20  # every path, in English (tests/conversations/english.yml)
    conversations = [conversation for conversation in everyone if conversation not in english]
    turns = [len(conversation.turns) for conversation in conversations]
    assert len(conversations) >= 80
    assert min(turns) >= 4 and max(turns) <= 12
    assert sum(turns) / len(turns) >= 5


def test_heldout_set_is_at_least_a_fifth_of_training(texts) -> None:
    training, _ = texts
    english, heldout_english = _texts(ENGLISH_TRAINING), _texts(ROOT / "tests/nlu_en")
    italian = len(training) - len(english)
    heldout_italian = len(_texts(ROOT / "tests/nlu"))
    assert heldout_italian >= 0.2 * italian, (heldout_italian, italian)
    assert len(heldout_english) >= 0.2 * len(english), (len(heldout_english), len(english))


@pytest.mark.parametrize("data", ["data/nlu", "english/nlu"])
def test_every_intent_has_25_training_examples(data: str) -> None:
    counts = load_data(str(ROOT / data)).number_of_examples_per_intent
    assert {intent: n for intent, n in counts.items() if n < 25} == {}


def test_english_understands_every_intent_of_the_italian_assistant() -> None:
    italian = load_data(str(ROOT / "data/nlu")).intents
    assert load_data(str(ENGLISH_TRAINING)).intents == italian


def test_lookup_tables_follow_the_price_list() -> None:
    assert TARGET.read_text(encoding="utf-8") == render(default_catalog()), (
        "data/lookups/catalog.yml is stale: run `make lookups`"
    )


def test_every_topic_is_judged_by_words_of_its_own() -> None:
    # an answer whose text opened with a {placeholder} would match any reply
    for topic, openings in topic_openings().items():
        assert openings and all(len(opening) >= 15 for opening in openings), topic
