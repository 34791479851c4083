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
    from lingua import ConfidenceValue, LanguageDetector

SLOT = "language"
MIN_WORDS = 3
# lingua's confidence over the two languages, chosen on the held-out sets (tests/nlu, 412
# Italian messages; tests/nlu_en, 715 English): at 0.85 no Italian message switches to
# English and 540 English ones do, four to Italian (Italian in part); the rest are too short
# to say and keep the language. tests/domain/test_language.py checks it.
MIN_CONFIDENCE = 0.85
# While nothing has said the conversation's language (no button, no message that says one
# even on this lower bar: "housing 1u", "27/12/2026"), a message needs less: one word of its
# own, lingua nearly sure. A customer who opens with "good morning!" or "pricing
# for extra ip" is answered in English from the start. Each Italian message of the held-out
# and training sets taken as a first message: none of the held-out ones switches, four of
# the training ones do ("hey", "ty", "thanks", "come si fa lo snapshot del cloud server?";
# an e-mail address did too, before addresses were left out); 562 of the 715 English
# held-out ones do (0.85 for one word would switch 16 Italian ones, "e un entry" among them).
FIRST_MIN_WORDS = 1
FIRST_MIN_CONFIDENCE = 0.95
_FIGURE = re.compile(r"\d+")
# An e-mail or web address is a name, in no language: "sara.conti@example.it" read as
# English switched an Italian conversation.
_ADDRESS = re.compile(r"\S+@\S+|\b(?:https?://|www\.)\S+")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# Words both languages use: the product's, which lingua takes for either language, and a
# few short ones. They tell nothing of the language.
PRODUCT_WORDS = frozenset({
    "server", "servers", "upgrade", "backup", "ram", "ssd", "hdd", "raid", "ip", "gb", "tb",
    "giga", "gbit", "mbit", "firewall", "plesk", "windows", "linux", "housing", "entry", "pro",
    "enterprise", "cloud", "hosting", "email", "mail", "web", "rack", "cpu", "nvme", "sata",
    "controller",
})  # fmt: skip
SHARED_WORDS = PRODUCT_WORDS | {
    "ok", "okay", "ciao", "hello", "hi", "bye", "no", "si", "sì", "a", "u"
}


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


def _surest(text: str) -> ConfidenceValue:
    return _detector().compute_language_confidence_values(text)[0]


def _without_product_words(text: str) -> str:
    kept = [word for word in _FIGURE.sub(" ", text).split() if _bare(word) not in PRODUCT_WORDS]
    return " ".join(kept)


def _bare(word: str) -> str:
    return re.sub(r"[^\w']", "", word.lower())


def detect(
    text: str, min_words: int = MIN_WORDS, min_confidence: float = MIN_CONFIDENCE
) -> Language | None:
    """The language `text` is clearly written in, or None when it does not say."""
    text = _ADDRESS.sub(" ", text)
    words = own_words(text)
    if len(words) < min_words:
        return None
    # the whole message but its figures: "a", "no" still help lingua, only the count skips them;
    # if unsure, without the product's words too ("I need GB of RAM on the Pro server" is 0.82
    # English, "I need of on the" 0.94): the surer reading counts
    best = _surest(_FIGURE.sub(" ", text))
    if best.value < min_confidence:
        best = max(best, _surest(_without_product_words(text)), key=lambda value: value.value)
    if best.value < min_confidence:
        return None
    return Language.ITALIAN if best.language.name == "ITALIAN" else Language.ENGLISH


def says_a_language(text: str) -> bool:
    """Whether a message tells its language, even on the lower bar of an undecided
    conversation: until one does, the conversation's language is open."""
    return detect(text, FIRST_MIN_WORDS, FIRST_MIN_CONFIDENCE) is not None or (
        detect(text) is not None
    )


def of_message(text: str, conversation: Language, first: bool = False) -> Language:
    """The language a message is read in: its own when it says one clearly, else the
    conversation's ("ok", "32 GB", a button's "/payload" keep it). `first`: nothing has said
    the conversation's language yet (a button, or a message that `says_a_language`)."""
    if text.startswith("/"):
        return conversation
    clear = detect(text)
    if clear is None and first:
        clear = detect(text, FIRST_MIN_WORDS, FIRST_MIN_CONFIDENCE)
    return clear or conversation


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
