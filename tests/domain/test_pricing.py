from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actions.domain.catalog import default_catalog
from actions.domain.expiry import days_to_expiry
from actions.domain.money import format_eur
from actions.domain.pricing import (
    IncompatibleAddonsError,
    NoAddonsError,
    PricingRule,
    ServiceExpiredError,
    quote_upgrade,
)
from actions.replies import rule_sentence

CATALOG = default_catalog()


@pytest.mark.parametrize(
    ("days", "fees"),
    [
        (40, 1),  # the guide's first example: 1,3 months → 1 fee
        (80, 3),  # the guide's second example: 2,6 months → 3 fees
        (0, 0),
        (14, 0),
        (15, 1),
        (30, 1),
        (31, 1),
        (45, 1),
        (46, 2),
        (76, 2),
        (77, 3),
        (365, 12),
    ],
)
def test_fees_at_the_guide_examples_and_every_boundary(days: int, fees: int) -> None:
    assert quote_upgrade(CATALOG, "ds-entry", ["ram-16"], days).fees == fees


@pytest.mark.parametrize(
    ("days", "rule"),
    [
        (0, PricingRule.RENEW_NOW),
        (14, PricingRule.RENEW_NOW),
        (15, PricingRule.LAST_MONTH),
        (30, PricingRule.LAST_MONTH),
        (31, PricingRule.MONTHS_LEFT),
    ],
)
def test_rule_changes_at_15_and_31_days(days: int, rule: PricingRule) -> None:
    assert quote_upgrade(CATALOG, "ds-entry", ["ram-16"], days).rule is rule


@pytest.mark.parametrize("days", [-1, -30])
def test_an_expired_service_gets_no_quote(days: int) -> None:
    with pytest.raises(ServiceExpiredError) as raised:
        quote_upgrade(CATALOG, "ds-entry", ["ram-16"], days)
    assert raised.value.days_overdue == -days


def test_80_days_on_two_addons_sums_them_and_adds_vat() -> None:
    quote = quote_upgrade(CATALOG, "ds-pro", ["ram-32", "ssd-960"], 80)
    assert quote.fees == 3
    assert quote.upgrade_monthly == Decimal("33.00")
    assert quote.price.net == Decimal("99.00")
    assert quote.price.vat == Decimal("21.78")
    assert quote.price.total == Decimal("120.78")
    assert not quote.renewal_required
    assert rule_sentence(quote).startswith("80 giorni ≈ 2,6 mesi → 3 mensilità")


def test_under_15_days_the_upgrade_is_free_but_renewal_is_required() -> None:
    quote = quote_upgrade(CATALOG, "ds-entry", ["ram-16"], 10)
    assert quote.price.total == Decimal("0.00")
    assert quote.renewal_required
    assert quote.renewal_monthly.net == Decimal("59.00")  # 49 service + 10 RAM
    assert quote.renewal_monthly.total == Decimal("71.98")
    assert quote.renewal(12).net == Decimal("708.00")
    assert quote.renewal(12).total == Decimal("863.76")
    assert "rinnovato subito" in rule_sentence(quote)


def test_only_the_offered_renewal_lengths_can_be_priced() -> None:
    quote = quote_upgrade(CATALOG, "ds-entry", ["ram-16"], 10)
    assert [quote.renewal(months).net for months in (1, 3, 6, 24)] == [
        Decimal("59.00"),
        Decimal("177.00"),
        Decimal("354.00"),
        Decimal("1416.00"),
    ]
    with pytest.raises(ValueError, match="durata di rinnovo"):
        quote.renewal(5)


def test_last_month_costs_one_fee_without_renewal() -> None:
    quote = quote_upgrade(CATALOG, "housing-4u", ["power-1a", "ip-extra"], 20)
    assert (quote.fees, quote.price.net, quote.renewal_required) == (1, Decimal("37.00"), False)


@pytest.mark.parametrize("days", range(31, 800))
def test_the_months_shown_never_look_like_a_tie_or_round_the_wrong_way(days: int) -> None:
    quote = quote_upgrade(CATALOG, "ds-pro", ["ip-extra"], days)
    shown = Decimal(rule_sentence(quote).split("≈ ")[1].split(" mesi")[0].replace(",", "."))
    assert shown % 1 != Decimal("0.5")
    # what is shown rounds (half up) to the fees charged
    assert int(shown.quantize(Decimal(1), rounding=ROUND_HALF_UP)) == quote.fees


@pytest.mark.parametrize(
    ("days", "shown"),
    [(76, "2,499 mesi → 2 mensilità"), (45, "1,48 mesi → 1 mensilità"),
     (46, "1,51 mesi → 2 mensilità"), (40, "1,3 mesi → 1 mensilità")],
)
def test_explanation_never_shows_a_misleading_half_month(days: int, shown: str) -> None:
    # 76 days are 2,4986 months: rounded to one decimal it would read "2,5 → 2"; 45 days
    # are 1,479: "1,48", not "1,47" cut.
    assert shown in rule_sentence(quote_upgrade(CATALOG, "ds-pro", ["ip-extra"], days))


def test_vat_is_rounded_to_the_cent_half_up() -> None:
    # 3 fees of 2,00 € → 6,00 €; VAT 1,32 €. One fee of 9,00 €: VAT 1,98 €.
    assert quote_upgrade(CATALOG, "ds-pro", ["ip-extra"], 80).price.vat == Decimal("1.32")
    assert quote_upgrade(CATALOG, "ds-pro", ["ssd-480"], 20).price.vat == Decimal("1.98")


def test_italian_money_format() -> None:
    quote = quote_upgrade(CATALOG, "ds-enterprise", ["net-10g", "ram-64"], 365)
    assert format_eur(quote.price.net) == "2.184,00 €"
    assert format_eur(quote.price.total) == "2.664,48 €"


def test_days_are_counted_in_rome_near_midnight() -> None:
    # 23:30 UTC on 31 January is already 1 February in Rome: 14 days to 15 February, not 15.
    late_evening_utc = datetime(2027, 1, 31, 23, 30, tzinfo=timezone.utc)
    days = days_to_expiry(date(2027, 2, 15), late_evening_utc)
    quote = quote_upgrade(CATALOG, "ds-entry", ["ram-16"], days)
    assert quote.days_to_expiry == 14
    assert quote.rule is PricingRule.RENEW_NOW


def test_a_quote_needs_an_addon() -> None:
    with pytest.raises(NoAddonsError):
        quote_upgrade(CATALOG, "ds-entry", [], 40)


def test_an_incompatible_request_gets_no_price() -> None:
    with pytest.raises(IncompatibleAddonsError) as raised:
        quote_upgrade(CATALOG, "housing-1u", ["ram-16", "ip-extra"], 40)
    assert [problem.addon.id for problem in raised.value.problems] == ["ram-16"]


@given(st.integers(min_value=0, max_value=3650), st.integers(min_value=0, max_value=3650))
def test_fees_never_decrease_as_days_grow(first: int, second: int) -> None:
    shorter, longer = sorted((first, second))
    fees = [quote_upgrade(CATALOG, "ds-entry", ["ram-16"], days).fees for days in (shorter, longer)]
    assert fees[0] <= fees[1]


@given(st.integers(min_value=0, max_value=3650))
def test_total_is_net_plus_22_percent_vat(days: int) -> None:
    price = quote_upgrade(CATALOG, "ds-pro", ["firewall", "backup-500"], days).price
    assert price.total == price.net + price.vat
    assert abs(price.vat - price.net * Decimal("0.22")) <= Decimal("0.005")
