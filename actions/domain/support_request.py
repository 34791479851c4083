"""What a customer's message gives to a support request, in whatever order they give it.

A request needs the customer's consent, an email and a short description, then a
confirmation of the summary. Customers do not answer "sì" or "no" alone: "si grazie", "ho
detto si, apri la richiesta", an email typed instead of yes, the problem described instead
of yes, "aspetta, cambia la mail: meglio luca@…" at the confirmation. This reads all of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email

_YES = re.compile(
    r"\b(?:s[iì]|certo|certamente|ok|okay|va bene|apri(?:la)?|procedi|invia(?:la)?|"
    r"conferm\w*|esatto|perfetto|d'accordo|volentieri|grazie si)\b",
    re.IGNORECASE,
)
_NO = re.compile(
    r"(?:^|[\s,.!])(?:no|annulla\w*|lascia (?:stare|perdere)|lasciamo perdere|non (?:serve|importa|"
    r"voglio|mi serve)|niente|nessuna|meglio di no)\b",
    re.IGNORECASE,
)
_NEW_TEXT = re.compile(
    r"\b(?:cambia|correggi|modifica|scrivi invece|metti invece)\b.*?\b(?:testo|descrizione|"
    r"richiesta|messaggio)\b\s*[:,-]?\s*(?P<text>.*)$",
    re.IGNORECASE | re.DOTALL,
)
# Words that carry no description: yes and no, courtesy, the request itself, grammar.
_FILLER_WORDS = (
    "si sì no ok okay grazie certo va bene ciao apri aprila invia inviala procedi conferma "
    "confermo perfetto esatto pure allora quindi ora ho hai detto la il lo le gli un una uno "
    "di da a e è in per mi ti che mia mio richiesta ticket mail email indirizzo scrivi "
    "scrivete contattate contattatemi rispondete rispondetemi questa questo operatore "
    "aspetta cambia meglio voglio vorrei "
    # a correction of the email talks about the mistake, not the problem
    "scusa scusi scusate sbagliato sbagliata corretto corretta giusto giusta intendevo "
    "scrivere scritto"
)
_FILLER = frozenset(_FILLER_WORDS.split())
# A problem told ("mi dà errore", "non riesco", "non compaiono"): a description, even when
# it names an item of the price list.
_PROBLEM = re.compile(
    r"\b(?:error\w*|problem\w*|non (?:riesco|funziona\w*|compa\w+|va|vedo|trovo|parte)|"
    r"bloccat\w*|guast\w*|rott\w*)\b",
    re.IGNORECASE,
)
# "mi chiamo Giorgio Testa": who is writing, not what the problem is.
_NAME = re.compile(r"\b(?:mi chiamo|il mio nome (?:è|e))\s+[^\W\d_]+(?:\s+[^\W\d_]+)?", re.I)


def find_email(text: str) -> str | None:
    """The first valid address in the text, normalised; None if there is none."""
    for candidate in re.findall(r"\S+@\S+", text):
        try:
            return str(
                validate_email(
                    candidate.strip(".,;:!?()<>\"'"), check_deliverability=False
                ).normalized
            )
        except EmailNotValidError:
            continue
    return None


@dataclass(frozen=True)
class RequestReading:
    email: str | None = None
    # An "@" that is no valid address: the customer meant an email, it needs correcting.
    bad_email: bool = False
    yes: bool = False
    no: bool = False
    # Words that describe the problem (what is left once the email and the yes are set aside).
    description: str | None = None
    content_words: int = 0
    # "cambia il testo: …": a description meant to replace the one given.
    new_description: str | None = None
    problem: bool = False


def read_request_message(text: str) -> RequestReading:
    email = find_email(text)
    rest = re.sub(r"\S+@\S+", " ", text)
    changed = _NEW_TEXT.search(rest)
    no = bool(_NO.search(rest)) and not email
    yes = bool(_YES.search(rest)) and not no
    described_part = _NAME.sub(" ", rest)
    words = [
        word for word in re.findall(r"[^\W\d_]+", described_part.lower()) if word not in _FILLER
    ]
    described = len(words) >= 3 and not changed and not no
    description = rest.strip(" ,.;:") if described else None
    return RequestReading(
        email=email,
        bad_email="@" in text and email is None,
        yes=yes,
        no=no,
        description=description,
        content_words=len(words),
        new_description=(changed.group("text").strip() or None) if changed else None,
        problem=bool(_PROBLEM.search(rest)),
    )
