"""The training data's own rules: a held-out set that is really held out, lookups in sync."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.shared.nlu.training_data.loading import load_data

from actions.domain.catalog import default_catalog
from scripts.generate_lookups import TARGET, render

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def texts() -> tuple[list[str], list[str]]:
    training = [m.get("text").lower() for m in load_data(str(ROOT / "data/nlu")).training_examples]
    heldout = [
        m.get("text").lower()
        for m in load_data(str(ROOT / "tests/nlu/heldout.yml")).training_examples
    ]
    return training, heldout


def test_heldout_set_shares_no_sentence_with_training(texts) -> None:
    training, heldout = texts
    assert sorted(set(training) & set(heldout)) == []


def test_heldout_set_is_at_least_a_fifth_of_training(texts) -> None:
    training, heldout = texts
    assert len(heldout) >= 0.2 * len(training), (len(heldout), len(training))


def test_every_intent_has_25_training_examples() -> None:
    counts = load_data(str(ROOT / "data/nlu")).number_of_examples_per_intent
    assert {intent: n for intent, n in counts.items() if n < 25} == {}


def test_lookup_tables_follow_the_price_list() -> None:
    assert TARGET.read_text(encoding="utf-8") == render(default_catalog()), (
        "data/lookups/catalog.yml is stale: run `make lookups`"
    )
