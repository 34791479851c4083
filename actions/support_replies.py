"""The Italian messages of the handoff and of support requests. Plain Python, no Rasa."""

from __future__ import annotations

from datetime import datetime

from .domain.business_hours import CLOSES, SALES_LINE, is_open, reopening_phrase
from .replies import Button

CLOSING = f"aperto fino alle {CLOSES.hour}:{CLOSES.minute:02d}"


OPEN_REQUEST_BUTTONS: list[Button] = [
    {"title": "Sì, apri una richiesta", "payload": "/affirm"},
    {"title": "No, grazie", "payload": "/deny"},
]
PORTAL = "assistenza.aruba.it"


def _line_status(now: datetime) -> str:
    line = "Il servizio commerciale Server Dedicati"
    if is_open(now):
        return f"{line} è aperto ora ({CLOSING}): puoi chiamare il {SALES_LINE}."
    return f"{line} ({SALES_LINE}) ora è chiuso: {reopening_phrase(now)}."


def handoff(reason: str, now: datetime) -> str:
    first = (
        "Mi occupo solo dell'upgrade dei servizi Server Dedicati e Housing, quindi su questo "
        f"non posso aiutarti io: puoi aprire una richiesta dal portale {PORTAL}."
        if reason == "out_of_scope"
        else "Certo, ti metto in contatto con una persona."
    )
    return f"{first} {_line_status(now)}\n{offer_request()}"


def contacts(now: datetime) -> str:
    text = (
        "Per l'upgrade puoi anche:\n"
        f"• aprire una richiesta di assistenza dal portale {PORTAL};\n"
        "• contattare il tuo commerciale di riferimento, ai contatti indicati nel contratto;\n"
        f"• chiamare il servizio commerciale Server Dedicati al {SALES_LINE}, "
        "dal lunedì al venerdì dalle 8:30 alle 18:00 (festivi esclusi).\n"
        f"{_line_status(now)}"
    )
    if not is_open(now):
        text += "\nIntanto posso aprire io una richiesta di assistenza per te: la apro?"
    return text


def offer_request() -> str:
    return (
        "Se vuoi, apro io una richiesta di assistenza con il riepilogo di questa conversazione: "
        "un operatore ti risponde via email. La apro?"
    )


def ask_email() -> str:
    return "A quale indirizzo email ti può rispondere l'operatore?"


def ask_description() -> str:
    return (
        "Scrivimi in breve cosa ti serve: lo leggerà l'operatore insieme al riepilogo di "
        "questa conversazione."
    )


def email_changed(email: str) -> str:
    return f"Ho cambiato l'email: {email}."


def request_status(reference: str, email: str | None) -> str:
    to = f" a {email}" if email else ""
    return (
        f"Sì, la richiesta è aperta: il codice è {reference}. Un operatore ti risponderà{to}; "
        "tieni il codice per ogni comunicazione."
    )


def no_request_yet() -> str:
    return "Non ho ancora aperto nessuna richiesta in questa conversazione. Vuoi che la apra?"


def invalid_email() -> str:
    return (
        "Questo non mi sembra un indirizzo email valido: controllalo e riscrivimelo "
        "(per esempio nome@azienda.it)."
    )


def support_summary(email: str, description: str, has_quote: bool) -> str:
    attached = "il preventivo e " if has_quote else ""
    return (
        "Riepilogo della richiesta:\n"
        f"• email: {email}\n"
        f"• richiesta: {description}\n"
        f"Allego {attached}il riepilogo di questa conversazione. La invio?"
    )


def support_submitted(reference: str, email: str) -> str:
    return (
        f"Fatto! La tua richiesta è registrata con il codice {reference}. "
        f"Un operatore ti risponderà a {email}: tieni il codice per ogni comunicazione."
    )


def support_not_sent() -> str:
    return "Va bene, non invio nulla. Se ti serve altro sull'upgrade, scrivimi pure."


def records_unavailable() -> str:
    return (
        "Scusami, in questo momento non riesco a registrare la richiesta. Puoi aprirla dal "
        f"portale {PORTAL} oppure chiamare il {SALES_LINE} (lun–ven 8:30–18:00)."
    )


CONFIRM_BUTTONS: list[Button] = [
    {"title": "Sì, invia", "payload": "/affirm"},
    {"title": "No", "payload": "/deny"},
]
