"""Reading a customer's message into edits of the draft: sizes, counts, removals, services."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actions.domain.catalog import default_catalog
from actions.domain.draft import Draft, Op, apply_edits
from actions.domain.message_reading import read_message

CATALOG = default_catalog()
TODAY = date(2026, 11, 27)
PRO = Draft(service="ds-pro")


def after(messages: list[str], draft: Draft = PRO) -> Draft:
    for message in messages:
        reading = read_message(CATALOG, message, draft, TODAY)
        draft = apply_edits(CATALOG, draft, reading.edits, reading.service, reading.expiry).draft
    return draft


@pytest.mark.parametrize(
    ("messages", "counts"),
    [
        (["quanto costa aggiungere 16 GB di RAM?"], {"ram-16": 1}),
        (["2 ssd 960"], {"ssd-960": 2}),
        (["un firewall dedicato e 3 indirizzi ip in più"], {"firewall": 1, "ip-extra": 3}),
        (["metterlo in raid, quanto costa il controller raid?"], {"raid-hw": 1}),
        (["4 ip e un firewall", "gli ip sono 3, non 4"], {"ip-extra": 3, "firewall": 1}),
        (["2 ip", "in totale 3 ip"], {"ip-extra": 3}),
        (["4 ip", "ne bastano 2"], {"ip-extra": 2}),
        (["raid e plesk", "togli il raid"], {"plesk": 1}),
        (["raid e plesk", "il raid non lo voglio"], {"plesk": 1}),
        (["backup da 500 e firewall", "rifammi il conto senza il backup"], {"firewall": 1}),
        (["backup da 500 gb", "backup 100gb al posto del 500"], {"backup-100": 1}),
        (["ram da 16", "il banco da 32 invece di quello da 16"], {"ram-32": 1}),
        (["ram da 16", "anzi 64"], {"ram-64": 1}),
        # a "no" that takes back what was said, not one that refuses the item after it
        (["32gb di ram", "anzi no, meglio 64gb di ram"], {"ram-64": 1}),
        (["ssd 960 e 16gb di ram", "anzi no, un ssd solo"], {"ssd-960": 1, "ram-16": 1}),
        (["ssd 960 e 16gb di ram", "ah no, un ssd solo"], {"ssd-960": 1, "ram-16": 1}),
        (["32gb of ram", "no sorry, 64gb of ram"], {"ram-64": 1}),
        (["raid e plesk", "no raid"], {"plesk": 1}),
        (["raid e plesk", "no, il raid toglilo"], {"plesk": 1}),
        (["2 ram da 16", "la ram da 16 ne voglio una sola"], {"ram-16": 1}),
        (["un ip", "e se ne metto 3 invece?"], {"ip-extra": 3}),
        (["plesk"], {"plesk": 1}),
    ],
)
def test_what_a_message_does_to_the_draft(messages: list[str], counts: dict[str, int]) -> None:
    assert after(messages).counts == counts


def test_a_ram_total_counts_from_the_service_named_in_the_same_message() -> None:
    # the Pro has 32 GB of its own: reaching 64 takes one 32 GB module
    assert after(["ciao, pro, vorrei passare a 64gb di ram"], Draft()).counts == {"ram-32": 1}
    entry = after(["entry, vorrei passare a 64gb di ram"], Draft())
    assert entry.counts == {"ram-32": 1, "ram-16": 1}


def test_naming_an_item_already_chosen_does_not_add_another() -> None:
    assert after(["ssd da 960", "ssd da 960"]).counts == {"ssd-960": 1}


def test_a_word_that_only_looks_like_a_keyword_names_nothing() -> None:
    reading = read_message(CATALOG, "vorrei potenziare il server", PRO, TODAY)
    assert reading.edits == ()


def test_two_services_in_doubt_are_asked_back_not_guessed() -> None:
    reading = read_message(CATALOG, "boh, non so se è entry o pro", Draft(), TODAY)
    assert reading.service is None and reading.service_choices == ("ds-entry", "ds-pro")


def test_a_denied_service_gives_way_to_the_other() -> None:
    reading = read_message(CATALOG, "non è un entry, è un pro", Draft(), TODAY)
    assert reading.service == "ds-pro"


def test_a_bare_day_completes_the_month_given_before() -> None:
    reading = read_message(CATALOG, "28", PRO, TODAY, month_hint=date(2027, 2, 1))
    assert reading.expiry == date(2027, 2, 28)


def test_an_offered_choice_answered_by_its_figure_adds_one() -> None:
    draft = Draft(service="ds-enterprise", addons=("ssd-960",))
    disks = ("ssd-480", "ssd-960", "hdd-2tb", "nvme-1tb")
    reading = read_message(CATALOG, "quello da 960", draft, TODAY, choosing=disks)
    assert [(edit.op, edit.candidates) for edit in reading.edits] == [(Op.ADD, ("ssd-960",))]


SIZED = sorted(
    (addon for addon in CATALOG.addons.values() if addon.naming.size and addon.naming.unit),
    key=lambda addon: addon.id,
)
UNIT_WORDS = {"gb": "GB", "tb": "TB", "gbit": "Gbit", "a": "A"}


@given(st.sampled_from(SIZED), st.sampled_from(["vorrei {} di {}", "{} di {} in più", "+{} {}"]))
def test_a_size_never_becomes_a_count(addon, template: str) -> None:  # type: ignore[no-untyped-def]
    size = f"{addon.naming.size.normalize():f}".replace(".", ",")
    text = template.format(f"{size} {UNIT_WORDS[addon.naming.unit]}", addon.naming.keywords[0])
    draft = Draft(service="ds-enterprise" if addon.only_for != "housing" else "housing-4u")
    reading = read_message(CATALOG, text, draft, TODAY)
    assert reading.refused == ()
    assert [(edit.op, edit.candidates, edit.quantity) for edit in reading.edits] == [
        (Op.ADD, (addon.id,), 1)
    ]


@pytest.mark.parametrize(
    "message",
    [
        "e se lo avessi fatto a 2 settimane dalla scadenza?",
        "se mancassero 10 giorni quanto pagherei?",
    ],
)
def test_an_imagined_date_is_not_the_expiry(message: str) -> None:
    assert read_message(CATALOG, message, PRO, TODAY).expiry is None


@pytest.mark.parametrize(
    "message", ["se scade tra 20 giorni quanto pago?", "se servono 2 ip fissi, scade tra 20 giorni"]
)
def test_an_if_with_a_real_date_gives_the_expiry(message: str) -> None:
    assert read_message(CATALOG, message, PRO, TODAY).expiry == date(2026, 12, 17)


def test_a_move_between_two_services_is_no_choice_of_service() -> None:
    text = "posso passare da entry a enterprise con un upgrade?"
    reading = read_message(CATALOG, text, PRO, TODAY)
    assert reading.service is None and reading.service_choices == ()
