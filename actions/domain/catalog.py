"""The price list: services, add-ons and their monthly fees, loaded from a YAML data file."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DEFAULT_PRICE_LIST = Path(__file__).with_name("price_list.yml")


class ServiceKind(str, Enum):
    DEDICATED = "dedicated"
    HOUSING = "housing"


class AddonCategory(str, Enum):
    HARDWARE = "hardware"
    SERVICE = "service"
    CONNECTIVITY = "connectivity"
    POWER = "power"


@dataclass(frozen=True)
class Naming:
    """How customers name an item: keywords, and the figure that tells sizes apart (16 GB)."""

    keywords: tuple[str, ...] = ()
    size: Decimal | None = None
    unit: str | None = None


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    kind: ServiceKind
    monthly_fee: Decimal
    base_ram_gb: int = 0
    max_ram_gb: int = 0
    drive_bays: int = 0
    free_bays: int = 0
    base_power_a: Decimal = Decimal("0")
    naming: Naming = Naming()


@dataclass(frozen=True)
class Addon:
    id: str
    name: str
    category: AddonCategory
    monthly_fee: Decimal
    only_for: ServiceKind | None = None
    ram_gb: int = 0
    uses_bay: bool = False
    max_quantity: int | None = None
    naming: Naming = Naming()

    @property
    def family(self) -> tuple[str, ...]:
        """Add-ons named by the same words are one family: the RAM sizes, the disks."""
        return self.naming.keywords or (self.id,)


class UnknownItemError(KeyError):
    """A service or add-on id that the price list does not hold."""


@dataclass(frozen=True)
class Catalog:
    vat_rate: Decimal
    services: Mapping[str, Service] = field(default_factory=dict)
    addons: Mapping[str, Addon] = field(default_factory=dict)

    def service(self, service_id: str) -> Service:
        try:
            return self.services[service_id]
        except KeyError:
            raise UnknownItemError(f"servizio sconosciuto: {service_id}") from None

    def addon(self, addon_id: str) -> Addon:
        try:
            return self.addons[addon_id]
        except KeyError:
            raise UnknownItemError(f"add-on sconosciuto: {addon_id}") from None


def _money(value: Any) -> Decimal:
    # Prices are strings in the file so that no float ever touches them.
    return Decimal(str(value))


def _naming(raw: Mapping[str, Any]) -> Naming:
    size = raw.get("size")
    return Naming(
        keywords=tuple(raw.get("keywords", ())),
        size=Decimal(str(size)) if size is not None else None,
        unit=raw.get("unit"),
    )


def _service(raw: Mapping[str, Any]) -> Service:
    return Service(
        id=raw["id"],
        name=raw["name"],
        kind=ServiceKind(raw["kind"]),
        monthly_fee=_money(raw["monthly_fee"]),
        base_ram_gb=int(raw.get("base_ram_gb", 0)),
        max_ram_gb=int(raw.get("max_ram_gb", 0)),
        drive_bays=int(raw.get("drive_bays", 0)),
        free_bays=int(raw.get("free_bays", 0)),
        base_power_a=_money(raw.get("base_power_a", "0")),
        naming=_naming(raw),
    )


def _addon(raw: Mapping[str, Any]) -> Addon:
    only_for = raw.get("only_for")
    max_quantity = raw.get("max_quantity")
    return Addon(
        id=raw["id"],
        name=raw["name"],
        category=AddonCategory(raw["category"]),
        monthly_fee=_money(raw["monthly_fee"]),
        only_for=ServiceKind(only_for) if only_for else None,
        ram_gb=int(raw.get("ram_gb", 0)),
        uses_bay=bool(raw.get("uses_bay", False)),
        max_quantity=int(max_quantity) if max_quantity is not None else None,
        naming=_naming(raw),
    )


def parse_catalog(raw: Mapping[str, Any]) -> Catalog:
    services = [_service(item) for item in raw["services"]]
    addons = [_addon(item) for item in raw["addons"]]
    ids = [item.id for item in services] + [item.id for item in addons]
    duplicated = sorted({item_id for item_id in ids if ids.count(item_id) > 1})
    if duplicated:
        raise ValueError(f"id ripetuti nel listino: {', '.join(duplicated)}")
    return Catalog(
        vat_rate=_money(raw["vat_rate"]),
        services={item.id: item for item in services},
        addons={item.id: item for item in addons},
    )


def load_catalog(path: Path) -> Catalog:
    with path.open(encoding="utf-8") as handle:
        return parse_catalog(yaml.safe_load(handle))


@lru_cache(maxsize=1)
def default_catalog() -> Catalog:
    """The price list in use: `PRICE_LIST` if set, else the sample shipped with the code."""
    return load_catalog(Path(os.environ.get("PRICE_LIST", DEFAULT_PRICE_LIST)))
