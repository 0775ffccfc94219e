"""The loan lifecycle on the lender's side: start (approve and disburse), refuse, withdraw
and write off. Which status may follow which is crm.lending.status; here each step checks
its own input, records who took it and when, and writes the schedule of a started loan."""

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from crm.clock import lender_date, lender_today, utc_now
from crm.i18n.formats import day
from crm.lending import status as lifecycle
from crm.lending.schedule import build_schedule
from crm.lending.status import LoanStatus
from crm.loans.services.guards import lock_loan, wrong_status
from crm.models import Installment, Loan, User
from crm.models.types import MAX_REASON
from crm.reports.services import forget_month_ends
from crm.validation import FieldError, required_text

#: Why a step is refused when the loan is in the wrong status; one message per step, so
#: that each reads naturally once translated.
_WRONG_STATUS = {
    LoanStatus.ACTIVE: _l(
        "Only a pending application can be started; loan %(number)s is %(status)s."
    ),
    LoanStatus.REFUSED: _l(
        "Only a pending application can be refused; loan %(number)s is %(status)s."
    ),
    LoanStatus.WITHDRAWN: _l(
        "Only a pending application can be withdrawn; loan %(number)s is %(status)s."
    ),
    LoanStatus.WRITTEN_OFF: _l(
        "Only an active loan can be written off; loan %(number)s is %(status)s."
    ),
}


def start_loan(
    session: Session,
    loan: Loan,
    *,
    disbursed_on: date | None,
    by: User,
    expected_version: int | None = None,
    today: date | None = None,
) -> Loan:
    """Approve a pending application and disburse it on `disbursed_on`: the loan becomes
    active and its schedule is written (the product's repayment method, the loan's own rate).

    The date may not be in the future (`today`, the lender's by default) nor before the
    day of the application (FieldError on "disbursed_on"). Raises FieldError on "status"
    unless the loan is pending, and StaleDataError when `expected_version` is not the
    loan's current version.
    """
    lock_loan(session, loan, expected_version)
    status = _transition(loan, LoanStatus.ACTIVE)
    today = today or lender_today()
    _check_disbursement_date(loan, disbursed_on, today)
    # The schedule first: reading the product would flush a decision made before it, and
    # the loan's audit event would come in two halves.
    _write_schedule(session, loan, disbursed_on)
    _decide(loan, status, by)
    forget_month_ends(session, disbursed_on, today)
    session.flush()
    return loan


def _check_disbursement_date(loan: Loan, disbursed_on: date | None, today: date) -> None:
    """Neither in the future nor before the day of the application; FieldError if not."""
    if disbursed_on is None:
        raise FieldError("disbursed_on", _("This field is required."))
    if disbursed_on > today:
        raise FieldError("disbursed_on", _("The disbursement date cannot be in the future."))
    applied_on = lender_date(loan.created_at)
    if disbursed_on < applied_on:
        raise FieldError(
            "disbursed_on",
            _(
                "The loan cannot be disbursed before it was applied for (%(date)s).",
                date=day(applied_on),
            ),
        )


def _write_schedule(session: Session, loan: Loan, disbursed_on: date) -> None:
    """The installments of a loan disbursed on `disbursed_on`, and what it now owes."""
    schedule = build_schedule(
        loan.amount,
        loan.annual_rate,
        loan.term_months,
        loan.product.repayment_method,
        disbursed_on,
    )
    session.add_all(
        Installment(
            loan=loan,
            number=row.number,
            due_date=row.due_date,
            principal=row.principal,
            interest=row.interest,
        )
        for row in schedule.rows
    )
    loan.disbursed_on = disbursed_on
    loan.principal_outstanding = schedule.total_principal
    loan.oldest_unpaid_due_on = schedule.rows[0].due_date


def refuse_loan(
    session: Session,
    loan: Loan,
    *,
    reason: str | None,
    by: User,
    expected_version: int | None = None,
) -> Loan:
    """Refuse a pending application, saying why (FieldError on "reason" when empty or
    longer than MAX_REASON characters).

    Raises FieldError on "status" unless the loan is pending, and StaleDataError as
    start_loan().
    """
    lock_loan(session, loan, expected_version)
    status = _transition(loan, LoanStatus.REFUSED)
    loan.refusal_reason = required_text(reason, "reason", max_length=MAX_REASON)
    _decide(loan, status, by)
    session.flush()
    return loan


def withdraw_loan(
    session: Session, loan: Loan, *, by: User, expected_version: int | None = None
) -> Loan:
    """Record that the customer withdrew a pending application; `by` is who recorded it.

    Raises FieldError on "status" unless the loan is pending, and StaleDataError as
    start_loan().
    """
    lock_loan(session, loan, expected_version)
    _decide(loan, _transition(loan, LoanStatus.WITHDRAWN), by)
    session.flush()
    return loan


def write_off_loan(
    session: Session,
    loan: Loan,
    *,
    reason: str | None,
    by: User,
    expected_version: int | None = None,
) -> Loan:
    """Write off an active loan, saying why (FieldError on "reason" when empty or longer
    than MAX_REASON characters).

    Only admins may do this; the caller checks the role (`by` is who did it). The schedule
    and the outstanding principal stay as they are: they are what was written off. Raises
    FieldError on "status" unless the loan is active, and StaleDataError as start_loan().
    """
    lock_loan(session, loan, expected_version)
    status = _transition(loan, LoanStatus.WRITTEN_OFF)
    loan.write_off_reason = required_text(reason, "reason", max_length=MAX_REASON)
    loan.status = status
    loan.written_off_at = utc_now()
    loan.written_off_by = by
    session.flush()
    return loan


def _transition(loan: Loan, target: LoanStatus) -> LoanStatus:
    try:
        return lifecycle.transition(loan.status, target)
    except lifecycle.TransitionError:
        raise wrong_status(loan, _WRONG_STATUS[target]) from None


def _decide(loan: Loan, status: LoanStatus, by: User) -> None:
    """Move a pending application to `status`, recording who decided it and when."""
    loan.status = status
    loan.decided_at = utc_now()
    loan.decided_by = by
