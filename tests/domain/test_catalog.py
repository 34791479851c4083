from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from actions.domain.catalog import (
    DEFAULT_PRICE_LIST,
    UnknownItemError,
    default_catalog,
    load_catalog,
    parse_catalog,
)


def test_the_sample_price_list_holds_the_published_fees() -> None:
    catalog = default_catalog()
    assert catalog.vat_rate == Decimal("0.22")
    assert catalog.service("ds-pro").monthly_fee == Decimal("99.00")
    assert catalog.addon("power-2a").monthly_fee == Decimal("65.00")
    assert len(catalog.services) == 5 and len(catalog.addons) == 19


def test_unknown_ids_are_refused() -> None:
    with pytest.raises(UnknownItemError):
        default_catalog().addon("gpu")


def test_a_replacement_price_list_is_read_from_its_file(tmp_path: Path) -> None:
    raw = yaml.safe_load(DEFAULT_PRICE_LIST.read_text(encoding="utf-8"))
    raw["services"][0]["monthly_fee"] = "55.50"
    replacement = tmp_path / "listino.yml"
    replacement.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    assert load_catalog(replacement).service("ds-entry").monthly_fee == Decimal("55.50")


def test_repeated_ids_are_refused() -> None:
    raw = yaml.safe_load(DEFAULT_PRICE_LIST.read_text(encoding="utf-8"))
    raw["addons"].append(dict(raw["addons"][0]))
    with pytest.raises(ValueError, match="ram-16"):
        parse_catalog(raw)
