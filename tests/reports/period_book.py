"""A small lender's first months, built through the real services with the clock moved by
hand, for the period reports and their pages (tests/reports/test_period.py, test_pages*.py).

Two annuity products at 12 % (Alpha and Beta), two managers (Petro, Iryna) and a customer
nobody manages. Applied for (UTC), then:

- A: Alpha, 10 000 × 12 months, Petro's; 3 Jan; disbursed 10 Jan; pays installment 1 on
  10 Feb and installment 2 early, on 8 Mar.
- B: Beta, 5 000 × 18 months, Iryna's; 20 Jan; disbursed 5 Feb; pays installment 1 on
  5 Mar; 100.00 on 20 Mar, reversed on 21 Mar; 304.91 on 31 Mar, reversed on 2 Apr.
- C: Alpha, 10 000 × 12 months, nobody's; 10 Feb; disbursed 15 Feb; pays nothing in March.
- D: Alpha, 20 000, Petro's; 12 Feb; refused 13 Feb.
- E: Beta, 3 000, Iryna's; 20 Feb; withdrawn 21 Feb.
- F: Beta, 4 000, nobody's; 21:30 UTC on 31 Mar (1 Apr in Kyiv); refused 2 Apr.
- G: Alpha, 7 000, Petro's; 28 Mar; disbursed 3 Apr.

10 000 at 12 % over 12 months pays 888.49 a month (row 1: 788.49 principal + 100.00
interest); 5 000 over 18 months pays 304.91 (row 1: 254.91 + 50.00) — DESIGN.md's cases.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from crm.extensions import db
from crm.lending.schedule import RepaymentMethod
from crm.loans.services import lifecycle, payments
from crm.models import Loan, Payment, Product, Role, User
from crm.reports.queries.period_figures import Period
from tests import factories

FEBRUARY = Period(date(2025, 2, 1), date(2025, 2, 28))
MARCH = Period(date(2025, 3, 1), date(2025, 3, 31))
APRIL_MAY = Period(date(2025, 4, 1), date(2025, 5, 31))
END_OF_MARCH = date(2025, 3, 31)


@dataclass
class Book:
    alpha: Product
    beta: Product
    petro: User
    iryna: User
    admin: User
    loans: dict[str, Loan]


def utc(*moment: int) -> datetime:
    return datetime(*moment, tzinfo=UTC)


def build_book(clock, tag: str = "") -> Book:
    """The loans above up to the end of March; later() adds what came after. A `tag` names
    the products of another copy of the book."""
    book = _applications(tag)
    loans, admin = book.loans, book.admin
    clock.now = utc(2025, 1, 10, 8)
    start(book, "A", date(2025, 1, 10))
    clock.now = utc(2025, 2, 5, 8)
    start(book, "B", date(2025, 2, 5))
    clock.now = utc(2025, 2, 13, 8)
    lifecycle.refuse_loan(db.session, loans["D"], reason="Income too low", by=admin)
    clock.now = utc(2025, 2, 15, 8)
    start(book, "C", date(2025, 2, 15))
    clock.now = utc(2025, 2, 21, 8)
    lifecycle.withdraw_loan(db.session, loans["E"], by=admin)
    db.session.commit()
    pay(book, "A", "888.49", date(2025, 2, 10), "A-1")
    pay(book, "A", "888.49", date(2025, 3, 8), "A-2")
    pay(book, "B", "304.91", date(2025, 3, 5), "B-1")
    clock.now = utc(2025, 3, 20, 10)
    wrong = pay(book, "B", "100.00", date(2025, 3, 20), "B-wrong")
    clock.now = utc(2025, 3, 21, 10)
    reverse(book, wrong)
    pay(book, "B", "304.91", date(2025, 3, 31), "B-2")
    return book


def _applications(tag: str) -> Book:
    """The products, the staff, the customers and the seven applications, not yet decided."""
    alpha = _product(f"Alpha{tag}")
    beta = _product(f"Beta{tag}")
    petro = factories.UserFactory(role=Role.MANAGER, full_name="Petro Manager")
    iryna = factories.UserFactory(role=Role.MANAGER, full_name="Iryna Manager")
    admin = factories.UserFactory(role=Role.ADMIN, full_name="Olena Admin")
    customers = {
        "petro": factories.CustomerFactory(manager=petro),
        "iryna": factories.CustomerFactory(manager=iryna),
        None: factories.CustomerFactory(manager=None),
    }
    plan = {
        "A": (alpha, "10000", 12, "petro", utc(2025, 1, 3, 9)),
        "B": (beta, "5000", 18, "iryna", utc(2025, 1, 20, 9)),
        "C": (alpha, "10000", 12, None, utc(2025, 2, 10, 9)),
        "D": (alpha, "20000", 12, "petro", utc(2025, 2, 12, 9)),
        "E": (beta, "3000", 6, "iryna", utc(2025, 2, 20, 9)),
        "F": (beta, "4000", 6, None, utc(2025, 3, 31, 21, 30)),
        "G": (alpha, "7000", 12, "petro", utc(2025, 3, 28, 9)),
    }
    loans = {
        name: factories.LoanFactory(
            product=product,
            customer=customers[whose],
            amount=Decimal(amount),
            term_months=term,
            created_at=created_at,
        )
        for name, (product, amount, term, whose, created_at) in plan.items()
    }
    return Book(alpha, beta, petro, iryna, admin, loans)


def later(book: Book, clock) -> None:
    """April and May: G starts, F is refused, the 31 March payment of B is reversed and B
    written off, A and C pay; then, after the write-off, B's first payment is reversed."""
    loans = book.loans
    clock.now = utc(2025, 4, 2, 9)
    lifecycle.refuse_loan(db.session, loans["F"], reason="No income", by=book.admin)
    reverse(book, payment(loans["B"], "B-2"))
    clock.now = utc(2025, 4, 3, 9)
    start(book, "G", date(2025, 4, 3))
    pay(book, "C", "888.49", date(2025, 4, 5), "C-1")
    pay(book, "A", "888.49", date(2025, 4, 10), "A-3")
    # 21:30 UTC on 5 April is 00:30 on 6 April in Kyiv (summer time).
    clock.now = utc(2025, 4, 5, 21, 30)
    lifecycle.write_off_loan(db.session, loans["B"], reason="No payment", by=book.admin)
    db.session.commit()
    clock.now = utc(2025, 5, 2, 9)
    reverse(book, payment(loans["B"], "B-1"))


def start(book: Book, name: str, disbursed_on: date) -> None:
    lifecycle.start_loan(db.session, book.loans[name], disbursed_on=disbursed_on, by=book.admin)
    db.session.commit()


def pay(book: Book, name: str, amount: str, paid_on: date, reference: str) -> Payment:
    posting = payments.record_payment(
        db.session,
        book.loans[name],
        amount=Decimal(amount),
        paid_on=paid_on,
        reference=reference,
        by=book.admin,
    )
    db.session.commit()
    return posting.payment


def reverse(book: Book, wrong: Payment) -> None:
    payments.reverse_payment(db.session, wrong, reason="Posted in error", by=book.admin)
    db.session.commit()


def payment(loan: Loan, reference: str) -> Payment:
    return next(item for item in loan.payments if item.reference == reference)


def _product(name: str) -> Product:
    return factories.ProductFactory(
        name=name,
        annual_rate=Decimal("12"),
        repayment_method=RepaymentMethod.ANNUITY,
        min_amount=Decimal("1000"),
        max_amount=Decimal("100000"),
        min_term=3,
        max_term=36,
    )
