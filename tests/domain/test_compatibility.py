from __future__ import annotations

import pytest

from actions.domain.catalog import default_catalog
from actions.domain.compatibility import compatible_addons, split_compatible
from actions.replies import reason

CATALOG = default_catalog()


def _check(
    service_id: str, addon_ids: list[str]
) -> tuple[list[str], list[tuple[str, str, list[str]]]]:
    service = CATALOG.service(service_id)
    accepted, problems = split_compatible(CATALOG, service, [CATALOG.addon(i) for i in addon_ids])
    return (
        [addon.id for addon in accepted],
        [(p.addon.id, reason(p), [alt.id for alt in p.alternatives]) for p in problems],
    )


@pytest.mark.parametrize("addon_id", ["ram-16", "ssd-480", "raid-hw", "plesk", "windows"])
def test_hardware_and_licences_only_on_dedicated_servers(addon_id: str) -> None:
    accepted, problems = _check("housing-1u", [addon_id])
    assert accepted == []
    ((addon, reason, alternatives),) = problems
    assert addon == addon_id and "solo sui Server Dedicati" in reason
    assert alternatives and all(
        CATALOG.addon(alt).only_for is None or CATALOG.addon(alt).only_for.value == "housing"
        for alt in alternatives
    )


def test_power_packs_only_on_housing() -> None:
    accepted, [(addon, reason, alternatives)] = _check("ds-pro", ["power-1a"])
    assert accepted == [] and addon == "power-1a" and "solo sui servizi di Housing" in reason
    assert "power-05a" not in alternatives and "ip-extra" in alternatives


def test_ram_may_reach_but_not_pass_the_models_maximum() -> None:
    # Entry: 16 GB base, 64 GB max.
    assert _check("ds-entry", ["ram-16", "ram-32"]) == (["ram-16", "ram-32"], [])
    accepted, [(addon, reason, alternatives)] = _check("ds-entry", ["ram-64"])
    assert accepted == [] and addon == "ram-64" and "80 GB" in reason and "64 GB" in reason
    assert {"ram-16", "ram-32"} <= set(alternatives) and "ram-64" not in alternatives
    # The enterprise model takes the 64 GB module easily.
    assert _check("ds-enterprise", ["ram-64", "ram-64"]) == (["ram-64", "ram-64"], [])


def test_disks_may_not_exceed_the_free_bays() -> None:
    assert _check("ds-pro", ["ssd-960", "hdd-2tb"]) == (["ssd-960", "hdd-2tb"], [])
    accepted, [(addon, reason, alternatives)] = _check("ds-entry", ["ssd-960", "nvme-1tb"])
    assert accepted == ["ssd-960"] and addon == "nvme-1tb"
    # the one that does not fit is one more than the bays take: the quote holds the others
    assert "1 slot libero" in reason and "in più non ci starebbe" in reason
    assert not any(CATALOG.addon(alt).uses_bay for alt in alternatives)
    accepted, [(_, reason, _)] = _check("ds-pro", ["ssd-480"] * 3)
    assert accepted == ["ssd-480"] * 2 and "2 slot liberi" in reason and "in più" in reason


def test_only_one_connectivity_and_one_of_each_licence() -> None:
    _, problems = _check("ds-pro", ["net-1g", "net-10g", "plesk", "plesk"])
    assert [addon for addon, _, _ in problems] == ["net-10g", "plesk"]


def test_compatible_addons_lists_what_a_service_can_take() -> None:
    housing = {addon.id for addon in compatible_addons(CATALOG, CATALOG.service("housing-4u"))}
    assert housing == {
        "backup-100",
        "backup-500",
        "ip-extra",
        "firewall",
        "net-1g",
        "net-10g",
        "power-05a",
        "power-1a",
        "power-2a",
    }
