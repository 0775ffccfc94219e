from datetime import date
from decimal import Decimal

import pytest

from crm.lending.schedule import (
    RepaymentMethod,
    add_months,
    annuity_payment,
    build_schedule,
    due_date,
)

START = date(2026, 1, 15)


def schedule(amount, term, method, rate="12", start=START):
    return build_schedule(Decimal(amount), Decimal(rate), term, method, start)


def figures(row):
    return row.payment, row.principal, row.interest


# The four reference cases: figures worked out by hand from the conventions in
# crm/lending/schedule.py, which every schedule the CRM writes must reproduce to the cent.


def test_annuity_10000_at_12_percent_for_12_months():
    loan = schedule("10000", 12, "annuity")
    assert annuity_payment(Decimal("10000"), Decimal("12"), 12) == Decimal("888.49")
    assert figures(loan.rows[0]) == (Decimal("888.49"), Decimal("788.49"), Decimal("100.00"))
    assert figures(loan.rows[-1]) == (Decimal("888.47"), Decimal("879.67"), Decimal("8.80"))
    assert all(row.payment == Decimal("888.49") for row in loan.rows[:-1])
    assert loan.total_interest == Decimal("661.86")
    assert loan.total_principal == Decimal("10000.00")


def test_differentiated_10000_at_12_percent_for_12_months():
    loan = schedule("10000", 12, "differentiated")
    assert figures(loan.rows[0]) == (Decimal("933.33"), Decimal("833.33"), Decimal("100.00"))
    assert figures(loan.rows[-1]) == (Decimal("841.70"), Decimal("833.37"), Decimal("8.33"))
    assert loan.total_interest == Decimal("650.00")


def test_annuity_5000_at_12_percent_for_18_months():
    loan = schedule("5000", 18, "annuity")
    assert annuity_payment(Decimal("5000"), Decimal("12"), 18) == Decimal("304.91")
    assert loan.rows[0].payment == Decimal("304.91")
    assert figures(loan.rows[-1]) == (Decimal("304.94"), Decimal("301.92"), Decimal("3.02"))
    assert loan.total_interest == Decimal("488.41")


def test_differentiated_5000_at_12_percent_for_18_months():
    loan = schedule("5000", 18, "differentiated")
    assert [row.principal for row in loan.rows[:-1]] == [Decimal("277.78")] * 17
    assert loan.rows[-1].principal == Decimal("277.74")
    assert loan.rows[0].payment == Decimal("327.78")
    assert loan.rows[-1].payment == Decimal("280.52")
    assert loan.total_interest == Decimal("475.00")


def test_rows_carry_number_due_date_and_remaining_balance():
    loan = schedule("10000", 12, "annuity")
    first, second = loan.rows[:2]
    assert (first.number, first.due_date, first.balance) == (
        1,
        date(2026, 2, 15),
        Decimal("9211.51"),
    )
    assert (second.number, second.due_date, second.balance) == (
        2,
        date(2026, 3, 15),
        Decimal("8415.14"),
    )
    assert loan.rows[-1].balance == Decimal("0.00")
    assert loan.total_payable == Decimal("10661.86")


def test_schedule_keeps_its_terms():
    loan = schedule("10000", 12, "differentiated")
    assert loan.method == "differentiated"
    assert (loan.amount, loan.annual_rate_percent, loan.term_months) == (
        Decimal("10000.00"),
        Decimal("12"),
        12,
    )
    assert loan.disbursed_on == START


# Due dates.


def test_due_dates_keep_the_31st_where_the_month_has_it():
    loan = schedule("1000", 5, "annuity", start=date(2026, 1, 31))
    assert [row.due_date for row in loan.rows] == [
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
        date(2026, 5, 31),
        date(2026, 6, 30),
    ]


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 1, 30), 1, date(2024, 2, 29)),
        (date(2024, 1, 29), 1, date(2024, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2024, 2, 29), 1, date(2024, 3, 29)),
        (date(2100, 1, 31), 1, date(2100, 2, 28)),
        (date(2000, 1, 31), 1, date(2000, 2, 29)),
        (date(2026, 12, 31), 1, date(2027, 1, 31)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 1, 15), 360, date(2056, 1, 15)),
    ],
)
def test_add_months_clamps_to_the_last_day_of_the_month(start, months, expected):
    assert add_months(start, months) == expected


