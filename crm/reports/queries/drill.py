"""The loans behind a report's figure: each number of the reports links to the list of the
loans it counts, and the list is read with the same conditions as the figure, so that its
length is the figure (or its rows add up to it).

A figure as of a day (the portfolio: active, overdue, PAR1/30/90, a delinquency bucket)
lists the loans' positions at the end of that day (ledger.positions); a figure of a period
(disbursed, due, written off, applications by outcome) the loans the period's query counts
(crm.reports.queries.period). Each list is one statement a page, and one to count it.
"""

import enum
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, Select, Subquery, func, select, true
from sqlalchemy.orm import Bundle, aliased

from crm.lending.delinquency import Bucket
from crm.lending.portfolio import PAR_DAYS
from crm.loans.queries.portfolio import bucket_case, from_cents
from crm.models import Customer, Loan, Product, User
from crm.models.customer import person_name
from crm.reports.queries.ledger import group_filters, more_than_days_past_due, positions
from crm.reports.queries.monthly import Outcome
from crm.reports.queries.period import (
    applied_in,
    disbursed_in,
    due_installments,
    outcome_at,
    written_off_in,
    written_off_principal,
)
from crm.reports.queries.period_figures import Period


class Measure(enum.StrEnum):
    """A figure whose loans can be listed."""

    ACTIVE = "active"
    OVERDUE = "overdue"
    PAR1 = "par1"
    PAR30 = "par30"
    PAR90 = "par90"
    BUCKET = "bucket"
    DISBURSED = "disbursed"
    DUE = "due"
    WRITTEN_OFF = "written_off"
    APPLICATIONS = "applications"


#: The PAR figure of each PAR measure: the days past due it counts beyond.
PAR_MEASURES = {Measure(f"par{days}"): days for days in PAR_DAYS}
#: The figures of the portfolio as of a day; the others are figures of a period.
AS_OF_MEASURES = frozenset({Measure.ACTIVE, Measure.OVERDUE, Measure.BUCKET, *PAR_MEASURES})


@dataclass(frozen=True)
class LoanLine:
    """One loan of a list: who and what, and the figures of the measure listed (None for
    those it does not give); money in Decimal."""

    loan_id: int
    customer_id: int
    customer_name: str
    product_name: str
    manager_name: str | None
    amount: Decimal
    #: As of a day: the principal still owed, the principal and interest past due, and
    #: the due date of the oldest installment unpaid past it (None when none is).
    outstanding: Decimal | None = None
    overdue: Decimal | None = None
    oldest_overdue: date | None = None
    as_of: date | None = None
    #: Of a period: the day the loan was disbursed, the moments it was applied for, decided
    #: and written off, what became of the application, the principal written off, and
    #: what fell due in the period and was received for it.
    disbursed_on: date | None = None
    created_at: datetime | None = None
    decided_at: datetime | None = None
    written_off_at: datetime | None = None
    outcome: Outcome | None = None
    written_off: Decimal | None = None
    due: Decimal | None = None
    received: Decimal | None = None

    @property
    def days_past_due(self) -> int | None:
        if self.as_of is None:
            return None
        return (self.as_of - self.oldest_overdue).days if self.oldest_overdue else 0


#: Columns selected in whole cents, and the LoanLine field each becomes in Decimal.
_CENTS = {
    "outstanding_cents": "outstanding",
    "overdue_cents": "overdue",
    "written_off_cents": "written_off",
    "due_cents": "due",
    "received_cents": "received",
}
_NAME_PARTS = ("last_name", "first_name", "patronymic")


class _Lines(Bundle):
    """Selects a list's columns and hands back one LoanLine per row."""

    def __init__(self, *columns, as_of: date | None = None) -> None:
        super().__init__("loan_line", *columns)
        self.as_of = as_of

    def create_row_processor(self, query, procs, labels):
        as_of = self.as_of

        def make(row) -> LoanLine:
            values = dict(zip(labels, (proc(row) for proc in procs), strict=True))
            name = person_name(*(values.pop(part) for part in _NAME_PARTS))
            for column, field in _CENTS.items():
                if column in values:
                    values[field] = from_cents(values.pop(column))
            if "outcome" in values:
                values["outcome"] = Outcome(values["outcome"])
            return LoanLine(customer_name=name, as_of=as_of, **values)

        return make


def _lines(*columns: ColumnElement, as_of: date | None = None) -> Select:
    """The loans with their customer, product and customer's manager, and `columns`."""
    manager = aliased(User, name="manager")
    return (
        select(
            _Lines(
                Loan.id.label("loan_id"),
                Loan.customer_id.label("customer_id"),
                Customer.last_name,
                Customer.first_name,
                Customer.patronymic,
                Product.name.label("product_name"),
                manager.display_name.label("manager_name"),
                Loan.amount.label("amount"),
                *columns,
                as_of=as_of,
            )
        )
        .select_from(Loan)
        .join(Customer, Customer.id == Loan.customer_id)
        .join(Product, Product.id == Loan.product_id)
        .outerjoin(manager, manager.id == Customer.manager_id)
    )


