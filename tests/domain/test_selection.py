from __future__ import annotations

import pytest

from actions.domain.catalog import default_catalog
from actions.domain.selection import is_correction, merge_addons

CATALOG = default_catalog()


@pytest.mark.parametrize(
    ("text", "expected"),
    [("anzi, 64 GB", True), ("no scusa, 32", True), ("e anche un ip", False), ("nonno", False)],
)
def test_corrections_are_recognised(text: str, expected: bool) -> None:
    assert is_correction(text) is expected


def test_a_new_addon_is_added() -> None:
    assert merge_addons(CATALOG, ["ram-16"], ["ip-extra"], correction=False) == [
        "ram-16",
        "ip-extra",
    ]


def test_a_correction_replaces_the_same_family_only() -> None:
    merged = merge_addons(CATALOG, ["ram-16", "ip-extra"], ["ram-64"], correction=True)
    assert merged == ["ip-extra", "ram-64"]


def test_more_ram_without_correction_stacks() -> None:
    assert merge_addons(CATALOG, ["ram-16"], ["ram-32"], correction=False) == ["ram-16", "ram-32"]


def test_a_connectivity_always_replaces_the_previous_one() -> None:
    assert merge_addons(CATALOG, ["net-1g", "firewall"], ["net-10g"], correction=False) == [
        "firewall",
        "net-10g",
    ]