def test_due_dates_are_counted_from_disbursement_not_chained():
    start = date(2026, 1, 30)
    assert due_date(start, 1) == date(2026, 2, 28)
    assert due_date(start, 2) == date(2026, 3, 30)


def test_add_months_past_year_9999_is_an_error():
    with pytest.raises(ValueError, match="out of range"):
        add_months(date(9999, 12, 1), 1)


# Zero rate.


@pytest.mark.parametrize("method", list(RepaymentMethod))
def test_zero_rate_charges_no_interest_and_splits_the_amount(method):
    loan = schedule("1000", 3, method, rate="0")
    assert [row.principal for row in loan.rows] == [
        Decimal("333.33"),
        Decimal("333.33"),
        Decimal("333.34"),
    ]
    assert loan.total_interest == Decimal("0.00")


def test_zero_rate_annuity_payment_is_the_amount_over_the_term():
    assert annuity_payment(Decimal("1200"), Decimal("0"), 12) == Decimal("100.00")


def test_one_month_loan_repays_everything_at_once():
    loan = schedule("1000", 1, "annuity")
    assert figures(loan.rows[0]) == (Decimal("1010.00"), Decimal("1000.00"), Decimal("10.00"))


def test_interest_on_an_exact_half_cent_rounds_up():
    # 6.00 at 1 % a year is 0.005 a month: a truncated monthly rate would round it down.
    loan = schedule("6.00", 2, "differentiated", rate="1")
    assert loan.rows[0].interest == Decimal("0.01")


def test_annuity_rounding_never_makes_a_row_negative():
    # The rounded payment repays 1 000 at 24 % over 30 years before the term ends:
    # the rows after that owe nothing rather than going below zero.
    loan = schedule("1000", 360, "annuity", rate="24")
    assert loan.total_principal == Decimal("1000.00")
    assert min(min(row.principal, row.interest, row.balance) for row in loan.rows) == 0
    assert loan.rows[-1].payment == Decimal("0.00")


def test_differentiated_principal_stops_at_the_balance_for_tiny_amounts():
    # round(100 / 360) = 0.28, and 359 × 0.28 would be more than the amount.
    loan = schedule("100", 360, "differentiated")
    assert loan.total_principal == Decimal("100.00")
    assert all(row.principal >= 0 for row in loan.rows)


# Inputs.


def test_method_may_be_the_enum_or_its_value():
    by_enum = schedule("10000", 12, RepaymentMethod.DIFFERENTIATED)
    assert by_enum == schedule("10000", 12, "differentiated")


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="unknown repayment method"):
        schedule("10000", 12, "balloon")


@pytest.mark.parametrize(
    ("amount", "rate", "term"),
    [(10000.0, Decimal(12), 12), (Decimal(10000), 12.0, 12), (Decimal(10000), Decimal(12), 12.0)],
)
def test_floats_are_refused(amount, rate, term):
    with pytest.raises(TypeError):
        build_schedule(amount, rate, term, "annuity", START)


@pytest.mark.parametrize(
    ("amount", "rate", "term", "message"),
    [
        ("0", "12", 12, "amount"),
        ("-100", "12", 12, "amount"),
        ("100.005", "12", 12, "amount"),
        ("100", "-1", 12, "annual_rate_percent"),
        ("100", "NaN", 12, "annual_rate_percent"),
        ("100", "12", 0, "term_months"),
    ],
)
def test_out_of_range_terms_are_refused(amount, rate, term, message):
    with pytest.raises(ValueError, match=message):
        build_schedule(Decimal(amount), Decimal(rate), term, "annuity", START)


def test_disbursement_must_be_a_date():
    with pytest.raises(TypeError):
        build_schedule(Decimal(100), Decimal(12), 12, "annuity", "2026-01-15")


def test_int_amount_and_rate_are_accepted():
    assert build_schedule(10000, 12, 12, "annuity", START) == schedule("10000", 12, "annuity")
