"""What the day's collections run looks at: loans that entered a worse delinquency bucket,
and installments to remind customers of."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from crm.lending.delinquency import BUCKET_DAYS, Bucket, bucket_for
from crm.lending.status import LoanStatus
from crm.loans.queries.portfolio import from_cents, unpaid_cents
from crm.models import Customer, Installment, Loan, OutboxMessage, User

#: A run that was missed (a holiday, a failed cron) is caught up by the next one, for events
#: of the last this many days; older ones are left alone, so that a first run on an old book
#: does not bury the managers in tasks for arrears they already work.
CATCH_UP = timedelta(days=7)
#: Customers are reminded this many days before an installment falls due.
REMIND_BEFORE = timedelta(days=3)


@dataclass(frozen=True)
class BucketEntry:
    """A loan that entered `bucket` on `entered_on` (the oldest unpaid installment's due date
    plus the bucket's first day)."""

    loan_id: int
    customer_id: int
    #: Who gets the follow-up: the customer's manager, else whoever started the loan.
    assignee_id: int | None
    bucket: Bucket
    oldest_unpaid_due_on: date
    entered_on: date

    @property
    def origin(self) -> str:
        return f"bucket:{self.loan_id}:{self.bucket.value}:{self.oldest_unpaid_due_on}"


@dataclass(frozen=True)
class Reminder:
    """An installment to remind its customer of; money in Decimal."""

    installment_id: int
    loan_id: int
    due_date: date
    amount: Decimal
    #: None when the customer has no e-mail.
    email: str | None
    customer_name: str
    #: The customer's language when they have a login, else the default one.
    locale: str | None
    has_login: bool


def bucket_entries(session: Session, as_of: date) -> list[BucketEntry]:
    """Active loans whose current bucket began within CATCH_UP up to `as_of`: one indexed
    range of oldest_unpaid_due_on per bucket (ix_loans_status_oldest_unpaid_due_on_customer_id)."""
    ranges = [
        Loan.oldest_unpaid_due_on.between(
            as_of - timedelta(days=low) - CATCH_UP + timedelta(days=1),
            as_of - timedelta(days=low),
        )
        for low, _high in BUCKET_DAYS.values()
    ]
    rows = session.execute(
        select(
            Loan.id,
            Loan.customer_id,
            Customer.manager_id,
            Loan.decided_by_id,
            Loan.oldest_unpaid_due_on,
        )
        .join(Customer, Customer.id == Loan.customer_id)
        .where(Loan.status == LoanStatus.ACTIVE, or_(*ranges))
        .order_by(Loan.id)
    )
    entries = []
    for loan_id, customer_id, manager_id, decided_by_id, oldest in rows:
        bucket = bucket_for((as_of - oldest).days)
        entered_on = oldest + timedelta(days=BUCKET_DAYS[bucket][0])
        if entered_on > as_of - CATCH_UP:
            entries.append(
                BucketEntry(
                    loan_id=loan_id,
                    customer_id=customer_id,
                    assignee_id=manager_id or decided_by_id,
                    bucket=bucket,
                    oldest_unpaid_due_on=oldest,
                    entered_on=entered_on,
                )
            )
    return entries


def reminders(session: Session, due_date: date) -> list[Reminder]:
    """Unpaid installments due on `due_date` of active loans, with their customer's e-mail
    (None for a customer who has none: counted by the run, not reminded)."""
    rows = session.execute(
        select(
            Installment.id,
            Installment.loan_id,
            Installment.due_date,
            unpaid_cents(),
            Customer.email,
            Customer.last_name,
            Customer.first_name,
            Customer.patronymic,
            User.locale,
            User.id,
        )
        .join(Loan, Loan.id == Installment.loan_id)
        .join(Customer, Customer.id == Loan.customer_id)
        .outerjoin(User, User.customer_id == Customer.id)
        .where(
            Installment.due_date == due_date,
            Installment.paid_on.is_(None),
            Loan.status == LoanStatus.ACTIVE,
        )
        .order_by(Installment.id)
    )
    return [
        Reminder(
            installment_id=row[0],
            loan_id=row[1],
            due_date=row[2],
            amount=from_cents(row[3]),
            email=row[4],
            customer_name=" ".join(part for part in (row[6], row[7]) if part),
            locale=row[8],
            has_login=row[9] is not None,
        )
        for row in rows
    ]


def existing_dedupe_keys(session: Session, keys: list[str]) -> set[str]:
    """Which of these messages are already in the outbox."""
    if not keys:
        return set()
    return set(
        session.scalars(select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(keys)))
    )


def managers_of(session: Session, customer_ids: set[int]) -> dict[int, int | None]:
    """Each customer's assigned manager, by customer id."""
    if not customer_ids:
        return {}
    statement = select(Customer.id, Customer.manager_id).where(Customer.id.in_(customer_ids))
    return {customer_id: manager_id for customer_id, manager_id in session.execute(statement)}
