"""The quote draft as pure code: edits add, remove, set counts, change the service."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from actions.domain.catalog import default_catalog
from actions.domain.draft import ChangeKind, Draft, ItemEdit, Op, apply_edits

CATALOG = default_catalog()
ADDONS = sorted(CATALOG.addons)
# A connectivity is not added but replaces the one held: removing it cannot bring that back.
ADDED = sorted(a.id for a in CATALOG.addons.values() if a.category.value != "connectivity")


def test_adding_then_setting_a_count_sets_it() -> None:
    draft = apply_edits(CATALOG, Draft(service="ds-pro"), [ItemEdit(Op.ADD, ("ip-extra",), 4)])
    applied = apply_edits(CATALOG, draft.draft, [ItemEdit(Op.SET, ("ip-extra",), 2)])
    assert applied.draft.counts == {"ip-extra": 2}
    assert [change.kind for change in applied.changes] == [ChangeKind.COUNT]


def test_removing_a_family_removes_whichever_the_draft_holds() -> None:
    draft = Draft(service="ds-pro", addons=("backup-500", "firewall"))
    applied = apply_edits(CATALOG, draft, [ItemEdit(Op.REMOVE, ("backup-100", "backup-500"))])
    assert applied.draft.addons == ("firewall",)
    assert applied.changes[0].kind is ChangeKind.REMOVED


def test_a_new_service_keeps_what_fits_and_says_what_it_dropped() -> None:
    draft = Draft(service="ds-entry", addons=("ram-16", "backup-100"), expiry=date(2027, 3, 1))
    applied = apply_edits(CATALOG, draft, [], service="housing-1u")
    assert applied.draft.addons == ("backup-100",)
    assert applied.draft.expiry == date(2027, 3, 1)
    (dropped,) = applied.changes
    assert dropped.kind is ChangeKind.DROPPED and dropped.addon.id == "ram-16"


def test_more_than_fits_is_kept_to_what_fits_and_explained() -> None:
    applied = apply_edits(CATALOG, Draft(service="ds-entry"), [ItemEdit(Op.ADD, ("ssd-480",), 2)])
    assert applied.draft.counts == {"ssd-480": 1}
    assert [problem.addon.id for problem in applied.problems] == ["ssd-480"]


def test_a_family_without_a_size_asks_which_one() -> None:
    disks = ("ssd-480", "ssd-960", "hdd-2tb", "nvme-1tb")
    applied = apply_edits(CATALOG, Draft(service="ds-pro"), [ItemEdit(Op.ADD, disks)])
    assert applied.choices == disks and applied.draft.addons == ()


def test_one_connectivity_replaces_the_other() -> None:
    draft = Draft(service="ds-pro", addons=("net-1g",))
    applied = apply_edits(CATALOG, draft, [ItemEdit(Op.ADD, ("net-10g",))])
    assert applied.draft.addons == ("net-10g",)


def test_the_draft_round_trips_through_its_slots() -> None:
    draft = Draft("ds-pro", ("ram-16", "ip-extra", "ip-extra"), date(2027, 1, 6), "ip-extra")
    assert Draft.from_slots(draft.to_slots()) == draft


@given(
    st.lists(st.sampled_from(ADDONS), max_size=4),
    st.sampled_from(ADDED),
    st.integers(min_value=1, max_value=3),
)
def test_adding_then_removing_an_item_leaves_the_draft_as_it_was(
    held: list[str], addon: str, count: int
) -> None:
    # Enterprise takes the most; the draft starts from what it really holds.
    start = apply_edits(CATALOG, Draft(service="ds-enterprise"), [
        ItemEdit(Op.ADD, (item,)) for item in held if item != addon
    ]).draft
    added = apply_edits(CATALOG, start, [ItemEdit(Op.ADD, (addon,), count)]).draft
    removed = apply_edits(CATALOG, added, [ItemEdit(Op.REMOVE, (addon,))]).draft
    assert removed.counts == start.counts
    assert removed.service == start.service and removed.expiry == start.expiry