@dataclass(frozen=True)
class LoanList:
    """A list of loans: the statement of its rows (LoanLine objects, in order) and the
    statement whose rows are counted for its length (the same loans, fewer columns)."""

    lines: Select
    rows: Select


def position_list(
    as_of: date,
    measure: Measure,
    *,
    bucket: Bucket | None = None,
    product_id: int | None = None,
    manager_id: int | None = None,
) -> LoanList:
    """The active loans at the end of `as_of` behind a portfolio figure (`measure`, one of
    AS_OF_MEASURES; BUCKET needs `bucket`), most overdue first."""
    position = positions(as_of, *group_filters(product_id=product_id, manager_id=manager_id))
    condition = _position_condition(position, as_of, measure, bucket)
    lines = (
        _lines(
            position.c.outstanding.label("outstanding_cents"),
            position.c.overdue.label("overdue_cents"),
            position.c.oldest_overdue.label("oldest_overdue"),
            as_of=as_of,
        )
        .join(position, position.c.loan_id == Loan.id)
        .where(condition)
        .order_by(position.c.oldest_overdue.asc().nulls_last(), Loan.id)
    )
    return LoanList(lines=lines, rows=select(position.c.loan_id).where(condition))


def _position_condition(
    position: Subquery, as_of: date, measure: Measure, bucket: Bucket | None
) -> ColumnElement[bool]:
    if measure in PAR_MEASURES:
        return more_than_days_past_due(position, as_of, PAR_MEASURES[measure])
    if measure is Measure.OVERDUE:
        return position.c.oldest_overdue.is_not(None)
    if measure is Measure.BUCKET:
        if bucket is None:
            raise ValueError("the bucket measure needs a bucket")
        return bucket_case(position.c.oldest_overdue, as_of) == bucket.value
    if measure is Measure.ACTIVE:
        return true()
    raise ValueError(f"{measure} is not a figure as of a day")


def period_list(
    period: Period,
    measure: Measure,
    *,
    outcome: Outcome | None = None,
    product_id: int | None = None,
    manager_id: int | None = None,
) -> LoanList:
    """The loans behind a figure of the period (`measure`, not one of AS_OF_MEASURES):
    disbursed, written off, applied for (with `outcome` at the period's end, or all of
    them), or with installments due in it (what fell due and was received for each loan)."""
    filters = group_filters(product_id=product_id, manager_id=manager_id)
    if measure is Measure.DUE:
        return _due_list(period, filters)
    if measure is Measure.DISBURSED:
        condition = disbursed_in(period)
        lines = _lines(Loan.disbursed_on.label("disbursed_on")).order_by(Loan.disbursed_on)
    elif measure is Measure.WRITTEN_OFF:
        condition = written_off_in(period)
        lines = _lines(
            Loan.written_off_at.label("written_off_at"),
            written_off_principal().label("written_off_cents"),
        ).order_by(Loan.written_off_at)
    elif measure is Measure.APPLICATIONS:
        condition = _applications(period, outcome)
        lines = _lines(
            Loan.created_at.label("created_at"),
            Loan.decided_at.label("decided_at"),
            outcome_at(period.ends).label("outcome"),
        ).order_by(Loan.created_at)
    else:
        raise ValueError(f"{measure} is not a figure of a period")
    rows = (
        select(Loan.id).join(Customer, Customer.id == Loan.customer_id).where(condition, *filters)
    )
    return LoanList(lines=lines.where(condition, *filters).order_by(Loan.id), rows=rows)


def _applications(period: Period, outcome: Outcome | None) -> ColumnElement[bool]:
    made = applied_in(period)
    return made if outcome is None else made & (outcome_at(period.ends) == outcome.value)


def _due_list(period: Period, filters: tuple[ColumnElement[bool], ...]) -> LoanList:
    """The loans with installments due in the period, what fell due on each and what was
    received for it; the largest shortfall first."""
    installments = due_installments(period, *filters).subquery("due_installments")
    per_loan = (
        select(
            installments.c.loan_id,
            func.sum(installments.c.due).label("due"),
            func.sum(installments.c.received).label("received"),
        )
        .group_by(installments.c.loan_id)
        .subquery("due_loans")
    )
    lines = (
        _lines(per_loan.c.due.label("due_cents"), per_loan.c.received.label("received_cents"))
        .join(per_loan, per_loan.c.loan_id == Loan.id)
        .order_by((per_loan.c.due - per_loan.c.received).desc(), Loan.id)
    )
    return LoanList(lines=lines, rows=select(per_loan.c.loan_id))
