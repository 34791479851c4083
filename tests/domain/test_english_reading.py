"""The readers of what a customer writes, in English: the expiry date, the service, the
add-ons with their counts and sizes, removals, corrections, restart and the options again.
No language is given: the same readers take Italian and English."""

from __future__ import annotations

from datetime import date

import pytest

from actions.domain.catalog import default_catalog
from actions.domain.catalog_matching import Mention, find_mentions
from actions.domain.draft import Draft, Op, apply_edits
from actions.domain.italian_dates import (
    DateDoesNotExistError,
    DayMissingError,
    ExpiryError,
    ExpiryNotFoundError,
    ExpiryTooFarError,
    parse_expiry,
)
from actions.domain.message_reading import read_message
from actions.domain.selection import is_correction

CATALOG = default_catalog()
TODAY = date(2026, 11, 26)  # a Thursday
PRO = Draft(service="ds-pro")
HOUSING = Draft(service="housing-4u")


@pytest.mark.parametrize(
    ("text", "expiry"),
    [
        ("in 40 days", date(2027, 1, 5)),
        ("40 days left", date(2027, 1, 5)),
        ("80 days to go", date(2027, 2, 14)),
        ("75 days left till renewal", date(2027, 2, 9)),
        ("it expires in 3 weeks", date(2026, 12, 17)),
        ("on 3 April", date(2027, 4, 3)),
        ("April 3rd", date(2027, 4, 3)),
        ("the 3rd of April", date(2027, 4, 3)),
        ("March 15th 2027", date(2027, 3, 15)),
        ("April 3, 2027", date(2027, 4, 3)),
        ("3 Apr 2027", date(2027, 4, 3)),
        ("15/03/2027", date(2027, 3, 15)),
        ("2027-03-15", date(2027, 3, 15)),
        ("end of January", date(2027, 1, 31)),
        ("the end of the month", date(2026, 11, 30)),
        ("it expires end of next month", date(2026, 12, 31)),
        ("it expires end of the year", date(2026, 12, 31)),
        ("mid-May more or less", date(2027, 5, 15)),
        ("beginning of June", date(2027, 6, 1)),
        ("in two months", date(2027, 1, 26)),
        ("in two months' time", date(2027, 1, 26)),
        ("forty days", date(2027, 1, 5)),
        ("in a week", date(2026, 12, 3)),
        ("in a month and a half", date(2027, 1, 10)),
        ("in roughly three months", date(2027, 2, 26)),
        ("tomorrow", date(2026, 11, 27)),
        ("it expires today", date(2026, 11, 26)),
        ("next Friday", date(2026, 11, 27)),
        ("on the 3rd", date(2026, 12, 3)),  # the next 3rd of a month
        ("the expiration is the 9th of May", date(2027, 5, 9)),
        # the past, as the Italian "scaduto 3 giorni fa"
        ("expired last week", date(2026, 11, 19)),
        ("3 days ago", date(2026, 11, 23)),
        ("it expired yesterday", date(2026, 11, 25)),
        ("it's been expired for a week already", date(2026, 11, 19)),
        # in a sentence about something else too
        ("I'd like 2 480GB SSDs for my Enterprise server, it expires in 40 days", date(2027, 1, 5)),
        ("I have a Housing 1U and need the 0.5 A power pack, 80 days left", date(2027, 2, 14)),
        ("my Entry expired 3 days ago, can I still add 16GB of RAM?", date(2026, 11, 23)),
        ("I renewed it for 12 months, now it expires on 10 October 2027", date(2027, 10, 10)),
        ("it expires on 31 December, I renewed it last year", date(2026, 12, 31)),
        # Italian and English in one message
        ("one more IP on my dedicato pro, scadenza 3 april", date(2027, 4, 3)),
    ],
)
def test_english_expiry_phrases(text: str, expiry: date) -> None:
    assert parse_expiry(text, TODAY) == expiry


