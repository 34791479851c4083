"""Money and numbers shown the Italian way: `1.234,56 €`, `2,6`."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_currency, format_decimal

CENT = Decimal("0.01")


def to_cents(amount: Decimal) -> Decimal:
    """Round half up to the cent, as an invoice does."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def format_eur(amount: Decimal) -> str:
    """`Decimal("1234.5")` → `"1.234,50 €"` (plain space: chat channels and tests stay simple)."""
    text = format_currency(to_cents(amount), "EUR", locale="it_IT")
    return text.replace("\xa0", " ")


def format_number(value: Decimal) -> str:
    """Italian decimal comma, as many decimals as `value` carries: `Decimal("2.6")` → `"2,6"`."""
    digits = max(0, -int(value.as_tuple().exponent))
    return format_decimal(
        value, format=f"#,##0.{'0' * digits}" if digits else "#,##0", locale="it_IT"
    )
