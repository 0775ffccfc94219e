"""Loading the demo data set: products, staff logins, customers and their loans, in chunks.

Also the demo logins and the summary that `flask --app wsgi demo load` prints.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from itertools import count

from flask_babel import gettext as _
from sqlalchemy import Dialect, func, select
from sqlalchemy.orm import Session

from crm.demo.ahead import made_ahead
from crm.demo.bulk import advance_id_sequence, bulk_page_cache, bulk_statement, next_id
from crm.demo.drawing import CustomerGenerator
from crm.demo.follow_up import FollowUpDrawer
from crm.demo.servicing import Servicer
from crm.demo.tables import HISTORY, PRODUCTS
from crm.i18n.labels import STATUS_LABELS
from crm.lending.money import ZERO
from crm.lending.status import LoanStatus
from crm.models import (
    Customer,
    Installment,
    Interaction,
    Loan,
    Payment,
    PaymentAllocation,
    Product,
    Role,
    Task,
    User,
)
from crm.models.search_term import CustomerSearchTerm, term_rows

#: Every demo login has this password; it is printed after loading.
DEMO_PASSWORD = "demo-password"  # noqa: S105 (a published demo password)
#: Customers per chunk, whose rows go in with one bulk INSERT per table: big enough to be fast,
#: small enough to keep memory flat. Two processes each hold a chunk (crm.demo.ahead), and
#: the first chunk's drawing and the last one's writing are not overlapped: 10 000 took 50 MB
#: more and 2 s longer for 100 000 customers.
CHUNK_SIZE = 5_000
#: The tables whose ids load_demo hands out itself.
OWN_ID_TABLES = {
    "customer": Customer,
    "loan": Loan,
    "installment": Installment,
    "payment": Payment,
    "allocation": PaymentAllocation,
}


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: Role
    full_name: str


ADMIN = DemoLogin("admin@demo.crm", Role.ADMIN, "Олена Коваль")
MANAGERS = (
    DemoLogin("manager@demo.crm", Role.MANAGER, "Петро Мельник"),
    DemoLogin("manager2@demo.crm", Role.MANAGER, "Ірина Савчук"),
    DemoLogin("manager3@demo.crm", Role.MANAGER, "Богдан Ґудзь"),
)
#: A customer login for the personal account, linked to the first demo customer, whose
#: loans show each state (crm.demo.tables.SHOWCASE_LOANS).
CUSTOMER_LOGIN_EMAIL = "customer@demo.crm"
DEMO_LOGIN_EMAILS = (ADMIN.email, *(m.email for m in MANAGERS), CUSTOMER_LOGIN_EMAIL)


class DemoAlreadyLoaded(Exception):
    """The database already has demo logins or products; loading again would duplicate them."""

    def __init__(self, message: str, *, demo_logins_present: bool) -> None:
        super().__init__(message)
        self.demo_logins_present = demo_logins_present

    def describe(self) -> str:
        if self.demo_logins_present:
            return f"{self}\n{logins_text()}"
        return str(self)


def logins_text() -> str:
    """How to log in to the demo, as printed after `demo load`."""
    lines = [_("Demo logins (password %(password)s):", password=DEMO_PASSWORD)]
    for login in (ADMIN, *MANAGERS):
        lines.append(f"  {login.role.value:<9}{login.email}")
    lines.append(f"  {Role.CUSTOMER.value:<9}{CUSTOMER_LOGIN_EMAIL}")
    return "\n".join(lines)


@dataclass
class DemoSummary:
    products: int
    inactive_products: int
    staff: int
    customers: int
    loans_by_status: Counter = field(default_factory=Counter)
    installments: int = 0
    payments: int = 0
    contacts: int = 0
    tasks: int = 0

    @property
    def loans(self) -> int:
        return sum(self.loans_by_status.values())

    def counts(self) -> dict[str, int]:
        """How many rows of each kind the load wrote, by name."""
        return {
            "products": self.products,
            "staff": self.staff,
            "customers": self.customers,
            "loans": self.loans,
            "installments": self.installments,
            "payments": self.payments,
            "contacts": self.contacts,
            "tasks": self.tasks,
        }

    def describe(self) -> str:
        by_status = ", ".join(
            f"{STATUS_LABELS[status]} {self.loans_by_status[status]:,}" for status in LoanStatus
        )
        return "\n".join(
            (
                _(
                    "Demo data loaded: %(products)s products (%(inactive)s inactive), "
                    "%(staff)s staff, %(customers)s customers, %(loans)s loans.",
                    products=self.products,
                    inactive=self.inactive_products,
                    staff=self.staff,
                    customers=f"{self.customers:,}",
                    loans=f"{self.loans:,}",
                ),
                _("Loans by status: %(counts)s.", counts=by_status),
                _(
                    "Started loans: %(installments)s installments, %(payments)s payments.",
                    installments=f"{self.installments:,}",
                    payments=f"{self.payments:,}",
                ),
                _(
                    "Overdue loans worked: %(contacts)s contacts logged, %(tasks)s open tasks.",
                    contacts=f"{self.contacts:,}",
                    tasks=f"{self.tasks:,}",
                ),
                logins_text(),
            )
        )


def check_not_loaded(session: Session) -> None:
    """Raise DemoAlreadyLoaded when demo logins or any products are already there."""
    present = session.scalars(
        select(User.email).where(User.email.in_(DEMO_LOGIN_EMAILS)).order_by(User.email)
    ).all()
    products = session.scalar(select(func.count()).select_from(Product))
    if present:
        found = ADMIN.email if ADMIN.email in present else present[0]
        raise DemoAlreadyLoaded(
            _("Demo data is already loaded: the login %(email)s exists.", email=found),
            demo_logins_present=ADMIN.email in present,
        )
    if products:
        raise DemoAlreadyLoaded(
            _(
                "Not loading demo data: the database already has products (%(count)s).",
                count=products,
            ),
            demo_logins_present=False,
        )


def load_demo(
    session: Session, customers: int = 200, *, now: datetime | None = None
) -> DemoSummary:
    """Add the demo products, staff, `customers` customers and about three loans each, the
    started ones with their schedules, payments and allocations.

    Refuses (DemoAlreadyLoaded) when demo logins or products already exist. Flushes, never
    commits. `now` fixes the moment the dates count back from (default: the current time).
    """
    check_not_loaded(session)
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    password_hash = _hash_once(DEMO_PASSWORD)
    start = now - HISTORY - timedelta(days=30)
    staff, products = _add_staff_and_products(session, start, password_hash)
    summary = DemoSummary(
        products=len(products),
        inactive_products=sum(not p.active for p in products),
        staff=len(staff),
        customers=customers,
    )
    # Ids are handed out here, so rows can point at each other without reading ids back.
    first_ids = {name: next_id(session, model) for name, model in OWN_ID_TABLES.items()}
    drawing = _Drawing(session, now, staff, products, first_ids)
    with bulk_page_cache(session):
        _add_customers_and_loans(session, drawing, customers, summary)
    if customers:
        _add_customer_login(session, first_ids["customer"], password_hash)
    session.flush()
    return summary


def _hash_once(password: str) -> str:
    # Hashing is slow on purpose; all demo logins share the password, so one hash serves them.
    user = User()
    user.set_password(password)
    return user.password_hash


def _add_staff_and_products(
    session: Session, start: datetime, password_hash: str
) -> tuple[list[User], list[Product]]:
    """The admin and the managers, and the products, all created at `start`; flushed."""
    staff = [
        User(
            email=login.email,
            role=login.role,
            full_name=login.full_name,
            password_hash=password_hash,
            created_at=start,
        )
        for login in (ADMIN, *MANAGERS)
    ]
    products = [Product(**spec, created_at=start) for spec in PRODUCTS]
    session.add_all([*staff, *products])
    session.flush()
    return staff, products


def _add_customers_and_loans(
    session: Session, drawing: _Drawing, customers: int, summary: DemoSummary
) -> None:
    """Insert the drawn rows a chunk at a time, each drawn in a second process while the one
    before goes in (crm.demo.ahead), counting them into `summary`; then move PostgreSQL's id
    sequences past the ids handed out."""
    connection = session.connection()
    starts = range(0, customers, CHUNK_SIZE)
    chunks = [range(start, min(start + CHUNK_SIZE, customers)) for start in starts]
    for chunk in made_ahead(partial(drawing.chunk, connection.dialect, customers), chunks):
        # Each table's parameters are let go once written: the chunk itself is still held
        # (here and in made_ahead) while the next one arrives.
        while chunk.inserts:
            connection.exec_driver_sql(*chunk.inserts.pop(0))
        summary.loans_by_status.update(chunk.loans_by_status)
        summary.installments += chunk.counts[Installment]
        summary.payments += chunk.counts[Payment]
        summary.contacts += chunk.counts[Interaction]
        summary.tasks += chunk.counts[Task]
    for model in OWN_ID_TABLES.values():
        advance_id_sequence(session, model)


def _add_customer_login(session: Session, customer_id: int, password_hash: str) -> None:
    first = session.get(Customer, customer_id)
    session.add(
        User(
            email=CUSTOMER_LOGIN_EMAIL,
            role=Role.CUSTOMER,
            full_name=f"{first.first_name} {first.last_name}",
            password_hash=password_hash,
            customer_id=customer_id,
            created_at=first.created_at,
        )
    )


def _taken_values(session: Session) -> dict[str, set[str]]:
    """Phones, e-mails and tax ids already in use, so that the demo never repeats one."""
    columns = {"phone": Customer.phone, "email": Customer.email, "tax_id": Customer.tax_id}
    return {
        name: set(session.scalars(select(column).where(column.is_not(None))))
        for name, column in columns.items()
    }


@dataclass(frozen=True)
class _DrawnChunk:
    """A chunk of customers as made in the second process: what goes to the database, and
    what the summary counts."""

    #: (INSERT statement, parameters of its executemany), each table after those it points at.
    inserts: list[tuple[str, list]]
    loans_by_status: Counter
    #: Rows by model.
    counts: dict[type, int]


class _Drawing:
    """The customers and loans of the load, drawn a chunk at a time, with the started loans'
    installments, payments and allocations, every row with its id."""

    def __init__(
        self,
        session: Session,
        now: datetime,
        staff: list[User],
        products: list[Product],
        first_ids: dict[str, int],
    ) -> None:
        managers = [user.id for user in staff if user.role is Role.MANAGER]
        self.generator = CustomerGenerator(
            now,
            products,
            managers=managers,
            deciders=[*managers, staff[0].id],
            taken=_taken_values(session),
        )
        self.servicer = Servicer(now, first_ids)
        self.follow_ups = FollowUpDrawer(now)
        self.methods = {product.id: product.repayment_method for product in products}
        self.first_customer_id = first_ids["customer"]
        self.loan_ids = count(first_ids["loan"])

    def rows(self, numbers: range, total: int) -> dict[type, list[dict]]:
        """The rows of the customers numbered `numbers` of `total`, by model, in the order
        they are inserted: each table after those it points at."""
        customer_rows, loan_rows = [], []
        for n in numbers:
            row, loans = self.generator.customer(self.first_customer_id + n, n, total)
            customer_rows.append(row)
            for loan in loans:
                loan["id"] = next(self.loan_ids)
                self._service(loan, row["manager_id"], showcase=n == 0)
                self.follow_ups.follow_up(loan, row["manager_id"])
            loan_rows.extend(loans)
        installment_rows, payment_rows, allocation_rows = self.servicer.take()
        interaction_rows, task_rows = self.follow_ups.take()
        return {
            Customer: customer_rows,
            CustomerSearchTerm: [
                term for row in customer_rows for term in term_rows(row["id"], row)
            ],
            Loan: loan_rows,
            Installment: installment_rows,
            Payment: payment_rows,
            PaymentAllocation: allocation_rows,
            Interaction: interaction_rows,
            Task: task_rows,
        }

    def chunk(self, dialect: Dialect, total: int, numbers: range) -> _DrawnChunk:
        """The INSERTs of the customers numbered `numbers` of `total`, ready for the driver,
        and the counts the summary takes from them."""
        rows = self.rows(numbers, total)
        chunk = _DrawnChunk(
            inserts=[],
            loans_by_status=Counter(row["status"] for row in rows[Loan]),
            counts={model: len(model_rows) for model, model_rows in rows.items()},
        )
        # Each table's rows are let go once converted, instead of staying until the whole
        # chunk's parameters are made (on PostgreSQL they are dicts as large as the rows).
        for model in list(rows):
            if model_rows := rows.pop(model):
                chunk.inserts.append(bulk_statement(dialect, model, model_rows))
        return chunk

    def _service(self, loan: dict, manager_id: int | None, *, showcase: bool) -> None:
        if loan["disbursed_on"] is None:
            loan["principal_outstanding"] = ZERO
            loan["oldest_unpaid_due_on"] = None
        else:
            method = self.methods[loan["product_id"]]
            self.servicer.service(loan, method, manager_id, showcase=showcase)
