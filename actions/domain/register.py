"""The customer's register, mirrored: "tu" by default, "Lei" to a customer who writes formally.

The assistant's texts are written with "tu"; `to_formal` turns them into "Lei" with a table
of the phrases they use (the texts are ours, so the table is closed: a test runs every text
through it and fails on a "tu" form the table does not know). A message decides the register
only when it says something of it: formal courtesy ("La ringrazio", "potrebbe indicarmi",
"avrei bisogno di un'informazione") or a "tu" ("puoi", "dimmi", "grazie mille, sei
gentile"); "ok" or "16 GB" keep the one in use.
"""

from __future__ import annotations

import re
from enum import Enum


class Register(str, Enum):
    INFORMAL = "informal"
    FORMAL = "formal"


_FORMAL = re.compile(
    r"\b(?:la ringrazio|le chiedo|la prego|mi scusi|potrebbe|saprebbe|vorrebbe|"
    r"mi (?:può|puo)|(?:può|puo) (?:dirmi|indicarmi|aiutarmi|spiegarmi)|cortesemente|"
    r"distinti saluti|cordiali saluti|avrei bisogno di un'informazione|desidererei|"
    r"gentile (?:assistente|servizio)|egregi|spettabile)\b",
    re.IGNORECASE,
)
_INFORMAL = re.compile(
    r"\b(?:puoi|sai|hai|vuoi|dimmi|fammi|scusa|ciao|grazie mille sei|mi dai|mandami|dammi)\b",
    re.IGNORECASE,
)

# The assistant's own "tu" phrases and their "Lei"; longer phrases first where they overlap.
_TO_FORMAL: tuple[tuple[str, str], ...] = (
    ("Figurati!", "Si figuri!"),
    ("Ciao! Sono", "Buongiorno! Sono"),
    ("Scusami", "Mi scusi"),
    ("spiegarti", "spiegarLe"),
    ("aiutarti", "aiutarLa"),
    ("indicarti", "indicarLe"),
    ("scrivimelo", "me lo scriva"),
    ("riscrivimelo", "me lo riscriva"),
    ("scrivimela", "me la scriva"),
    ("Scrivimi", "Mi scriva"),
    ("scrivimi", "mi scriva"),
    ("dimmi", "mi dica"),
    ("Se ti serve", "Se Le serve"),
    ("ti serve", "Le serve"),
    ("per te", "per Lei"),
    ("ti risponderà", "Le risponderà"),
    ("tieni il codice", "tenga il codice"),
    ("cosa ti serve", "cosa Le serve"),
    ("te ne servono", "Le servono"),
    ("ti può", "Le può"),
    ("ti calcolo", "Le calcolo"),
    ("ti risponde", "Le risponde"),
    ("ti interessa", "Le interessa"),
    ("ti metto", "La metto"),
    ("Ti metto", "La metto"),
    ("sei il n.", "è il n."),
    ("se cambi idea", "se cambia idea"),
    ("avevi scelto", "aveva scelto"),
    ("risponderti", "risponderLe"),
    ("Intendevi", "Intendeva"),
    ("intendevi", "intendeva"),
    ("intendi", "intende"),
    ("Se preferisci", "Se preferisce"),
    ("se preferisci", "se preferisce"),
    ("Se non sei sicuro", "Se non è sicuro"),
    ("Se vuoi", "Se vuole"),
    ("vuoi", "vuole"),
    ("Vuoi", "Vuole"),
    ("vorresti", "vorrebbe"),
    ("Puoi", "Può"),
    ("puoi", "può"),
    ("devi", "deve"),
    ("paghi", "paga"),
    ("hai già", "ha già"),
    ("ricevi", "riceve"),
    ("Riceverai", "Riceverà"),
    ("rivolgiti", "si rivolga"),
    ("rivolgerti", "rivolgersi"),
    ("chiama il", "chiami il"),
    ("lo rinnovi", "lo rinnova"),
    ("rinnovalo", "lo rinnovi"),
    ("ti mostro", "Le mostro"),
    ("ti faccio", "Le faccio"),
    ("potrai", "potrà"),
    ("controlla", "controlli"),
    ("scegli", "scelga"),
    ("Scegli", "Scelga"),
    ("clicca", "clicchi"),
    ("apri", "apra"),
    ("accetta", "accetti"),
    ("indica", "indichi"),
    ("spunti", "spunta"),
    ("scrivi", "scriva"),
    ("lo trovi", "lo trova"),
    ("La trovi", "La trova"),
    ("la trovi", "la trova"),
    ("mi dici", "mi dice"),
    ("tuoi", "Suoi"),
    ("tue", "Sue"),
    ("tuo", "Suo"),
    ("tua", "Sua"),
)
_TU_FORMS = re.compile(
    r"(?<!\w)(?:ti|te|tu|tuo|tua|tuoi|tue|puoi|vuoi|vorresti|devi|hai|sei|scegli|clicca|"
    r"apri|scrivi\w*|dimmi|figurati|intendevi|intendi|paghi|ricevi|riceverai|rivolgiti|"
    # "rinnovi" is also Lei's imperative ("lo rinnovi dall'Area Clienti")
    r"rinnovalo|(?<!lo )rinnovi|se non lo rinnovi|potrai|preferisci|controlla|spunti|"
    r"accetta|indica|trovi|dici|tieni|"
    r"chiama il|\w{3,}[aei]rti)(?!\w)",
    re.IGNORECASE,
)


def detect_register(text: str) -> Register | None:
    """The register a message shows, or None when it shows none."""
    if _FORMAL.search(text):
        return Register.FORMAL
    if _INFORMAL.search(text):
        return Register.INFORMAL
    return None


def to_formal(text: str) -> str:
    """The assistant's "tu" text in "Lei"."""
    for informal, formal in _TO_FORMAL:
        text = re.sub(rf"(?<!\w){re.escape(informal)}(?!\w)", formal, text)
    return text


def in_register(text: str, register: str | None, italian: bool) -> str:
    """A text written with "tu", as said to a customer in `register` (a slot's value):
    Italian to one who writes with "Lei" is said with "Lei"; English has one register."""
    return to_formal(text) if italian and register == Register.FORMAL.value else text


def tu_forms(text: str) -> list[str]:
    """The "tu" forms left in `text` (for the test that keeps the table complete)."""
    return [match.group(0) for match in _TU_FORMS.finditer(text)]
