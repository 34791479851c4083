"""Money and numbers as a customer reads them: `1.234,56 €`, `2,6` in Italian, `€1,234.56`,
`2.6` in English."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_currency, format_decimal, format_percent

from .language import DEFAULT, Language

CENT = Decimal("0.01")
LOCALES = {Language.ITALIAN: "it_IT", Language.ENGLISH: "en_GB"}


def to_cents(amount: Decimal) -> Decimal:
    """Round half up to the cent, as an invoice does."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def format_eur(amount: Decimal, language: Language = DEFAULT) -> str:
    """`Decimal("1234.5")` → `"1.234,50 €"`, `"€1,234.50"` (plain space: chat channels and
    tests stay simple)."""
    text = format_currency(to_cents(amount), "EUR", locale=LOCALES[language])
    return text.replace("\xa0", " ")


def format_number(value: Decimal, language: Language = DEFAULT) -> str:
    """As many decimals as `value` carries: `Decimal("2.6")` → `"2,6"`, `"2.6"`."""
    digits = max(0, -int(value.as_tuple().exponent))
    return format_decimal(
        value, format=f"#,##0.{'0' * digits}" if digits else "#,##0", locale=LOCALES[language]
    )


def format_rate(rate: Decimal, language: Language = DEFAULT) -> str:
    """`Decimal("0.22")` → `"22%"`."""
    return format_percent(rate, locale=LOCALES[language]).replace("\xa0", "")
