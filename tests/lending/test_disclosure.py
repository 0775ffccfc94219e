from datetime import date
from decimal import Decimal

import pytest

from crm.lending.disclosure import CashFlow, aprc_percent, disclose
from crm.lending.schedule import build_schedule


def quote(amount, rate, term, method):
    loan = build_schedule(Decimal(amount), Decimal(rate), term, method, date(2026, 1, 15))
    return disclose(loan)


def test_aprc_of_10000_at_12_percent_annuity_is_12_68():
    assert quote(10000, 12, 12, "annuity").apr_percent == Decimal("12.68")


@pytest.mark.parametrize(
    ("amount", "term", "method", "interest", "payable"),
    [
        (10000, 12, "annuity", "661.86", "10661.86"),
        (10000, 12, "differentiated", "650.00", "10650.00"),
        (5000, 18, "annuity", "488.41", "5488.41"),
        (5000, 18, "differentiated", "475.00", "5475.00"),
    ],
)
def test_reference_cases_disclose_totals_and_aprc(amount, term, method, interest, payable):
    disclosure = quote(amount, 12, term, method)
    assert disclosure.total_principal == Decimal(amount)
    assert disclosure.total_interest == Decimal(interest)
    assert disclosure.total_payable == Decimal(payable)
    # With no fees, monthly compounding of 1 % gives 1.01^12 − 1 = 12.68 % whatever the method.
    assert disclosure.apr_percent == Decimal("12.68")


def test_zero_rate_loan_has_zero_aprc():
    disclosure = quote(1000, 0, 7, "annuity")
    assert disclosure.apr_percent == Decimal("0.00")
    assert str(disclosure.apr_percent) == "0.00"


@pytest.mark.parametrize(
    ("payments", "expected"),
    [
        ([CashFlow(12, Decimal(1100))], "10.00"),
        ([CashFlow(1, Decimal(1010))], "12.68"),
        ([CashFlow(24, Decimal(1210))], "10.00"),
        ([CashFlow(12, Decimal(900))], "-10.00"),
        ([CashFlow(6, Decimal(500)), CashFlow(12, Decimal(500))], "0.00"),
    ],
)
def test_aprc_solves_the_present_value_equation(payments, expected):
    assert aprc_percent([CashFlow(0, Decimal(1000))], payments) == Decimal(expected)


def test_fee_taken_at_disbursement_raises_the_aprc():
    loan = build_schedule(Decimal(10000), Decimal(12), 12, "annuity", date(2026, 1, 15))
    payments = [CashFlow(row.number, row.payment) for row in loan.rows]
    with_fee = aprc_percent([CashFlow(0, Decimal(9900))], payments)
    assert with_fee > Decimal("12.68")


def test_aprc_at_the_highest_rate_and_longest_term():
    assert quote(10000, 200, 360, "annuity").apr_percent == Decimal("535.86")


@pytest.mark.parametrize(
    ("advances", "payments", "message"),
    [
        ([], [CashFlow(1, Decimal(1))], "at least one"),
        ([CashFlow(0, Decimal(1))], [], "at least one"),
        ([CashFlow(0, Decimal(-1))], [CashFlow(1, Decimal(1))], "0 or more"),
        ([CashFlow(2, Decimal(1))], [CashFlow(1, Decimal(1))], "before the payments"),
        ([CashFlow(0, Decimal(1))], [CashFlow(1, Decimal(0))], "no rate"),
    ],
)
def test_aprc_refuses_cash_flows_it_cannot_price(advances, payments, message):
    with pytest.raises(ValueError, match=message):
        aprc_percent(advances, payments)


def test_aprc_refuses_float_amounts():
    with pytest.raises(TypeError):
        aprc_percent([CashFlow(0, Decimal(1000))], [CashFlow(1, 1010.0)])
