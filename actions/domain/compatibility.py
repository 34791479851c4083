"""Which add-ons fit which service: kind of service, RAM ceiling, free drive bays, quantities."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .catalog import Addon, AddonCategory, Catalog, Service, ServiceKind

_KIND_IN_WORDS = {
    ServiceKind.DEDICATED: "sui Server Dedicati",
    ServiceKind.HOUSING: "sui servizi di Housing",
}


@dataclass(frozen=True)
class Incompatibility:
    """An add-on the service cannot take, why (in Italian), and what it can take instead."""

    addon: Addon
    reason: str
    alternatives: tuple[Addon, ...]


def _reason(service: Service, accepted: Sequence[Addon], addon: Addon) -> str | None:
    """Why `addon` cannot join `accepted` on `service`, or None when it can."""
    if addon.only_for is not None and addon.only_for != service.kind:
        return f"{addon.name} è disponibile solo {_KIND_IN_WORDS[addon.only_for]}."
    if addon.max_quantity is not None:
        same = sum(1 for item in accepted if item.id == addon.id)
        if same >= addon.max_quantity:
            times = "una sola volta" if addon.max_quantity == 1 else f"{addon.max_quantity} volte"
            return f"{addon.name} si può aggiungere al massimo {times} per servizio."
    if addon.category is AddonCategory.CONNECTIVITY and any(
        item.category is AddonCategory.CONNECTIVITY for item in accepted
    ):
        return "Si può scegliere una sola connettività per servizio."
    if addon.ram_gb:
        ram_after = service.base_ram_gb + sum(item.ram_gb for item in accepted) + addon.ram_gb
        if ram_after > service.max_ram_gb:
            return (
                f"Con {addon.name} la RAM del {service.name} arriverebbe a {ram_after} GB, "
                f"oltre il massimo di {service.max_ram_gb} GB."
            )
    if addon.uses_bay:
        disks_after = sum(1 for item in accepted if item.uses_bay) + 1
        if disks_after > service.free_bays:
            return (
                f"Il {service.name} ha {service.free_bays} "
                f"{'slot libero' if service.free_bays == 1 else 'slot liberi'} per i dischi: "
                f"{addon.name} non ci starebbe."
            )
    return None


def compatible_addons(
    catalog: Catalog, service: Service, accepted: Sequence[Addon] = ()
) -> list[Addon]:
    """Every add-on of the price list that `service` can still take next to `accepted`."""
    return [addon for addon in catalog.addons.values() if _reason(service, accepted, addon) is None]


def split_compatible(
    catalog: Catalog, service: Service, requested: Sequence[Addon]
) -> tuple[list[Addon], list[Incompatibility]]:
    """Accept the requested add-ons in order; report each one that does not fit."""
    accepted: list[Addon] = []
    problems: list[Incompatibility] = []
    for addon in requested:
        reason = _reason(service, accepted, addon)
        if reason is None:
            accepted.append(addon)
            continue
        fitting = compatible_addons(catalog, service, accepted)
        # Offer the closest first: a customer asking for RAM wants RAM, then hardware.
        alternatives = (
            [item for item in fitting if item.family == addon.family]
            or [item for item in fitting if item.category is addon.category]
            or fitting
        )
        problems.append(Incompatibility(addon, reason, tuple(alternatives)))
    return accepted, problems
