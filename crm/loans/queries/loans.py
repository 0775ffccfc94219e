"""Reading loans: lists, counts per status, one customer's loans, and what the loan page
loads with a loan."""

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from crm.lending.status import LoanStatus
from crm.models import Loan, Payment


def loan_counts_by_status(
    session: Session, *, customer_id: int | None = None
) -> dict[LoanStatus, int]:
    """How many loans are in each status (every status present, 0 when none), in one query."""
    statement = select(Loan.status, func.count()).group_by(Loan.status)
    if customer_id is not None:
        statement = statement.where(Loan.customer_id == customer_id)
    counts = dict.fromkeys(LoanStatus, 0)
    counts.update(session.execute(statement).all())
    return counts


def newest_first(statement: Select) -> Select:
    return statement.order_by(Loan.created_at.desc(), Loan.id.desc())


def loans_list(*, status: LoanStatus | None = None, product_id: int | None = None) -> Select:
    """Loans with their customer and product, newest first, optionally filtered."""
    statement = select(Loan).options(joinedload(Loan.customer), joinedload(Loan.product))
    if status is not None:
        statement = statement.where(Loan.status == status)
    if product_id is not None:
        statement = statement.where(Loan.product_id == product_id)
    return newest_first(statement)


def latest_loans(session: Session, limit: int) -> list[Loan]:
    return list(session.scalars(loans_list().limit(limit)))


#: The order of a customer's loans on the card: the ones being repaid (and so perhaps
#: overdue) first, then the applications waiting for a decision, then the closed ones.
CARD_STATUS_ORDER = case(
    (Loan.status == LoanStatus.ACTIVE, 0), (Loan.status == LoanStatus.PENDING, 1), else_=2
)


def customer_loans(session: Session, customer_id: int) -> list[Loan]:
    """A customer's loans with their products: active loans first, the longest overdue
    first (the oldest unpaid due date); then pending applications; then the rest; newest
    first within each."""
    statement = select(Loan).where(Loan.customer_id == customer_id)
    statement = statement.options(joinedload(Loan.product))
    active_due = case((Loan.status == LoanStatus.ACTIVE, Loan.oldest_unpaid_due_on))
    return list(
        session.scalars(
            statement.order_by(
                CARD_STATUS_ORDER,
                active_due.asc().nulls_last(),
                Loan.created_at.desc(),
                Loan.id.desc(),
            )
        )
    )


def loan_detail_options() -> list:
    """What the loan page shows beside the loan itself: the customer, product, decider
    and writer-off in the loan's query, then the schedule and the payments (with who
    recorded and reversed them, and their allocations) in one query each, however many
    rows they have. Allocations find their installments among those already loaded,
    without a query."""
    return [
        joinedload(Loan.customer),
        joinedload(Loan.product),
        joinedload(Loan.decided_by),
        joinedload(Loan.written_off_by),
        selectinload(Loan.installments),
        selectinload(Loan.payments).options(
            joinedload(Payment.recorded_by),
            joinedload(Payment.reversed_by),
            selectinload(Payment.allocations),
        ),
    ]