@pytest.mark.parametrize(
    ("text", "month"),
    [("it expires next month", date(2026, 12, 1)), ("it runs out in March", date(2027, 3, 1))],
)
def test_a_month_without_its_day_is_asked_back(text: str, month: date) -> None:
    with pytest.raises(DayMissingError) as missing:
        parse_expiry(text, TODAY)
    assert missing.value.month == month


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("31 February", DateDoesNotExistError),
        ("it expires on February 30th", DateDoesNotExistError),
        ("in 10000 days", ExpiryTooFarError),
        ("in -5 days", ExpiryNotFoundError),
        ("a second IP, please", ExpiryNotFoundError),  # an ordinal of no month
        ("may I add 16 GB of RAM?", ExpiryNotFoundError),  # "may" the verb
        ("for now I'll take the disks", ExpiryNotFoundError),
        ("another 960 GB SSD", ExpiryNotFoundError),
        ("half an amp", ExpiryNotFoundError),
        ("put the 64 one instead of the 16GB RAM", ExpiryNotFoundError),
    ],
)
def test_english_answers_that_need_a_reask(text: str, error: type[ExpiryError]) -> None:
    with pytest.raises(error):
        parse_expiry(text, TODAY)


def addons_in(text: str) -> list[Mention]:
    return find_mentions(list(CATALOG.addons.values()), text)


def resolved_ids(mentions: list[Mention]) -> list[str]:
    return [m.resolved for m in mentions if m.resolved for _ in range(m.quantity)]


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("an extra IP", ["ip-extra"]),
        ("an additional IP address", ["ip-extra"]),
        ("3 IPs", ["ip-extra"] * 3),
        ("three extra IPs", ["ip-extra"] * 3),
        ("another 960 GB SSD", ["ssd-960"]),
        ("two 960 GB SSDs", ["ssd-960", "ssd-960"]),
        ("I need 2 480 SSD disks", ["ssd-480", "ssd-480"]),
        ("16 GB more RAM", ["ram-16"]),
        ("32GB of RAM", ["ram-32"]),
        ("64 gigs of memory", ["ram-64"]),
        ("a 2TB hard drive", ["hdd-2tb"]),
        ("a 1TB NVMe drive", ["nvme-1tb"]),
        ("half an amp", ["power-05a"]),
        ("0.5 A power pack", ["power-05a"]),
        ("an extra half ampere", ["power-05a"]),
        ("1 amp power package", ["power-1a"]),
        ("2 amps more", ["power-2a"]),
        ("backup 100 GB", ["backup-100"]),
        ("the 500 backup", ["backup-500"]),
        ("firewall", ["firewall"]),
        ("Plesk license and Windows license", ["plesk", "windows"]),
        ("RAID controller", ["raid-hw"]),
        ("10 Gbit connectivity", ["net-10g"]),
        ("1 gigabit bandwidth", ["net-1g"]),
        ("the 10Gbps uplink", ["net-10g"]),
    ],
)
def test_addons_named_in_english(text: str, ids: list[str]) -> None:
    assert resolved_ids(addons_in(text)) == ids


@pytest.mark.parametrize(
    ("text", "candidates"),
    [
        ("how much does it cost to add a disk?", {"ssd-480", "ssd-960", "hdd-2tb", "nvme-1tb"}),
        ("I'd like more memory", {"ram-16", "ram-32", "ram-64"}),
        ("more power on the housing", {"power-05a", "power-1a", "power-2a"}),
    ],
)
def test_an_english_family_without_its_size_leaves_a_choice(
    text: str, candidates: set[str]
) -> None:
    (mention,) = addons_in(text)
    assert mention.resolved is None and set(mention.candidates) == candidates


def test_a_size_is_never_a_count_in_english() -> None:
    (mention,) = addons_in("32 GB")
    assert (mention.candidates, mention.quantity, mention.counted) == (("ram-32",), 1, False)


