"""The loan portfolio as of a day: outstanding principal, arrears, PAR30 and the overdue queue.

Everything is computed in SQL from two figures each loan row keeps up to date
(`principal_outstanding` and `oldest_unpaid_due_on`, see crm.lending.installments.position)
and, for the amounts overdue, from the installments of the overdue loans only.

Money is summed in whole cents as integers: SQLite's SUM over NUMERIC is float arithmetic,
where a thousand 0.10s do not make 100.00, while integer cents add up exactly on every
database. Python turns the cents back into Decimal.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import BigInteger, ColumnElement, Select, case, cast, func, select
from sqlalchemy.orm import Bundle, Session, aliased

from crm.clock import lender_today
from crm.lending.delinquency import BUCKET_DAYS, Bucket, bucket_for
from crm.lending.money import CENT, ROUNDING
from crm.lending.status import LoanStatus
from crm.models import Customer, Installment, Loan, User
from crm.models.customer import person_name

#: PAR30 counts the loans more than this many days past due.
PAR_DAYS = 30
#: Due dates are a month apart, so an overdue loan's next installment (if any) falls due
#: within this many days after any day: the overdue queue looks no further for it.
NEXT_DUE_WITHIN = timedelta(days=31)


def cents(amount: ColumnElement) -> ColumnElement[int]:
    """A money expression as whole cents in an integer, which every database sums exactly."""
    return cast(func.round(amount * 100), BigInteger)


def from_cents(value: int | Decimal | None) -> Decimal:
    """Whole cents from SQL (None for a sum over no rows) as Decimal money: 1005 → 10.05."""
    return Decimal(int(value or 0)).scaleb(-2)


def is_overdue(as_of: date) -> ColumnElement[bool]:
    """An active loan with an installment left unpaid past its due date, on `as_of`."""
    return (Loan.status == LoanStatus.ACTIVE) & (Loan.oldest_unpaid_due_on < as_of)


def _unpaid_cents() -> ColumnElement[int]:
    return cents(
        Installment.principal
        - Installment.principal_paid
        + Installment.interest
        - Installment.interest_paid
    )


def _overdue_installments(until: date, *loans: ColumnElement[bool]) -> Select:
    """Installments from the oldest unpaid one to `until` (exclusive) of the loans that meet
    the `loans` conditions, which must include is_overdue().

    The installments before the oldest unpaid one are paid, so skipping them leaves every
    sum as it is and keeps the work proportional to the arrears, not to the portfolio.
    """
    return (
        select()
        .select_from(Installment)
        .join(Loan, Loan.id == Installment.loan_id)
        .where(
            *loans,
            Installment.due_date >= Loan.oldest_unpaid_due_on,
            Installment.due_date < until,
        )
    )


@dataclass(frozen=True)
class Portfolio:
    """The active loans on `as_of`; money in whole cents."""

    as_of: date
    active_loans: int
    #: Principal not yet repaid on the active loans, whether due or not.
    outstanding: Decimal
    overdue_loans: int
    #: Principal and interest of the installments due before `as_of` and not paid.
    overdue_amount: Decimal
    #: Outstanding principal of the loans more than PAR_DAYS past due.
    at_risk: Decimal

    @property
    def par30(self) -> Decimal | None:
        """at_risk ÷ outstanding as a percentage to 0.01; None without outstanding principal."""
        if not self.outstanding:
            return None
        return (self.at_risk * 100 / self.outstanding).quantize(CENT, rounding=ROUNDING)


def portfolio(session: Session, as_of: date | None = None) -> Portfolio:
    """The portfolio figures on `as_of` (default: the lender's today), in one query."""
    as_of = as_of or lender_today()
    outstanding = cents(Loan.principal_outstanding)
    overdue_amount = (
        _overdue_installments(as_of, is_overdue(as_of))
        .add_columns(func.sum(_unpaid_cents()))
        .scalar_subquery()
    )
    row = session.execute(
        select(
            func.count(),
            func.sum(outstanding),
            func.count(case((Loan.oldest_unpaid_due_on < as_of, Loan.id))),
            func.sum(
                case(
                    (Loan.oldest_unpaid_due_on < as_of - timedelta(days=PAR_DAYS), outstanding),
                    else_=0,
                )
            ),
            overdue_amount,
        ).where(Loan.status == LoanStatus.ACTIVE)
    ).one()
    active, total, overdue, at_risk, amount = row
    return Portfolio(
        as_of=as_of,
        active_loans=active,
        outstanding=from_cents(total),
        overdue_loans=overdue,
        overdue_amount=from_cents(amount),
        at_risk=from_cents(at_risk),
    )


@dataclass(frozen=True)
class OverdueLoan:
    """One row of the overdue queue; money in whole cents."""

    as_of: date
    loan_id: int
    customer_id: int
    customer_name: str
    phone: str
    manager_name: str | None
    oldest_unpaid_due_on: date
    overdue_amount: Decimal
    principal_outstanding: Decimal
    #: The next installment to fall due, on `as_of` or later; None once the term is over.
    next_due_on: date | None

    @property
    def days_past_due(self) -> int:
        return (self.as_of - self.oldest_unpaid_due_on).days

    @property
    def bucket(self) -> Bucket:
        return bucket_for(self.days_past_due)


class _OverdueRows(Bundle):
    """Selects the queue's columns and hands back OverdueLoan objects, one per row."""

    def __init__(self, as_of: date, *columns) -> None:
        super().__init__("overdue_loan", *columns)
        self.as_of = as_of

    def create_row_processor(self, query, procs, labels):
        as_of = self.as_of

        def make(row) -> OverdueLoan:
            values = dict(zip(labels, (proc(row) for proc in procs), strict=True))
            name = (values.pop(part) for part in ("last_name", "first_name", "patronymic"))
            return OverdueLoan(
                as_of=as_of,
                customer_name=person_name(*name),
                overdue_amount=from_cents(values.pop("overdue_cents")),
                **values,
            )

        return make


#: ?sort= values of the queue; the leading minus means the largest first.
SORTS = ("-dpd", "dpd", "-amount", "amount")
DEFAULT_SORT = "-dpd"


def sort_key(value: str | None) -> str:
    """The ?sort= value if it is one we know, otherwise the default (most overdue first)."""
    return value if value in SORTS else DEFAULT_SORT


def overdue_queue(
    as_of: date,
    *,
    sort: str = DEFAULT_SORT,
    bucket: Bucket | None = None,
    manager_id: int | None = None,
) -> Select:
    """Active loans past due on `as_of`, as OverdueLoan rows, filtered and sorted.

    One statement: the overdue amount and next due date of each loan come from a GROUP BY
    over its installments from the oldest unpaid one to a month past `as_of`, joined in.
    `bucket` is an overdue bucket (not CURRENT); `manager_id` is the customer's manager.
    """
    loans = [is_overdue(as_of)]
    if bucket is not None:
        low, high = BUCKET_DAYS[bucket]
        loans.append(Loan.oldest_unpaid_due_on <= as_of - timedelta(days=low))
        if high is not None:
            loans.append(Loan.oldest_unpaid_due_on >= as_of - timedelta(days=high))
    if manager_id is not None:
        loans.append(
            Loan.customer_id.in_(select(Customer.id).where(Customer.manager_id == manager_id))
        )
    overdue = Installment.due_date < as_of
    # The filters go into the GROUP BY as well, so that it adds up the loans shown only.
    per_loan = (
        _overdue_installments(as_of + NEXT_DUE_WITHIN, *loans)
        .add_columns(
            Installment.loan_id,
            func.sum(case((overdue, _unpaid_cents()), else_=0)).label("overdue_cents"),
            func.min(case((~overdue, Installment.due_date))).label("next_due_on"),
        )
        .group_by(Installment.loan_id)
        .subquery("per_loan")
    )
    manager = aliased(User, name="manager")
    statement = (
        select(
            _OverdueRows(
                as_of,
                Loan.id.label("loan_id"),
                Loan.customer_id,
                Customer.last_name,
                Customer.first_name,
                Customer.patronymic,
                Customer.phone,
                manager.display_name.label("manager_name"),
                Loan.oldest_unpaid_due_on,
                per_loan.c.overdue_cents,
                Loan.principal_outstanding,
                per_loan.c.next_due_on,
            )
        )
        .select_from(Loan)
        # Outer: the queue lists exactly the loans the dashboard counts as overdue.
        .outerjoin(per_loan, per_loan.c.loan_id == Loan.id)
        .join(Customer, Customer.id == Loan.customer_id)
        .outerjoin(manager, manager.id == Customer.manager_id)
        .where(*loans)
    )
    oldest_first, amount = Loan.oldest_unpaid_due_on, per_loan.c.overdue_cents
    order = {
        "-dpd": (oldest_first, amount.desc()),
        "dpd": (oldest_first.desc(), amount),
        "-amount": (amount.desc(), oldest_first),
        "amount": (amount, oldest_first.desc()),
    }[sort_key(sort)]
    return statement.order_by(*order, Loan.id)


def most_overdue(session: Session, as_of: date | None = None, limit: int = 10) -> list[OverdueLoan]:
    """The `limit` loans longest past due on `as_of` (default: the lender's today)."""
    return list(session.scalars(overdue_queue(as_of or lender_today()).limit(limit)))
