"""Customers from a file, each row through the services the staff's forms use
(crm.customers.services): the same checks, the same messages, the same audit trail.

A row is keyed by its tax id, else its e-mail, else its phone. A row whose key is a
customer's already updates that customer with the row's non-empty cells (a cell left empty
never erases what the CRM knows), or leaves them as they are when nothing differs; any other
row adds a customer. A row whose tax id, e-mail or phone is another customer's is refused as
a duplicate of that customer, and so is a row with the key, tax id, e-mail or phone of an
earlier row of the same file: re-running a file adds nobody twice.
"""

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crm.customers.services import (
    CUSTOMER_FIELDS,
    clean_customer_data,
    create_customer,
    update_customer,
)
from crm.imports.services.fields import CUSTOMER_FIELDS as IMPORT_FIELDS
from crm.imports.services.outcomes import RowOutcome, refusal
from crm.imports.services.settings import ImportSettings
from crm.imports.services.values import read_day
from crm.models import Customer, ImportOutcome
from crm.models.customer import person_name
from crm.validation import FieldError, clean_tax_id, normalise_email, normalise_phone

#: The details a customer is found by, in the order a row's key is chosen.
KEYS = ("tax_id", "email", "phone")
#: The fields compared to tell an update from a row that changes nothing; the manager is
#: never in a file, so an import never changes it.
COMPARED = tuple(name for name in CUSTOMER_FIELDS if name != "manager")
LABELS = {field.name: field.label for field in IMPORT_FIELDS}


@dataclass(frozen=True)
class CustomerRow:
    """A row read: its number, its non-empty values (the birth date as a date), the tax
    id, e-mail and phone it gives as the CRM stores them, and the name it gives."""

    number: int
    values: dict[str, Any]
    details: dict[str, str]
    name: str

    @property
    def key(self) -> tuple[str, str] | None:
        return next(((name, self.details[name]) for name in KEYS if name in self.details), None)


class Customers:
    """The customers a chunk's rows may be, read in one query, by each of KEYS."""

    def __init__(self, session: Session, rows: list[CustomerRow]) -> None:
        self.by_detail: dict[tuple[str, str], Customer] = {}
        wanted = {name: {row.details[name] for row in rows if name in row.details} for name in KEYS}
        conditions = [
            getattr(Customer, name).in_(sorted(values)) for name, values in wanted.items() if values
        ]
        if not conditions:
            return
        for customer in session.scalars(
            select(Customer).where(or_(*conditions)).order_by(Customer.id)
        ):
            for name in KEYS:
                value = getattr(customer, name)
                if value in wanted[name]:
                    # Phones are not unique in old data: the oldest customer with one stands for it.
                    self.by_detail.setdefault((name, value), customer)

    def keyed_by(self, row: CustomerRow) -> Customer | None:
        return self.by_detail.get(row.key) if row.key else None


class CustomerImporter:
    """Imports the rows of one file, a chunk at a time (crm.imports.services.run)."""

    def __init__(self, session: Session, settings: ImportSettings) -> None:
        self.session = session
        self.settings = settings
        #: (detail, value) → the row of this file that took it (added, updated or found it).
        self.taken: dict[tuple[str, str], int] = {}

    def import_chunk(self, rows: list[tuple[int, dict[str, str]]]) -> list[RowOutcome]:
        read = [self._read(number, data) for number, data in rows]
        found = Customers(self.session, [row for row in read if isinstance(row, CustomerRow)])
        return [row if isinstance(row, RowOutcome) else self._import(row, found) for row in read]

    def _read(self, number: int, data: dict[str, str]) -> CustomerRow | RowOutcome:
        values: dict[str, Any] = {name: text.strip() for name, text in data.items() if text.strip()}
        name = person_name(
            values.get("last_name", ""), values.get("first_name", ""), values.get("patronymic")
        )
        try:
            if "birth_date" in values:
                values["birth_date"] = read_day(values["birth_date"], "birth_date")
            details = {
                "tax_id": clean_tax_id(values.get("tax_id")),
                "email": normalise_email(values.get("email")),
                # A row keyed otherwise may leave the phone to what the CRM has.
                "phone": normalise_phone(values["phone"], "phone", self.settings.region)
                if "phone" in values
                else None,
            }
        except FieldError as error:
            return refusal(number, error, LABELS, name)
        return CustomerRow(number, values, {k: v for k, v in details.items() if v}, name)

    def _import(self, row: CustomerRow, found: Customers) -> RowOutcome:
        earlier = self._taken_by_earlier_row(row)
        if earlier is not None:
            return earlier
        customer = found.keyed_by(row)
        try:
            if customer is None:
                outcome, customer = self._create(row)
            else:
                outcome = self._update(row, customer)
        except FieldError as error:
            return refusal(row.number, error, LABELS, row.name)
        except IntegrityError:
            # Another writer saved the same tax id or e-mail between the check and the insert.
            error = FieldError(
                "", _("Another record with the same unique value was saved at the same moment.")
            )
            return refusal(row.number, error, LABELS, row.name)
        for name in KEYS:
            value = getattr(customer, name)
            if value:
                self.taken.setdefault((name, value), row.number)
        return RowOutcome(row.number, outcome, customer.id, customer.full_name)

    def _taken_by_earlier_row(self, row: CustomerRow) -> RowOutcome | None:
        for name, value in row.details.items():
            earlier = self.taken.get((name, value))
            if earlier is not None:
                message = _("The same as in row %(row)d of this file.", row=earlier)
                return refusal(row.number, FieldError(name, message), LABELS, row.name)
        return None

    def _create(self, row: CustomerRow) -> tuple[ImportOutcome, Customer]:
        with self.session.begin_nested():
            customer = create_customer(
                self.session, {**row.values, "manager": None}, **self._checks()
            )
        return ImportOutcome.CREATED, customer

    def _update(self, row: CustomerRow, customer: Customer) -> ImportOutcome:
        values = {**{name: getattr(customer, name) for name in CUSTOMER_FIELDS}, **row.values}
        cleaned = clean_customer_data(self.session, {**values, "manager": None}, **self._checks())
        if all(cleaned[name] == getattr(customer, name) for name in COMPARED):
            return ImportOutcome.UNCHANGED
        with self.session.begin_nested():
            update_customer(self.session, customer, values, **self._checks())
        return ImportOutcome.UPDATED

    def _checks(self) -> dict[str, Any]:
        return {"region": self.settings.region, "today": self.settings.today}
