"""The assistant's messages built from domain objects, assembled from the sentences of
domain.yml (actions/texts.py). Plain Python: no Rasa here, so every text is unit-tested
without a server; the actions only dispatch them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TypedDict

from . import texts
from .domain.catalog import Addon, Catalog, Service, ServiceKind
from .domain.compatibility import Incompatibility
from .domain.draft import Applied, ChangeKind, Draft
from .domain.italian_dates import (
    DateDoesNotExistError,
    DayMissingError,
    ExpiryError,
    ExpiryTooFarError,
)
from .domain.pricing import (
    RENEW_NOW_BELOW_DAYS,
    RENEWAL_MONTHS,
    PricingRule,
    Quote,
    months_in_words,
)
from .texts import text


class Button(TypedDict):
    title: str
    payload: str


def button(title: str, payload: str) -> Button:
    """A button whose title is the part `title` of the texts."""
    return {"title": text(title), "payload": payload}


CONTACT_BUTTONS: list[Button] = [
    button("part_button_handoff", "/human_handoff"),
    button("part_button_contacts", "/ask_contacts"),
]
NEXT_STEP_BUTTONS: list[Button] = [
    button("part_button_order", "/ask_order_procedure"),
    *CONTACT_BUTTONS,
]


def _months(months: int) -> str:
    return text("part_one_month") if months == 1 else text("part_months", months=months)


def _days_phrase(days: int) -> str:
    if days == 0:
        return text("part_today")
    if days == 1:
        return text("part_tomorrow")
    return text("part_in_days", days=days)


def service_buttons(services: Iterable[Service]) -> list[Button]:
    return [
        {"title": service.name, "payload": f'/inform{{"service":"{service.id}"}}'}
        for service in services
    ]


def addon_buttons(addons: Iterable[Addon]) -> list[Button]:
    return [
        {
            "title": text("part_addon_button", name=addon.name, fee=texts.eur(addon.monthly_fee)),
            "payload": f'/inform{{"addon":"{addon.id}"}}',
        }
        for addon in addons
    ]


def ask_service() -> str:
    return text("part_ask_service")


def ask_addon_choice() -> str:
    return text("part_ask_addon_choice")


def ask_addons(service: Service | None) -> str:
    if service is None:
        return text("part_ask_addons")
    return text("part_ask_addons_to", service=service.name)


def ask_service_among(services: Sequence[Service]) -> str:
    names = text("part_or").join(service.name for service in services)
    return text("part_ask_service_among", names=names)


def ask_expiry() -> str:
    return text("part_ask_expiry")


def ask_expiry_day(month: date) -> str:
    return text("part_ask_expiry_day", month=texts.month(month))


def not_understood(slot: str) -> str:
    if slot == "service":
        return text("part_service_not_understood")
    if slot in ("addons", "addon_choice"):
        return text("part_addon_not_understood")
    return text("part_expiry_not_understood")


def _counted(addon: Addon, count: int) -> str:
    return text("part_counted", count=count, name=addon.name) if count > 1 else addon.name


def draft_notes(catalog: Catalog, before: Draft, applied: Applied) -> list[str]:
    """What an edit did, in short sentences, for the message that follows it."""
    after = applied.draft
    notes = []
    if before.service and after.service != before.service and after.service:
        notes.append(text("part_service_changed", service=catalog.service(after.service).name))
    for change in applied.changes:
        addon = change.addon
        if change.kind is ChangeKind.REMOVED:
            notes.append(text("part_removed", item=_counted(addon, change.count)))
        elif change.kind is ChangeKind.DROPPED and change.problem is not None:
            notes.append(text("part_dropped", reason=reason(change.problem)))
        elif change.kind is ChangeKind.COUNT:
            notes.append(text("part_count_now", count=change.count, name=addon.name))
        elif change.kind is ChangeKind.ADDED and before.addons:
            notes.append(text("part_added", item=_counted(addon, change.count)))
        elif change.kind is ChangeKind.ALREADY:
            notes.append(text("part_already", item=_counted(addon, change.count)))
        elif change.kind is ChangeKind.NOT_THERE:
            notes.append(text("part_not_there", name=addon.name))
    if applied.problems:
        notes.append(incompatible(applied.problems))
    return notes


def reason(problem: Incompatibility) -> str:
    """Why an add-on does not fit, from the facts compatibility.py found."""
    return text(f"part_{problem.why.value}", **problem.facts)


def incompatible(problems: Sequence[Incompatibility]) -> str:
    lines = []
    for problem in problems:
        line = reason(problem)
        if problem.alternatives:
            names = ", ".join(dict.fromkeys(addon.name for addon in problem.alternatives))
            line += text("part_alternatives", names=names)
        lines.append(line)
    return "\n".join(lines)


def count_refused(names: Sequence[str], most: int) -> str:
    return text("part_count_refused", most=most, names=", ".join(dict.fromkeys(names)))


def base_configuration(service: Service) -> str:
    """A service's base configuration, from the price list."""
    if service.kind is ServiceKind.HOUSING:
        return text(
            "part_base_housing", service=service.name, amperes=texts.number(service.base_power_a)
        )
    return text(
        "part_base_dedicated_one_free" if service.free_bays == 1 else "part_base_dedicated",
        service=service.name, base_ram=service.base_ram_gb, max_ram=service.max_ram_gb,
        bays=service.drive_bays, free_bays=service.free_bays,
    )


