"""What stops a write on a loan: the row lock that holds it still, the check that the
user's form was built from the loan as it is now, and the refusal of a step its status
does not allow."""

from flask_babel import LazyString
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.i18n.labels import status_word
from crm.models import Installment, Loan
from crm.validation import FieldError, check_version


def lock_loan(
    session: Session, loan: Loan, expected_version: int | None = None
) -> list[Installment]:
    """Lock the loan's row for the rest of the transaction and read it and its installments
    afresh; returns the installments, oldest first.

    PostgreSQL: SELECT ... FOR UPDATE, so a second writer waits here and then reads what
    the first one committed. SQLite has no row locks; there a writing request's transaction
    holds the database's write lock from its start (crm/database.py).
    Raises StaleDataError when `expected_version` is given and the loan has moved on.
    """
    # OF loans: the loan may have been loaded with outer-joined relations, which PostgreSQL
    # will not lock; only its own row matters.
    session.scalars(
        select(Loan)
        .where(Loan.id == loan.id)
        .with_for_update(of=Loan)
        .execution_options(populate_existing=True)
    ).one()
    check_version(loan, expected_version)
    statement = (
        select(Installment)
        .where(Installment.loan_id == loan.id)
        .order_by(Installment.number)
        .execution_options(populate_existing=True)
    )
    return list(session.scalars(statement))


def wrong_status(loan: Loan, message: LazyString) -> FieldError:
    """The refusal, on "status", of a step the loan's status does not allow; `message` may
    name the loan's %(number)s and %(status)s."""
    facts = {"number": str(loan), "status": status_word(loan.status)}
    return FieldError("status", str(message) % facts)
