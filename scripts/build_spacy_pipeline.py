"""Build the blank spaCy pipelines that config.yml and english/config.yml load by path.

No spaCy model can be downloaded here, so these are spaCy's blank languages, named by the
target's suffix (build/spacy_it, build/spacy_en): their tokenizers know the language's
elisions and contractions ("dell'upgrade" → "dell'", "upgrade"; "I'd" → "I", "'d"), which a
whitespace tokenizer does not.
"""

from __future__ import annotations

import sys
from pathlib import Path

import spacy


def build(target: Path) -> None:
    language = target.name.rsplit("_", 1)[-1]
    nlp = spacy.blank(language)
    target.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(target)


if __name__ == "__main__":
    for path in sys.argv[1:]:
        build(Path(path))
