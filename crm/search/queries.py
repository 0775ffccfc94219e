"""What the navbar's search finds: the loan of a number, and customers by name, phone,
e-mail or tax id (crm.customers.queries.customer_matches), one query each."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from crm.customers.queries import first_found, search_words
from crm.loans.queries.loans import loan_number
from crm.models import Customer, Loan

#: Customers shown on the page; more are a link to the customers list with the same search.
SHOWN_CUSTOMERS = 20


@dataclass(frozen=True)
class SearchResults:
    loans: list[Loan]
    customers: list[Customer]
    #: More customers match than the page shows.
    more_customers: bool

    @property
    def empty(self) -> bool:
        return not (self.loans or self.customers)


def search(session: Session, query: str) -> SearchResults:
    """The loans and the first SHOWN_CUSTOMERS customers (by name) that `query` finds."""
    loans = []
    number = loan_number(query)
    if number is not None:
        statement = select(Loan).where(Loan.id == number)
        statement = statement.options(joinedload(Loan.customer), joinedload(Loan.product))
        loans = list(session.scalars(statement))
    customers = []
    if search_words(query):
        customers = first_found(session, query, size=SHOWN_CUSTOMERS + 1)
    return SearchResults(
        loans=loans,
        customers=customers[:SHOWN_CUSTOMERS],
        more_customers=len(customers) > SHOWN_CUSTOMERS,
    )
