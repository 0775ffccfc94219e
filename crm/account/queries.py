"""What a customer sees of their own records; every query is scoped by their customer id."""

from sqlalchemy.orm import Session

from crm.loans.queries.loans import customer_loans
from crm.models import Customer, Loan


def own_customer(session: Session, customer_id: int | None) -> Customer | None:
    return None if customer_id is None else session.get(Customer, customer_id)


def own_loans(session: Session, customer_id: int | None) -> list[Loan]:
    """The customer's loans, newest first; none for a login linked to no customer."""
    return [] if customer_id is None else customer_loans(session, customer_id, newest=True)
