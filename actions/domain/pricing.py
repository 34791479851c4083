"""The upgrade-cost rules of the provider's guide, turned into a `Quote`.

D is the number of whole days from today (Europe/Rome) to the expiry date:
  D < 0        expired: no quote, the service must be renewed first;
  0 <= D < 15  the upgrade is free until expiry, but the service must be renewed now with it;
  15 <= D <= 30  one monthly fee of the upgrade, no renewal needed;
  D > 30       D * 12 / 365 months, rounded half up, monthly fees of the upgrade.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from enum import Enum

from .catalog import Addon, Catalog, Service
from .compatibility import Incompatibility, split_compatible
from .language import DEFAULT, Language
from .money import format_number, to_cents

RENEW_NOW_BELOW_DAYS = 15
LAST_MONTH_MAX_DAYS = 30
RENEWAL_MONTHS = (1, 3, 6, 12, 24)
_MONTHS_PER_DAY = Decimal(12) / Decimal(365)


class PricingRule(str, Enum):
    RENEW_NOW = "renew_now"
    LAST_MONTH = "last_month"
    MONTHS_LEFT = "months_left"


class ServiceExpiredError(ValueError):
    """The expiry date is past: an expired service is renewed, not upgraded."""

    def __init__(self, days_overdue: int) -> None:
        super().__init__(f"servizio scaduto da {days_overdue} giorni")
        self.days_overdue = days_overdue


class IncompatibleAddonsError(ValueError):
    """Some requested add-ons do not fit the service: reasons and alternatives, never a price."""

    def __init__(self, problems: Sequence[Incompatibility]) -> None:
        super().__init__("; ".join(f"{p.addon.id}: {p.why.value}" for p in problems))
        self.problems = tuple(problems)


class NoAddonsError(ValueError):
    """A quote needs at least one add-on."""


@dataclass(frozen=True)
class Price:
    net: Decimal
    vat: Decimal
    total: Decimal

    @classmethod
    def of(cls, net: Decimal, vat_rate: Decimal) -> Price:
        net = to_cents(net)
        vat = to_cents(net * vat_rate)
        return cls(net=net, vat=vat, total=net + vat)


def months_left(days: int) -> Decimal:
    """Days expressed in months, exact: the fee count rounds this, the explanation shows it."""
    return Decimal(days) * _MONTHS_PER_DAY


def rule_for_days(days: int) -> PricingRule:
    if days < 0:
        raise ServiceExpiredError(-days)
    if days < RENEW_NOW_BELOW_DAYS:
        return PricingRule.RENEW_NOW
    if days <= LAST_MONTH_MAX_DAYS:
        return PricingRule.LAST_MONTH
    return PricingRule.MONTHS_LEFT


def fees_for(rule: PricingRule, days: int) -> int:
    """How many monthly fees of the upgrade are due under `rule` with `days` left to expiry."""
    if rule is PricingRule.RENEW_NOW:
        return 0
    if rule is PricingRule.LAST_MONTH:
        return 1
    return int(months_left(days).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def months_in_words(days: int, language: Language = DEFAULT) -> str:
    """`2,6`: the fewest decimals (up to three) that do not read as a tie, rounded half up,
    so the shown figure never seems to round the wrong way (45 d → 1,48; 76 d → 2,498)."""
    months = months_left(days)
    for places in range(1, 4):
        shown = months.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if shown % 1 != Decimal("0.5"):
            break
    else:
        shown = months.quantize(Decimal("0.001"), rounding=ROUND_DOWN)
    return format_number(shown, language)


@dataclass(frozen=True)
class Quote:
    service: Service
    addons: tuple[Addon, ...]
    days_to_expiry: int
    rule: PricingRule
    fees: int
    upgrade_monthly: Decimal
    price: Price
    renewal_required: bool
    renewal_monthly: Price
    vat_rate: Decimal

    def renewal(self, months: int) -> Price:
        """The renewal of the service with the upgrade included, for `months` months."""
        if months not in RENEWAL_MONTHS:
            allowed = ", ".join(str(item) for item in RENEWAL_MONTHS)
            raise ValueError(f"durata di rinnovo non prevista: {months} (si può: {allowed})")
        return Price.of(self.renewal_monthly.net * months, self.vat_rate)


def quote_upgrade(catalog: Catalog, service_id: str, addon_ids: Sequence[str], days: int) -> Quote:
    """Price the add-ons (repeat an id to order it more than once) with `days` left to expiry."""
    service = catalog.service(service_id)
    requested = [catalog.addon(addon_id) for addon_id in addon_ids]
    if not requested:
        raise NoAddonsError("indica almeno un add-on")
    accepted, problems = split_compatible(catalog, service, requested)
    if problems:
        raise IncompatibleAddonsError(problems)
    rule = rule_for_days(days)  # worked out once, passed on
    fees = fees_for(rule, days)
    upgrade_monthly = sum((addon.monthly_fee for addon in accepted), Decimal("0"))
    return Quote(
        service=service,
        addons=tuple(accepted),
        days_to_expiry=days,
        rule=rule,
        fees=fees,
        upgrade_monthly=upgrade_monthly,
        price=Price.of(upgrade_monthly * fees, catalog.vat_rate),
        renewal_required=rule is PricingRule.RENEW_NOW,
        renewal_monthly=Price.of(service.monthly_fee + upgrade_monthly, catalog.vat_rate),
        vat_rate=catalog.vat_rate,
    )

