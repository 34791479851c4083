"""Which add-ons fit which service: kind of service, RAM ceiling, free drive bays, quantities."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum

from .catalog import Addon, AddonCategory, Catalog, Service, ServiceKind


class Why(str, Enum):
    """Why an add-on does not fit; the customer's sentence for each is a text of domain.yml
    (`part_<value>`, actions/replies.py)."""

    ONLY_FOR_DEDICATED = "only_for_dedicated"
    ONLY_FOR_HOUSING = "only_for_housing"
    MAX_ONCE = "max_once"
    MAX_TIMES = "max_times"
    ONE_CONNECTIVITY = "one_connectivity"
    RAM_CEILING = "ram_ceiling"
    NO_BAY = "no_bay"
    NO_BAYS = "no_bays"


@dataclass(frozen=True)
class Misfit:
    """Why an add-on cannot join, with the figures that say it."""

    why: Why
    facts: Mapping[str, str | int] = field(default_factory=dict)


@dataclass(frozen=True)
class Incompatibility:
    """An add-on the service cannot take, why, and what it can take instead."""

    addon: Addon
    why: Why
    facts: Mapping[str, str | int]
    alternatives: tuple[Addon, ...]


def _misfit(service: Service, accepted: Sequence[Addon], addon: Addon) -> Misfit | None:
    """Why `addon` cannot join `accepted` on `service`, or None when it can."""
    name = {"name": addon.name}
    if addon.only_for is not None and addon.only_for != service.kind:
        only = Why.ONLY_FOR_DEDICATED if addon.only_for is ServiceKind.DEDICATED else (
            Why.ONLY_FOR_HOUSING
        )
        return Misfit(only, name)
    if addon.max_quantity is not None:
        same = sum(1 for item in accepted if item.id == addon.id)
        if same >= addon.max_quantity:
            if addon.max_quantity == 1:
                return Misfit(Why.MAX_ONCE, name)
            return Misfit(Why.MAX_TIMES, {**name, "most": addon.max_quantity})
    if addon.category is AddonCategory.CONNECTIVITY and any(
        item.category is AddonCategory.CONNECTIVITY for item in accepted
    ):
        return Misfit(Why.ONE_CONNECTIVITY)
    if addon.ram_gb:
        ram_after = service.base_ram_gb + sum(item.ram_gb for item in accepted) + addon.ram_gb
        if ram_after > service.max_ram_gb:
            return Misfit(Why.RAM_CEILING, {
                **name, "service": service.name, "ram_after": ram_after,
                "max_ram": service.max_ram_gb,
            })
    if addon.uses_bay:
        disks_after = sum(1 for item in accepted if item.uses_bay) + 1
        if disks_after > service.free_bays:
            why = Why.NO_BAY if service.free_bays == 1 else Why.NO_BAYS
            return Misfit(why, {**name, "service": service.name, "free_bays": service.free_bays})
    return None


def compatible_addons(
    catalog: Catalog, service: Service, accepted: Sequence[Addon] = ()
) -> list[Addon]:
    """Every add-on of the price list that `service` can still take next to `accepted`."""
    return [addon for addon in catalog.addons.values() if _misfit(service, accepted, addon) is None]


def split_compatible(
    catalog: Catalog, service: Service, requested: Sequence[Addon]
) -> tuple[list[Addon], list[Incompatibility]]:
    """Accept the requested add-ons in order; report each one that does not fit."""
    accepted: list[Addon] = []
    problems: list[Incompatibility] = []
    for addon in requested:
        misfit = _misfit(service, accepted, addon)
        if misfit is None:
            accepted.append(addon)
            continue
        fitting = compatible_addons(catalog, service, accepted)
        # Offer the closest first: a customer asking for RAM wants RAM, then hardware.
        alternatives = (
            [item for item in fitting if item.family == addon.family]
            or [item for item in fitting if item.category is addon.category]
            or fitting
        )
        problems.append(
            Incompatibility(addon, misfit.why, misfit.facts, tuple(alternatives))
        )
    return accepted, problems