@pytest.mark.parametrize(
    ("text", "service_id"),
    [
        ("Dedicated Server Pro", "ds-pro"),
        ("the pro server", "ds-pro"),
        ("entry", "ds-entry"),
        ("it's an Enterprise", "ds-enterprise"),
        ("housing 1U", "housing-1u"),
        ("a 4U housing", "housing-4u"),
        ("my 1 unit housing", "housing-1u"),
        ("housing one unit", "housing-1u"),
        ("the service is a housing 4 units", "housing-4u"),
        ("not entry, it's pro", "ds-pro"),
        ("it's not an Entry, it's a Pro", "ds-pro"),
    ],
)
def test_services_named_in_english(text: str, service_id: str) -> None:
    reading = read_message(CATALOG, text, Draft(), TODAY)
    assert reading.service == service_id and reading.service_choices == ()


def test_two_services_in_doubt_are_asked_back_in_english() -> None:
    reading = read_message(CATALOG, "I'm not sure if it's entry or pro", Draft(), TODAY)
    assert reading.service is None and reading.service_choices == ("ds-entry", "ds-pro")


def test_a_move_from_one_service_to_another_is_no_choice() -> None:
    reading = read_message(CATALOG, "can I move from entry to enterprise?", PRO, TODAY)
    assert reading.service is None and reading.service_choices == ()


def after(messages: list[str], draft: Draft = PRO) -> dict[str, int]:
    for message in messages:
        reading = read_message(CATALOG, message, draft, TODAY)
        draft = apply_edits(CATALOG, draft, reading.edits, reading.service, reading.expiry).draft
    return draft.counts


@pytest.mark.parametrize(
    ("messages", "counts"),
    [
        (["how much to add 16 GB of RAM?"], {"ram-16": 1}),
        (["two 960 GB SSDs"], {"ssd-960": 2}),
        (["2 more 960 GB SSDs"], {"ssd-960": 2}),
        (["a dedicated firewall and 3 more IPs"], {"firewall": 1, "ip-extra": 3}),
        (["a second IP"], {"ip-extra": 1}),
        # counts said apart from the item
        (["4 IPs and a firewall", "the IPs are 3, not 4"], {"ip-extra": 3, "firewall": 1}),
        (["2 IPs", "in total 3 IPs"], {"ip-extra": 3}),
        (["2 IPs", "in total 3"], {"ip-extra": 3}),
        (["2 IPs", "make it 4 IPs altogether"], {"ip-extra": 4}),
        (["4 IPs", "just one"], {"ip-extra": 1}),
        (["4 IPs", "only one"], {"ip-extra": 1}),
        (["4 IPs", "one is enough"], {"ip-extra": 1}),
        (["an IP", "set the IPs to 3"], {"ip-extra": 3}),
        (["an IP", "make it two"], {"ip-extra": 2}),
        (["an IP", "I'll take 3"], {"ip-extra": 3}),
        (["an IP", "another one"], {"ip-extra": 2}),
        (["an IP", "one more"], {"ip-extra": 2}),
        (["an IP", "one more IP"], {"ip-extra": 2}),
        (["an IP", "an extra IP"], {"ip-extra": 2}),
        # removals
        (["RAID and Plesk", "remove the RAID"], {"plesk": 1}),
        (["500 GB backup and firewall", "drop the backup"], {"firewall": 1}),
        (["firewall and Plesk", "without firewall"], {"plesk": 1}),
        (["Windows and Plesk", "no Windows"], {"plesk": 1}),
        (["100 GB backup and Plesk", "I don't want the backup anymore"], {"plesk": 1}),
        (["2 IPs and Plesk", "take off the IP"], {"plesk": 1}),
        (["2 IPs and Plesk", "take away the IP"], {"plesk": 1}),
        (["2 IPs and Plesk", "take the IPs out"], {"plesk": 1}),
        (["RAID and Plesk", "the RAID is not needed"], {"plesk": 1}),
        (["firewall and Windows", "the Windows license isn't needed, delete it"], {"firewall": 1}),
        (["RAID and Plesk", "remove the RAID and Plesk"], {}),
        (["RAID and Plesk", "remove the RAID and add 2 IPs"], {"plesk": 1, "ip-extra": 2}),
        # corrections
        (["16 GB RAM", "actually make it 32 GB instead"], {"ram-32": 1}),
        (["16 GB RAM", "sorry, I meant 64 GB"], {"ram-64": 1}),
        (["RAM 16", "actually 64"], {"ram-64": 1}),
        (["500 GB backup", "instead of the 500 GB backup, the 100 GB one"], {"backup-100": 1}),
        (["500 GB backup", "100 backup instead of the 500 one"], {"backup-100": 1}),
        (["480 SSD", "replace the 480 SSD with the 960 SSD"], {"ssd-960": 1}),
        (["16 GB RAM", "put the 64 one instead of the 16GB RAM"], {"ram-64": 1}),
    ],
)
def test_what_an_english_message_does_to_the_draft(
    messages: list[str], counts: dict[str, int]
) -> None:
    assert after(messages) == counts


