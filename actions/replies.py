"""The assistant's Italian messages built from domain objects. Plain Python: no Rasa here,
so every text is unit-tested without a server; the actions only dispatch them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import TypedDict

from babel.numbers import format_percent

from .domain.catalog import Addon, Catalog, Service, ServiceKind
from .domain.compatibility import Incompatibility
from .domain.day_format import format_day, format_month
from .domain.draft import Applied, ChangeKind, Draft
from .domain.italian_dates import (
    DateDoesNotExistError,
    DayMissingError,
    ExpiryError,
    ExpiryTooFarError,
)
from .domain.money import format_eur, format_number
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


def ask_service_among(services: Sequence[Service]) -> str:
    names = " o ".join(service.name for service in services)
    return (
        f"{names}? Se non sei sicuro, lo trovi nella tua Area Clienti, nel tab "
        "\"Soluzioni Data Center\"."
    )


def ask_expiry() -> str:
    return (
        "Quando scade il servizio? Scrivimi la data (per esempio 15/03/2027) oppure quanti "
        "giorni mancano (per esempio \"tra 40 giorni\"). La trovi nella tua Area Clienti."
    )


def ask_expiry_day(month: date) -> str:
    return f"Che giorno di {format_month(month)} scade? Per esempio \"il 28\"."


def not_understood(slot: str) -> str:
    if slot == "service":
        return "Non ho riconosciuto il servizio."
    if slot in ("addons", "addon_choice"):
        return "Non ho capito quale upgrade ti serve."
    return "Non ho trovato una data di scadenza nel tuo messaggio."


def _counted(addon: Addon, count: int) -> str:
    return f"{count} × {addon.name}" if count > 1 else addon.name


def draft_notes(catalog: Catalog, before: Draft, applied: Applied) -> list[str]:
    """What an edit did, in short sentences, for the message that follows it."""
    after = applied.draft
    notes = []
    if before.service and after.service != before.service and after.service:
        notes.append(f"Ho cambiato il servizio: {catalog.service(after.service).name}.")
    for change in applied.changes:
        addon = change.addon
        if change.kind is ChangeKind.REMOVED:
            notes.append(f"Ho tolto {_counted(addon, change.count)}.")
        elif change.kind is ChangeKind.DROPPED and change.problem is not None:
            notes.append(f"{change.problem.reason} L'ho tolto dal preventivo.")
        elif change.kind is ChangeKind.COUNT:
            notes.append(f"Ora sono {change.count} × {addon.name}.")
        elif change.kind is ChangeKind.ADDED and before.addons:
            notes.append(f"Ho aggiunto {_counted(addon, change.count)}.")
        elif change.kind is ChangeKind.ALREADY:
            notes.append(f"{_counted(addon, change.count)}: c'è già nel preventivo.")
        elif change.kind is ChangeKind.NOT_THERE:
            notes.append(f"{addon.name} non era nel preventivo.")
    if applied.problems:
        notes.append(incompatible(applied.problems))
    return notes


def incompatible(problems: Sequence[Incompatibility]) -> str:
    lines = []
    for problem in problems:
        line = problem.reason
        if problem.alternatives:
            names = ", ".join(dict.fromkeys(addon.name for addon in problem.alternatives))
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


def format_rate(rate: Decimal) -> str:
    return format_percent(rate, locale="it_IT").replace("\xa0", "")


def base_configuration(service: Service) -> str:
    """A service's base configuration, from the price list."""
    if service.kind is ServiceKind.HOUSING:
        return f"• {service.name}: {format_number(service.base_power_a)} A di potenza inclusa."
    return (
        f"• {service.name}: {service.base_ram_gb} GB di RAM di base (fino a "
        f"{service.max_ram_gb} GB), {service.drive_bays} slot per i dischi, "
        f"{service.free_bays} {'libero' if service.free_bays == 1 else 'liberi'}."
    )


def _limit(service: Service | None, addon: Addon) -> str:
    if addon.max_quantity is not None:
        most = "uno solo" if addon.max_quantity == 1 else f"al massimo {addon.max_quantity}"
        return f"• {addon.name}: {most} per servizio."
    if addon.uses_bay:
        if service is None:
            return f"• {addon.name}: tanti quanti gli slot liberi per i dischi del server."
        return f"• {addon.name}: il {service.name} ha {service.free_bays} slot liberi per i dischi."
    if addon.ram_gb:
        if service is None:
            return f"• {addon.name}: fino alla RAM massima del modello."
        room = service.max_ram_gb - service.base_ram_gb
        return (
            f"• RAM: il {service.name} parte da {service.base_ram_gb} GB e arriva a "
            f"{service.max_ram_gb} GB, quindi al massimo {room} GB in più."
        )
    return f"• {addon.name}: nessun limite nel listino (qui calcolo fino a 10 per volta)."


def quantity_limits(catalog: Catalog, service: Service | None, addons: Sequence[Addon]) -> str:
    """How many of each add-on named the service takes, from the price list's rules; with
    none named, the rules themselves."""
    if addons:
        named = {addon.family: addon for addon in addons}.values()
        return "\n".join(dict.fromkeys(_limit(service, addon) for addon in named))
    one = [addon.name for addon in catalog.addons.values() if addon.max_quantity == 1]
    bays = ", ".join(
        f"{item.name} {item.free_bays}" for item in catalog.services.values() if item.drive_bays
    )
    return (
        f"• uno solo per servizio: {', '.join(one)};\n"
        f"• dischi: tanti quanti gli slot liberi ({bays});\n"
        "• RAM: fino alla RAM massima del modello."
    )


def quote_message(quote: Quote, expiry: date) -> str:
    lines = [f"Ecco il preventivo per il tuo {quote.service.name}:"]
    for addon, count in Counter(quote.addons).items():
        times = f"{count} × " if count > 1 else ""
        lines.append(f"• {times}{addon.name}: {format_eur(addon.monthly_fee * count)}/mese")
    lines.append(f"Scadenza: {format_day(expiry)} ({_days_phrase(quote.days_to_expiry)}).")
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
        f"Il tuo {service.name} risulta scaduto il {format_day(expiry)} ({ago}). "
        "Un servizio scaduto non si può potenziare: prima rinnovalo dall'Area Clienti, "
        "poi potrai fare l'upgrade."
    )


def expiry_problem(error: ExpiryError) -> str:
    """Why an expiry answer cannot be used, and what to write instead."""
    if isinstance(error, DateDoesNotExistError):
        return f"La data «{error.phrase}» non esiste: controlla giorno e mese."
    if isinstance(error, DayMissingError):
        return f"Mi serve anche il giorno della scadenza, non solo «{error.phrase}»."
    if isinstance(error, ExpiryTooFarError):
        return (
            f"La scadenza che ho capito, {format_day(error.expiry)}, è molto lontana: "
            "controlla la data."
        )
    return "Non ho trovato una data di scadenza nel tuo messaggio."
