"""The figures in a customer's message that are not an item's own size: counts said apart
from the item ("gli ip sono 3", "ne bastano 2", "the IPs are 3", "make it 2"), a size alone
that names an option just offered ("quella da 32", "the 960"), a total of RAM rather than an
increment ("da 32 a 64 GB", "from 32 to 64 GB"), and "la più economica" / "the cheapest"
among the options offered."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from .catalog import Catalog
from .catalog_matching import MAX_QUANTITY, UNITS, Mention
from .draft import Draft

BARE_FIGURE_AFTER = {
    "da", "del", "della", "dal", "dalla", "anzi", "invece", "meglio", "allora", "quello",
    "quella", "e",
    "the", "actually", "instead", "rather", "better",
}  # fmt: skip
SET_VERBS = {
    "metti", "mettine", "metto", "facciamo", "fai", "sono", "saranno", "diventano",
    "make", "set", "are", "take",
}  # fmt: skip


def count_after(mention: Mention, tokens: Sequence[str]) -> int | None:
    """ "gli ip sono 3": a count after the item, with a verb that says so."""
    after = tokens[mention.end + 1 : mention.end + 4]
    if after and after[0] in SET_VERBS and len(after) > 1 and after[1].isdigit():
        return int(after[1])
    return None


def bare_figures(
    catalog: Catalog, tokens: Sequence[str], used: set[int], families: set[tuple[str, ...]]
) -> list[Mention]:
    """A figure alone names the add-on of that size in a family already talked about:
    "anzi 64" with RAM chosen, "allora quella da 32", "invece di quello da 16"."""
    found = []
    for position, token in enumerate(tokens):
        if position in used or position + 1 in used or not token.isdigit():
            continue
        if position and tokens[position - 1] not in BARE_FIGURE_AFTER:
            continue
        if position + 1 < len(tokens) and re.match(
            r"giorn|mes|settiman|ann|day|week|month|year", tokens[position + 1]
        ):
            continue
        # "the 1U housing": a unit that is not the add-on's says it is something else
        unit = UNITS.get(tokens[position + 1]) if position + 1 < len(tokens) else None
        sized = [
            addon.id
            for addon in catalog.addons.values()
            if addon.naming.size == Decimal(token)
            and addon.family in families
            and unit in (None, addon.naming.unit)
        ]
        if len(sized) == 1:
            found.append(Mention((sized[0],), start=position, end=position))
    return found


_GB = r"(?:gb|giga|gigs?)"
_FROM_TO = re.compile(rf"\b(?:da|from) (\d+) (?:{_GB} )?(?:a|to) (\d+) {_GB}\b")
_UP_TO = re.compile(
    rf"\b(?:arrivare|portar\w*|passare|salire) a (\d+) {_GB}\b"
    rf"|\b(\d+) {_GB} in (?:tutto|totale)\b"
    rf"|\b(?:get|go|bring|take|reach|increase|upgrade|raise)\w* (?:it |the ram |ram )?to "
    rf"(\d+) {_GB}\b|\b(\d+) {_GB}(?: of (?:ram|memory))? (?:in total|total|altogether)\b"
)


def ram_totals(
    catalog: Catalog, tokens: Sequence[str], draft: Draft, mentions: list[Mention]
) -> list[Mention]:
    """A total of RAM, not an increment: "da 32 a 64 GB", "arrivare a 64 GB in tutto" are the
    RAM modules that add the difference to what the server has."""
    ram = sorted(
        (addon for addon in catalog.addons.values() if addon.ram_gb),
        key=lambda addon: -addon.ram_gb,
    )
    words = " ".join(tokens)
    if not ram or not any(k in tokens for k in (*ram[0].naming.keywords, "gb", "giga", "gigs")):
        return mentions
    step = _FROM_TO.search(words)
    if step:
        missing = int(step.group(2)) - int(step.group(1))
    else:
        total = _UP_TO.search(words)
        if total is None or draft.service is None or draft.service not in catalog.services:
            return mentions
        have = catalog.service(draft.service).base_ram_gb
        have += sum(catalog.addon(item).ram_gb for item in draft.addons)
        missing = int(next(group for group in total.groups() if group)) - have
    exact = [addon for addon in ram if addon.ram_gb == missing]
    chosen: list[str] = [exact[0].id] if exact else []
    for addon in ram if not exact else ():
        while missing >= addon.ram_gb > 0:
            chosen.append(addon.id)
            missing -= addon.ram_gb
    if not chosen or (not exact and missing):
        return mentions
    others = [m for m in mentions if not set(m.candidates) & {addon.id for addon in ram}]
    start = min((m.start for m in mentions), default=0)
    modules = [
        Mention((item,), chosen.count(item), start=start, end=start, counted=True)
        for item in dict.fromkeys(chosen)
    ]
    return sorted([*others, *modules], key=lambda m: m.start)


def by_price(catalog: Catalog, offered: Sequence[str], tokens: Sequence[str]) -> str | None:
    """ "quella più economica" / "la più grande" among the add-ons just offered."""
    words = " ".join(tokens)
    fees = sorted(offered, key=lambda item: catalog.addon(item).monthly_fee)
    if re.search(r"econom|piccol|meno car|basso|minim|cheap|small|less expens|lowest|least", words):
        return fees[0]
    if re.search(
        r"grand|potent|costos|massim|alto|\bbig|\blarge|powerful|most expens|highest|maxim",
        words,
    ):
        return fees[-1]
    return None


def lone_count(tokens: Sequence[str], mentions: Sequence[Mention]) -> int | None:
    """A count that is no item's size nor written before an item: "ne bastano 2"."""
    taken = {position for m in mentions for position in range(m.start - 1, m.end + 1)}
    for position, token in enumerate(tokens):
        if position in taken or not token.isdigit() or not 1 <= int(token) <= MAX_QUANTITY:
            continue
        if tokens[position + 1 : position + 2] and tokens[position + 1] in UNITS:
            continue
        return int(token)
    return None