def _limit(service: Service | None, addon: Addon) -> str:
    if addon.max_quantity is not None:
        if addon.max_quantity == 1:
            return text("part_limit_one", name=addon.name)
        return text("part_limit_most", name=addon.name, most=addon.max_quantity)
    if addon.uses_bay:
        if service is None:
            return text("part_limit_bays_any", name=addon.name)
        return text(
            "part_limit_bays", name=addon.name, service=service.name, free_bays=service.free_bays
        )
    if addon.ram_gb:
        if service is None:
            return text("part_limit_ram_any", name=addon.name)
        return text(
            "part_limit_ram", service=service.name, base_ram=service.base_ram_gb,
            max_ram=service.max_ram_gb, room=service.max_ram_gb - service.base_ram_gb,
        )
    return text("part_limit_none", name=addon.name)


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
    return text("part_limits_rules", once=", ".join(one), bays=bays)


def rule_sentence(quote: Quote) -> str:
    """The rule of the guide that applied, in one sentence."""
    days = quote.days_to_expiry
    if quote.rule is PricingRule.RENEW_NOW:
        if days == 0:
            return text("part_rule_today")
        name = "part_rule_renew_one_day" if days == 1 else "part_rule_renew"
        return text(name, days=days, threshold=RENEW_NOW_BELOW_DAYS)
    if quote.rule is PricingRule.LAST_MONTH:
        return text("part_rule_last_month", days=days, threshold=RENEW_NOW_BELOW_DAYS)
    months = months_in_words(days, texts.speaking())
    return text("part_rule_months", days=days, months=months, fees=quote.fees)


def quote_message(quote: Quote, expiry: date) -> str:
    lines = [text("part_quote_header", service=quote.service.name)]
    for addon, count in Counter(quote.addons).items():
        fee = texts.eur(addon.monthly_fee * count)
        lines.append(text("part_quote_line", item=_counted(addon, count), fee=fee))
    lines.append(
        text("part_quote_expiry", day=texts.day(expiry), when=_days_phrase(quote.days_to_expiry))
    )
    lines.append(rule_sentence(quote))
    price = quote.price
    if quote.renewal_required:
        lines.append(text("part_quote_free_until_expiry", total=texts.eur(price.total)))
        monthly = quote.renewal_monthly
        lines.append(
            text(
                "part_quote_renewal",
                net=texts.eur(monthly.net), total=texts.eur(monthly.total),
            )
        )
        lengths = " · ".join(
            f"{_months(months)} {texts.eur(quote.renewal(months).total)}"
            for months in RENEWAL_MONTHS
        )
        lines.append(text("part_quote_renewal_lengths", lengths=lengths))
    else:
        lines.append(
            text(
                "part_quote_total", net=texts.eur(price.net), vat_rate=texts.rate(quote.vat_rate),
                vat=texts.eur(price.vat), total=texts.eur(price.total),
            )
        )
    return "\n".join(lines)


def expired_message(service: Service, expiry: date, days_overdue: int) -> str:
    ago = text("part_yesterday") if days_overdue == 1 else text("part_days_ago", days=days_overdue)
    return text("part_expired", service=service.name, day=texts.day(expiry), ago=ago)


def expiry_problem(error: ExpiryError) -> str:
    """Why an expiry answer cannot be used, and what to write instead."""
    if isinstance(error, DateDoesNotExistError):
        return text("part_date_does_not_exist", phrase=error.phrase)
    if isinstance(error, DayMissingError):
        return text("part_day_missing", phrase=error.phrase)
    if isinstance(error, ExpiryTooFarError):
        return text("part_expiry_too_far", day=texts.day(error.expiry))
    return text("part_expiry_not_understood")
