from decimal import Decimal

import pytest

from crm.lending.money import is_cents, round_money, to_money


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.005", "0.01"),
        ("0.015", "0.02"),
        ("0.025", "0.03"),
        ("2.344", "2.34"),
        ("-2.345", "-2.35"),
        ("10", "10.00"),
    ],
)
def test_round_money_rounds_half_up_to_the_cent(value, expected):
    rounded = round_money(Decimal(value))
    assert rounded == Decimal(expected)
    assert rounded.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("value", "expected"),
    [(Decimal("12.345"), "12.35"), (12, "12.00"), (" 1234.5 ", "1234.50"), ("1e3", "1000.00")],
)
def test_to_money_takes_decimal_int_and_text(value, expected):
    assert to_money(value) == Decimal(expected)
    assert to_money(value).as_tuple().exponent == -2


@pytest.mark.parametrize("value", [0.1, 1.0, True, None, [1]])
def test_to_money_refuses_floats_and_other_types(value):
    with pytest.raises(TypeError):
        to_money(value)


@pytest.mark.parametrize("value", ["", "abc", "1,000", "NaN", "Infinity", Decimal("-Infinity")])
def test_to_money_refuses_what_is_not_an_amount(value):
    with pytest.raises(ValueError, match="not an amount"):
        to_money(value)


def test_is_cents_tells_whole_cents_from_fractions():
    assert is_cents(Decimal("12.30"))
    assert is_cents(Decimal("12.300"))
    assert is_cents(Decimal("12"))
    assert not is_cents(Decimal("12.305"))
    assert not is_cents(Decimal("NaN"))
