"""Money: Decimal amounts rounded to whole cents, half up."""

from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

#: The smallest unit of money: one cent (kopiyka).
CENT = Decimal("0.01")
#: The rounding rule of every money figure: to the cent, halves away from zero.
ROUNDING = ROUND_HALF_UP
ZERO = Decimal("0.00")

#: Arithmetic context for intermediate figures: far more digits than any amount needs,
#: so that only the explicit quantize to a cent ever rounds.
CONTEXT = Context(prec=50)


def round_money(value: Decimal) -> Decimal:
    """Round a Decimal to a whole number of cents, half up (2.345 → 2.35, -2.345 → -2.35)."""
    return value.quantize(CENT, rounding=ROUNDING, context=CONTEXT)


def to_money(value: Decimal | int | str) -> Decimal:
    """Convert an amount to Decimal rounded to cents, half up.

    Accepts Decimal, int or a numeric string ("1234.5"). Raises TypeError for float (binary
    fractions cannot hold cents exactly) and bool, and ValueError for text that is not a
    number or for NaN and infinities.
    """
    if isinstance(value, bool | float) or not isinstance(value, Decimal | int | str):
        raise TypeError(f"money must be Decimal, int or str, not {type(value).__name__}")
    try:
        number = Decimal(value.strip()) if isinstance(value, str) else Decimal(value)
    except InvalidOperation:
        raise ValueError(f"not an amount of money: {value!r}") from None
    if not number.is_finite():
        raise ValueError(f"not an amount of money: {value!r}")
    return round_money(number)


def is_cents(value: Decimal) -> bool:
    """True when the Decimal is a finite whole number of cents (12.30 and 12 are, 12.305 is not)."""
    return value.is_finite() and value == round_money(value)