@pytest.mark.parametrize(
    ("message", "counts"),
    [
        ("half an amp", {"power-05a": 1}),
        ("0.5 A power pack", {"power-05a": 1}),
        ("an extra half ampere", {"power-05a": 1}),
        ("1 amp power package", {"power-1a": 1}),
        ("the 1U housing, half an amp", {"power-05a": 1}),  # 1U is the housing's, not amps
    ],
)
def test_power_packs_named_in_english(message: str, counts: dict[str, int]) -> None:
    assert after([message], HOUSING) == counts


def test_a_ram_total_in_english_adds_the_difference() -> None:
    # the Pro has 32 GB: 64 GB in total is one RAM +32 GB
    assert after(["I'd like to get to 64 GB of RAM in total"]) == {"ram-32": 1}
    assert after(["from 32 to 64 GB of RAM"]) == {"ram-32": 1}


def test_an_offered_choice_answered_in_english() -> None:
    disks = ("ssd-480", "ssd-960", "hdd-2tb", "nvme-1tb")
    for text, picked in [("the cheapest one", "ssd-480"), ("the biggest one", "nvme-1tb")]:
        reading = read_message(CATALOG, text, PRO, TODAY, choosing=disks)
        assert [(e.op, e.candidates) for e in reading.edits] == [(Op.ADD, (picked,))]


@pytest.mark.parametrize(
    "message", ["start over", "let's start again", "from scratch, please", "restart"]
)
def test_restart_in_english(message: str) -> None:
    assert read_message(CATALOG, message, PRO, TODAY).restart


@pytest.mark.parametrize(
    "message",
    ["show me the options again", "list them", "what can I add?", "what are the options?"],
)
def test_the_options_again_in_english(message: str) -> None:
    reading = read_message(CATALOG, message, PRO, TODAY)
    assert reading.show_options and not reading.restart


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("actually, 64 GB", True),
        ("sorry, I meant 32", True),
        ("my mistake, it's a Pro", True),
        ("32 GB instead", True),
        ("and an IP too", False),
        ("nobody", False),
    ],
)
def test_english_corrections_are_recognised(text: str, expected: bool) -> None:
    assert is_correction(text) is expected


@pytest.mark.parametrize("message", ["the 28th", "on the 28th", "28th"])
def test_a_bare_english_day_completes_the_month_given_before(message: str) -> None:
    reading = read_message(CATALOG, message, PRO, TODAY, month_hint=date(2027, 2, 1))
    assert reading.expiry == date(2027, 2, 28)


@pytest.mark.parametrize(
    "message", ["what if there were only 10 days left?", "let's say 20 days are left, what then?"]
)
def test_an_imagined_english_date_is_not_the_expiry(message: str) -> None:
    assert read_message(CATALOG, message, PRO, TODAY).expiry is None


def test_an_english_if_with_a_real_date_gives_the_expiry() -> None:
    text = "how much is a Plesk license if the server expires in 10 days?"
    assert read_message(CATALOG, text, PRO, TODAY).expiry == date(2026, 12, 6)
