"""The quote draft: what the customer has asked for so far, edited by every message.

One draft per conversation: the service, the add-ons with their counts, the expiry. A
message is read into edits (`message_reading.py`); `apply` turns them into the next draft
and says what changed, so the customer sees "Ho tolto il Controller RAID" with the quote.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import Enum
from typing import Any

from .catalog import Addon, AddonCategory, Catalog
from .compatibility import Incompatibility, split_compatible


class Op(str, Enum):
    ADD = "add"  # more of it: "un altro ssd", "aggiungi 2 ip", or a first mention
    SET = "set"  # exactly this many: "una sola", "gli ip sono 3", "in totale 3 ip"
    REMOVE = "remove"  # none of it: "togli il raid", "senza backup", "il raid non lo voglio"


@dataclass(frozen=True)
class ItemEdit:
    """An edit of one add-on; `candidates` holds several ids when the words name a family
    ("il disco"): a removal then takes whichever the draft holds, an addition asks which."""

    op: Op
    candidates: tuple[str, ...]
    quantity: int = 1
    # A correction ("anzi 64"): what it takes the place of, kept if the new one does not fit.
    replaces: tuple[str, ...] = ()

    @property
    def resolved(self) -> str | None:
        return self.candidates[0] if len(self.candidates) == 1 else None


@dataclass(frozen=True)
class Draft:
    service: str | None = None
    addons: tuple[str, ...] = ()  # ids in the order chosen, repeated by count
    expiry: date | None = None
    focus: str | None = None  # the add-on last edited: what "ne metto 3" is about

    def count(self, addon_id: str) -> int:
        return self.addons.count(addon_id)

    @property
    def counts(self) -> dict[str, int]:
        return dict(Counter(self.addons))

    @property
    def complete(self) -> bool:
        return bool(self.service and self.addons and self.expiry)

    def to_slots(self) -> dict[str, Any]:
        return {
            "service": self.service,
            "addons": list(self.addons) or None,
            "expiry_date": self.expiry.isoformat() if self.expiry else None,
            "draft_focus": self.focus,
        }

    @classmethod
    def from_slots(cls, slots: dict[str, Any]) -> Draft:
        expiry = slots.get("expiry_date")
        try:
            parsed = date.fromisoformat(str(expiry)) if expiry else None
        except ValueError:
            parsed = None
        return cls(
            service=slots.get("service"),
            addons=tuple(slots.get("addons") or ()),
            expiry=parsed,
            focus=slots.get("draft_focus"),
        )


class ChangeKind(str, Enum):
    ADDED = "added"
    REMOVED = "removed"
    COUNT = "count"  # the count of an add-on already there changed
    DROPPED = "dropped"  # it does not fit the (new) service
    ALREADY = "already"  # named again, nothing to change
    NOT_THERE = "not_there"  # asked to remove something the draft does not hold


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    addon: Addon
    count: int = 1
    problem: Incompatibility | None = None


@dataclass(frozen=True)
class Applied:
    draft: Draft
    changes: tuple[Change, ...] = ()
    # Add-ons named as a family ("un altro disco"): which one, among those that fit?
    choices: tuple[str, ...] = ()
    problems: tuple[Incompatibility, ...] = field(default=())


def _with_count(addons: Sequence[str], addon_id: str, count: int) -> tuple[str, ...]:
    """`addons` holding exactly `count` of `addon_id`, in the place it had (else at the end)."""
    result: list[str] = []
    placed = False
    for item in addons:
        if item == addon_id:
            if not placed:
                result += [addon_id] * count
                placed = True
            continue
        result.append(item)
    if not placed:
        result += [addon_id] * count
    return tuple(result)


def _one_connectivity(catalog: Catalog, addons: Sequence[str], kept: str) -> tuple[str, ...]:
    """A service has one connectivity: a new one replaces the one chosen before."""
    return tuple(
        item
        for item in addons
        if item == kept or catalog.addon(item).category is not AddonCategory.CONNECTIVITY
    )


def _fit(catalog: Catalog, draft: Draft) -> tuple[Draft, list[Incompatibility]]:
    """The draft keeping only what its service takes, and why the rest does not fit."""
    if draft.service is None or draft.service not in catalog.services:
        return draft, []
    requested = [catalog.addon(item) for item in draft.addons]
    accepted, problems = split_compatible(catalog, catalog.service(draft.service), requested)
    return replace(draft, addons=tuple(addon.id for addon in accepted)), problems


def apply_edits(
    catalog: Catalog,
    draft: Draft,
    edits: Iterable[ItemEdit],
    service: str | None = None,
    expiry: date | None = None,
) -> Applied:
    """The next draft: the service and expiry when given, then each add-on edit in order;
    what the service cannot take is left out and explained."""
    before = draft.counts
    addons = draft.addons
    focus = draft.focus
    choices: tuple[str, ...] = ()
    changes: list[Change] = []
    kept_problems: list[Incompatibility] = []
    for edit in edits:
        held = [item for item in dict.fromkeys(addons) if item in edit.candidates]
        if edit.op is Op.REMOVE:
            if not held:
                if edit.resolved:
                    changes.append(Change(ChangeKind.NOT_THERE, catalog.addon(edit.resolved)))
                continue
            addons = tuple(item for item in addons if item not in held)
            focus = None if focus in held else focus
            continue
        target = edit.resolved
        if target is None:
            # A family: the one the draft holds when a count is set ("i dischi sono 2"),
            # else ask which one.
            if edit.op is Op.SET and len(held) == 1:
                target = held[0]
            else:
                choices = edit.candidates
                continue
        if edit.replaces:
            trial = tuple(item for item in addons if item not in edit.replaces)
            trial = _with_count(trial, target, edit.quantity)
            fitted_trial, trial_problems = _fit(catalog, replace(draft, addons=trial))
            if fitted_trial.count(target) < edit.quantity:
                kept_problems.extend(p for p in trial_problems if p.addon.id == target)
                continue  # a correction that does not fit keeps the earlier choice
            addons = tuple(item for item in addons if item not in edit.replaces)
        current = addons.count(target)
        wanted = edit.quantity if edit.op is Op.SET else current + edit.quantity
        if catalog.addon(target).category is AddonCategory.CONNECTIVITY:
            addons = _one_connectivity(catalog, addons, target)
            wanted = 1
        if wanted == current:
            changes.append(Change(ChangeKind.ALREADY, catalog.addon(target), current))
        addons = _with_count(addons, target, wanted)
        focus = target
    next_draft = Draft(
        service=service or draft.service,
        addons=addons,
        expiry=expiry or draft.expiry,
        focus=focus,
    )
    fitted, problems = _fit(catalog, next_draft)
    after = fitted.counts
    for addon_id in dict.fromkeys([*before, *after]):
        old, new = before.get(addon_id, 0), after.get(addon_id, 0)
        addon = catalog.addon(addon_id)
        if old and not new:
            dropped = next((p for p in problems if p.addon.id == addon_id), None)
            kind = ChangeKind.DROPPED if dropped else ChangeKind.REMOVED
            changes.append(Change(kind, addon, old, dropped))
        elif new and not old:
            changes.append(Change(ChangeKind.ADDED, addon, new))
        elif new != old:
            changes.append(Change(ChangeKind.COUNT, addon, new))
    # Problems of add-ons just asked for, or asked more of (not those dropped from before),
    # are told apart.
    asked = next_draft.counts
    fresh = tuple(p for p in problems if asked.get(p.addon.id, 0) > before.get(p.addon.id, 0))
    if fitted.focus not in after:
        fitted = replace(fitted, focus=None)
    if not choices:
        # "+64 GB does not fit": the sizes of the same family that do are offered to choose
        choices = next(
            (
                tuple(alt.id for alt in p.alternatives if alt.family == p.addon.family)
                for p in problems
                if any(alt.family == p.addon.family for alt in p.alternatives)
                and not after.get(p.addon.id)
            ),
            (),
        )
    return Applied(fitted, tuple(changes), choices, _unique([*kept_problems, *fresh]))


def _unique(problems: Sequence[Incompatibility]) -> tuple[Incompatibility, ...]:
    """One explanation per add-on, however many of it were refused."""
    seen: dict[str, Incompatibility] = {}
    for problem in problems:
        seen.setdefault(problem.addon.id, problem)
    return tuple(seen.values())
