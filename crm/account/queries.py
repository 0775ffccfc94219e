"""What a customer sees of their own records; every query is scoped by their customer id."""

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from crm.models import Customer, Loan


def own_customer(session: Session, customer_id: int | None) -> Customer | None:
    return None if customer_id is None else session.get(Customer, customer_id)


def own_loans(session: Session, customer_id: int | None) -> list[Loan]:
    """The customer's loans with their products, newest first; none for an unlinked login."""
    if customer_id is None:
        return []
    statement = (
        select(Loan)
        .where(Loan.customer_id == customer_id)
        .options(joinedload(Loan.product))
        .order_by(Loan.created_at.desc(), Loan.id.desc())
    )
    return list(session.scalars(statement))
