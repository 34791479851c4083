from __future__ import annotations

import pytest

from actions.domain.catalog import default_catalog
from actions.domain.catalog_matching import Mention, find_mentions

CATALOG = default_catalog()


def services_in(text: str) -> list[Mention]:
    return find_mentions(list(CATALOG.services.values()), text)


def addons_in(text: str) -> list[Mention]:
    return find_mentions(list(CATALOG.addons.values()), text)


def resolved_ids(mentions: list[Mention]) -> list[str]:
    """The resolved ids, each repeated by its quantity."""
    return [m.resolved for m in mentions if m.resolved for _ in range(m.quantity)]


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("16 giga di ram", ["ram-16"]),
        ("ram da 32", ["ram-32"]),
        ("memroia 16 gb", ["ram-16"]),  # typo
        ("un altro disco ssd da 960", ["ssd-960"]),
        ("2 dischi ssd da 480 e 16gb di ram", ["ssd-480", "ssd-480", "ram-16"]),
        ("due ip in piu", ["ip-extra", "ip-extra"]),
        ("un IP in più", ["ip-extra"]),
        ("un indirizzo ip pubblico aggiuntivo", ["ip-extra"]),
        ("1 ampere in più", ["power-1a"]),
        ("mezzo ampere", ["power-05a"]),
        ("pacchetto di potenza da 2A", ["power-2a"]),
        ("anzi, 64 GB", ["ram-64"]),
        ("connettività da 10 giga", ["net-10g"]),
        ("hdd da 2 tera", ["hdd-2tb"]),
        ("nvme da 1tb", ["nvme-1tb"]),
        ("controller raid", ["raid-hw"]),
        ("licenza plesk e windows server", ["plesk", "windows"]),
        ("backup da 100 gb", ["backup-100"]),
        ("firewal dedicato", ["firewall"]),
    ],
)
def test_addons_named_in_many_ways(text: str, ids: list[str]) -> None:
    assert resolved_ids(addons_in(text)) == ids


@pytest.mark.parametrize(
    ("text", "candidates"),
    [
        ("un disco in più", {"ssd-480", "ssd-960", "hdd-2tb", "nvme-1tb"}),
        ("disco ssd", {"ssd-480", "ssd-960"}),
        ("più ram", {"ram-16", "ram-32", "ram-64"}),
    ],
)
def test_a_family_without_its_size_leaves_a_choice(text: str, candidates: set[str]) -> None:
    (mention,) = addons_in(text)
    assert mention.resolved is None and set(mention.candidates) == candidates


@pytest.mark.parametrize(
    "text",
    ["scade tra 40 giorni il 16/03", "0 GB", "ma il downgrade si può fare?", "ho 2 server"],
)
def test_no_addon_in_text_that_names_none(text: str) -> None:
    assert addons_in(text) == []


@pytest.mark.parametrize(
    ("text", "service_id"),
    [
        ("server entry", "ds-entry"),
        ("il dedicato pro", "ds-pro"),
        ("enterprice", "ds-enterprise"),
        ("housing da 4 unità", "housing-4u"),
        ("l'housing da quattro unita", "housing-4u"),
        ("housing 1u", "housing-1u"),
        ("housing una unita", "housing-1u"),
    ],
)
def test_services_named_in_many_ways(text: str, service_id: str) -> None:
    (mention,) = services_in(text)
    assert mention.resolved == service_id


def test_housing_without_size_is_a_choice_and_a_generic_server_is_nothing() -> None:
    (mention,) = services_in("il mio housing")
    assert mention.candidates == ("housing-1u", "housing-4u")
    assert services_in("ho un server professionale") == []


@pytest.mark.parametrize(
    ("text", "refused"),
    [("-3 ip", "-3"), ("0 ip", "0"), ("10000 ip", "10000"), ("2,5 firewall", "2.5")],
)
def test_a_count_that_cannot_be_quoted_is_refused_not_guessed(text: str, refused: str) -> None:
    (mention,) = addons_in(text)
    assert mention.quantity == 1 and str(mention.refused_count) == refused


def test_a_hyphen_inside_a_name_is_no_minus_sign() -> None:
    (mention,) = addons_in("ssd-480")
    assert mention.candidates == ("ssd-480",) and mention.refused_count is None
