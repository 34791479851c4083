"""Whether a message corrects what was said before ("anzi, 64 GB", "no scusa, 32", "actually,
64 GB", "sorry, I meant 32"): the draft then replaces the add-on of the same family
(`message_reading.py`)."""

from __future__ import annotations

import re

_CORRECTION = re.compile(
    r"\b(anzi|invece|scusa|scusate|correggo|meglio|sbagliato|sbagliata|volevo dire|no"
    r"|actually|instead|sorry|rather|correction|oops|wrong|better|replace"
    r"|my (?:mistake|bad)|i (?:meant|mean)|change it to)\b",
    re.IGNORECASE,
)


def is_correction(text: str) -> bool:
    return bool(_CORRECTION.search(text))


def is_correction_word(word: str) -> bool:
    """One word that says a correction ("anzi", "meglio", "actually"); "no" alone does not."""
    return word != "no" and bool(_CORRECTION.fullmatch(word))
