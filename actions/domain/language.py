"""The language of a conversation: Italian unless the customer writes in English.

A message switches it only when it says so clearly: at least three words of its own (the
product's words, "server", "backup", "ram", "ok", numbers and sizes are the same in both
languages and do not count) and lingua, restricted to Italian and English, sure of it. So
"ok", "grazie", "32 GB" or "sul server entry" keep the language the conversation has.

Every text has its Italian variant (no `language` condition) and its English one
(condition `language: en`): `variants_in` picks those of a language, for Rasa's responses
(rasa_server/language.py) and for the parts the actions assemble (actions/texts.py).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lingua import LanguageDetector

SLOT = "language"
MIN_WORDS = 3
# lingua's confidence over the two languages, chosen on the held-out sets (tests/nlu, 412
# Italian messages; tests/nlu_en, 539 English): at 0.85 no Italian message switches to
# English and 401 English ones do, one to Italian (the rest are too short to say: they keep
# the language). tests/domain/test_language.py checks it.
MIN_CONFIDENCE = 0.85
_FIGURE = re.compile(r"\d+")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# Words both languages use for this product: they tell nothing of the language.
SHARED_WORDS = frozenset({
    "ok", "okay", "server", "servers", "upgrade", "backup", "ram", "ssd", "hdd", "raid", "ip",
    "gb", "tb", "giga", "gbit", "mbit", "firewall", "plesk", "windows", "linux", "housing",
    "entry", "pro", "enterprise", "cloud", "hosting", "email", "mail", "web", "ciao", "hello",
    "hi", "bye", "no", "si", "sì", "a", "u", "rack", "cpu", "nvme", "sata", "controller",
})  # fmt: skip


class Language(str, Enum):
    ITALIAN = "it"
    ENGLISH = "en"


DEFAULT = Language.ITALIAN


@functools.cache
def _detector() -> LanguageDetector:
    # imported here: formatting money or dates needs the enum, not lingua's models
    from lingua import Language as Theirs
    from lingua import LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Theirs.ITALIAN, Theirs.ENGLISH).build()


def own_words(text: str, shared: Iterable[str] = SHARED_WORDS) -> list[str]:
    """The words of a message that belong to a language: no figures, no product words."""
    common = set(shared)
    return [word for word in _WORD.findall(text.lower()) if word not in common]


def detect(text: str) -> Language | None:
    """The language `text` is clearly written in, or None when it does not say."""
    words = own_words(text)
    if len(words) < MIN_WORDS:
        return None
    # the whole message but its figures: "a", "no" still help lingua, only the count skips them
    values = _detector().compute_language_confidence_values(_FIGURE.sub(" ", text))
    best = values[0]
    if best.value < MIN_CONFIDENCE:
        return None
    return Language.ITALIAN if best.language.name == "ITALIAN" else Language.ENGLISH


def parse(value: Any) -> Language:
    """The slot's value as a language; anything else is the default."""
    try:
        return Language(str(value).lower()[:2])
    except ValueError:
        return DEFAULT


def language_of(variant: dict[str, Any]) -> Language:
    """The language a response variant is written in: its `language` condition, else Italian."""
    for condition in variant.get("condition") or []:
        if condition.get("name") == SLOT:
            return parse(condition.get("value"))
    return DEFAULT


def variants_in(variants: Sequence[dict[str, Any]], language: Language) -> list[dict[str, Any]]:
    """The variants of a response written in `language` (Italian's when it has none), their
    `language` condition taken off: the other conditions then choose as Rasa does."""
    chosen = [variant for variant in variants if language_of(variant) is language]
    if not chosen and language is not DEFAULT:
        chosen = [variant for variant in variants if language_of(variant) is DEFAULT]
    result = []
    for variant in chosen:
        conditions = [c for c in variant.get("condition") or [] if c.get("name") != SLOT]
        stripped = {key: value for key, value in variant.items() if key != "condition"}
        result.append({**stripped, "condition": conditions} if conditions else stripped)
    return result
