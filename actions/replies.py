"""The assistant's Italian messages built from domain objects. Plain Python: no Rasa here,
so every text is unit-tested without a server; the actions only dispatch them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TypedDict

from .domain.catalog import Addon, Service
from .domain.compatibility import Incompatibility
from .domain.italian_dates import (
    DateDoesNotExistError,
    DayMissingError,
    ExpiryError,
    ExpiryTooFarError,
)
from .domain.money import format_eur
from .domain.pricing import RENEWAL_MONTHS, Quote


class Button(TypedDict):
    title: str
    payload: str


CONTACT_BUTTONS: list[Button] = [
    {"title": "Parla con una persona", "payload": "/human_handoff"},
    {"title": "Contatti commerciali", "payload": "/ask_contacts"},
]
NEXT_STEP_BUTTONS: list[Button] = [
    {"title": "Come lo ordino", "payload": "/ask_order_procedure"},
    *CONTACT_BUTTONS,
]


def format_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _months(months: int) -> str:
    return "1 mese" if months == 1 else f"{months} mesi"


def _days_phrase(days: int) -> str:
    if days == 0:
        return "oggi"
    if days == 1:
        return "domani"
    return f"tra {days} giorni"


def service_buttons(services: Iterable[Service]) -> list[Button]:
    return [
        {"title": service.name, "payload": f'/inform{{"service":"{service.id}"}}'}
        for service in services
    ]


def addon_buttons(addons: Iterable[Addon]) -> list[Button]:
    return [
        {
            "title": f"{addon.name} · {format_eur(addon.monthly_fee)}/mese",
            "payload": f'/inform{{"addon":"{addon.id}"}}',
        }
        for addon in addons
    ]


def ask_service() -> str:
    return "Quale servizio vuoi potenziare?"


def ask_addon_choice() -> str:
    return "Quale di questi intendi?"


def ask_addons(service: Service | None) -> str:
    if service is None:
        return "Cosa vorresti aggiungere?"
    return f"Cosa vorresti aggiungere al tuo {service.name}?"


def unknown_service() -> str:
    return "Non ho riconosciuto il servizio: scegli il tuo qui sotto."


def unknown_addons() -> str:
    return "Non ho capito quale upgrade ti serve: scegli tra quelli qui sotto."


def incompatible(problems: Sequence[Incompatibility]) -> str:
    lines = []
    for problem in problems:
        line = problem.reason
        if problem.alternatives:
            names = ", ".join(addon.name for addon in problem.alternatives)
            line += f" Puoi scegliere invece: {names}."
        lines.append(line)
    return "\n".join(lines)


def count_refused(names: Sequence[str], most: int) -> str:
    listed = ", ".join(dict.fromkeys(names))
    return (
        f"Posso calcolare da 1 a {most} unità per ciascun add-on ({listed}): quante te ne "
        "servono? Per quantità maggiori rivolgiti al servizio commerciale Server Dedicati "
        "(+39 0575 05077)."
    )


def correction_kept(problems: Sequence[Incompatibility], kept: Sequence[Addon]) -> str:
    names = ", ".join(addon.name for addon in kept)
    return f"{incompatible(problems)}\nPer ora ho lasciato la scelta di prima: {names}."


def quote_message(quote: Quote, expiry: date) -> str:
    lines = [f"Ecco il preventivo per il tuo {quote.service.name}:"]
    for addon, count in Counter(quote.addons).items():
        times = f"{count} × " if count > 1 else ""
        lines.append(f"• {times}{addon.name}: {format_eur(addon.monthly_fee * count)}/mese")
    lines.append(f"Scadenza: {format_date(expiry)} ({_days_phrase(quote.days_to_expiry)}).")
    lines.append(quote.explanation)
    price = quote.price
    if quote.renewal_required:
        lines.append(f"Upgrade fino alla scadenza: {format_eur(price.total)}.")
        monthly = quote.renewal_monthly
        lines.append(
            f"Rinnovo con l'upgrade incluso: {format_eur(monthly.net)} al mese + IVA "
            f"({format_eur(monthly.total)} IVA inclusa)."
        )
        lengths = " · ".join(
            f"{_months(months)} {format_eur(quote.renewal(months).total)}"
            for months in RENEWAL_MONTHS
        )
        lines.append(f"Durate di rinnovo, IVA inclusa: {lengths}.")
    else:
        lines.append(
            f"Totale upgrade: {format_eur(price.net)} + IVA 22% ({format_eur(price.vat)}) "
            f"= {format_eur(price.total)}."
        )
    return "\n".join(lines)


def expired_message(service: Service, expiry: date, days_overdue: int) -> str:
    ago = "ieri" if days_overdue == 1 else f"{days_overdue} giorni fa"
    return (
        f"Il tuo {service.name} risulta scaduto il {format_date(expiry)} ({ago}). "
        "Un servizio scaduto non si può potenziare: prima rinnovalo dall'Area Clienti, "
        "poi potrai fare l'upgrade."
    )


def expiry_problem(error: ExpiryError) -> str:
    """Why an expiry answer cannot be used, and what to write instead."""
    example = 'per esempio 15/03/2027, oppure "tra 40 giorni"'
    if isinstance(error, DateDoesNotExistError):
        return f"La data «{error.phrase}» non esiste: controlla giorno e mese ({example})."
    if isinstance(error, DayMissingError):
        return f"Mi serve anche il giorno della scadenza, non solo «{error.phrase}» ({example})."
    if isinstance(error, ExpiryTooFarError):
        return (
            f"La scadenza che ho capito, {format_date(error.expiry)}, è molto lontana: "
            f"controlla la data ({example})."
        )
    return f"Non ho trovato una data di scadenza nel tuo messaggio: scrivimela ({example})."
