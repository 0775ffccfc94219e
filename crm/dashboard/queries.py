"""The dashboard's figures, each from one aggregate query."""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from crm.customers.queries import customer_count
from crm.lending.status import LoanStatus
from crm.loans.queries.loans import loan_counts_by_status


@dataclass(frozen=True)
class Summary:
    loans_by_status: dict[LoanStatus, int]
    customers: int

    @property
    def loans(self) -> int:
        return sum(self.loans_by_status.values())


def summary(session: Session) -> Summary:
    return Summary(
        loans_by_status=loan_counts_by_status(session), customers=customer_count(session)
    )
