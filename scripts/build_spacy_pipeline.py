"""Build the Italian spaCy pipeline that config.yml loads by path.

No Italian model can be downloaded here, so this is spaCy's blank Italian language: its
tokenizer knows Italian elisions ("dell'upgrade" → "dell'", "upgrade"), which a whitespace
tokenizer does not.
"""

from __future__ import annotations

import sys
from pathlib import Path

import spacy


def build(target: Path) -> None:
    nlp = spacy.blank("it")
    target.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(target)


if __name__ == "__main__":
    build(Path(sys.argv[1]))
