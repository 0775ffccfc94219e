"""The next payment is the first installment due from the day on, never an overdue one."""

from datetime import date
from decimal import Decimal

from crm.lending.installments import InstallmentState, next_due

ROWS = [
    InstallmentState(1, date(2026, 1, 10), Decimal("100.00"), Decimal("10.00")),
    InstallmentState(2, date(2026, 2, 10), Decimal("100.00"), Decimal("10.00")),
    InstallmentState(3, date(2026, 3, 10), Decimal("100.00"), Decimal("9.00")),
]


def test_an_installment_due_on_the_day_is_the_next_payment():
    assert next_due(ROWS, date(2026, 2, 1)).number == 2
    assert next_due(ROWS, date(2026, 2, 10)).number == 2


def test_an_overdue_installment_is_not_the_next_payment():
    assert next_due(ROWS, date(2026, 2, 11)).number == 3


def test_a_paid_installment_is_skipped_and_after_the_term_there_is_none():
    paid = InstallmentState(
        2,
        date(2026, 2, 10),
        Decimal("100.00"),
        Decimal("10.00"),
        Decimal("100.00"),
        Decimal("10.00"),
    )
    assert next_due([ROWS[0], paid, ROWS[2]], date(2026, 2, 1)).number == 3
    assert next_due(ROWS, date(2026, 3, 11)) is None
