"""Customers from a file, each row checked by the customer services' own checks
(crm.customers.services: clean_customer_data, and check_not_taken's messages) and written
by their add_customer and change_customer: the same rules, messages and audit trail as the
staff's forms, the admin and the account. Only the look-ups are the import's own: the
customers a chunk of rows may be are read in one query, not three queries a row.

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
    UNIQUE_DETAILS,
    add_customer,
    change_customer,
    clean_customer_data,
)
from crm.imports.services.fields import CUSTOMER_FIELDS as IMPORT_FIELDS
from crm.imports.services.outcomes import RowOutcome, refusal
from crm.imports.services.settings import ImportSettings
from crm.imports.services.values import read_day
from crm.models import Customer, ImportOutcome
from crm.models.customer import person_name
from crm.validation import (
    FieldError,
    TakenError,
    clean_tax_id,
    normalise_email,
    normalise_phone,
)

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
        self.by_id: dict[int, Customer] = {}
        wanted = {name: {row.details[name] for row in rows if name in row.details} for name in KEYS}
        conditions = [
            getattr(Customer, name).in_(sorted(values)) for name, values in wanted.items() if values
        ]
        if not conditions:
            return
        for customer in session.scalars(
            select(Customer).where(or_(*conditions)).order_by(Customer.id)
        ):
            self.by_id[customer.id] = customer
            for name in KEYS:
                value = getattr(customer, name)
                if value in wanted[name]:
                    # Phones are not unique in old data: the oldest customer with one stands for it.
                    self.by_detail.setdefault((name, value), customer)

    def keyed_by(self, row: CustomerRow) -> Customer | None:
        return self.by_detail.get(row.key) if row.key else None

    def check_not_taken(self, cleaned: dict[str, Any], customer: Customer | None = None) -> None:
        """crm.customers.services.check_not_taken, answered from the chunk's customers
        instead of three queries a row: TakenError when another customer than `customer`
        has the tax id, e-mail or phone in `cleaned`. (The customers earlier rows of the
        file added are the importer's to find: CustomerImporter.taken.)"""
        for name, (_column, message) in UNIQUE_DETAILS.items():
            holder = self.by_detail.get((name, cleaned.get(name)))
            if holder is not None and holder is not customer:
                raise TakenError(name, str(message), holder.id)


@dataclass(frozen=True)
class Decided:
    """A row whose customer is added, changed or found unchanged, to be flushed."""

    number: int
    outcome: ImportOutcome
    customer: Customer

    def done(self) -> RowOutcome:
        return RowOutcome(self.number, self.outcome, self.customer.id, self.customer.full_name)


class CustomerImporter:
    """Imports the rows of one file, a chunk at a time (crm.imports.services.run).

    A chunk's new and changed customers are flushed together: one INSERT for the new ones
    (and one for their audit events) instead of one round of statements per row. When that
    flush fails (another writer saved one of the chunk's tax ids or e-mails meanwhile), the
    chunk is written again a row at a time, each row in a savepoint, so that only that row
    is refused.
    """

    def __init__(self, session: Session, settings: ImportSettings) -> None:
        self.session = session
        self.settings = settings
        #: (detail, value) → the row of this file whose customer has it.
        self.taken: dict[tuple[str, str], int] = {}

    def import_chunk(self, rows: list[tuple[int, dict[str, str]]]) -> list[RowOutcome]:
        read = [self._read(number, data) for number, data in rows]
        found = Customers(self.session, [row for row in read if isinstance(row, CustomerRow)])
        try:
            with self.session.begin_nested():
                decided, taken = self._decide_all(read, found)
                self.session.flush()
        except IntegrityError:
            decided, taken = self._decide_one_by_one(read, found)
        self.taken = taken
        return [item.done() if isinstance(item, Decided) else item for item in decided]

    def _decide_all(self, read: list, found: Customers) -> tuple[list, dict]:
        # The chunk's rows take their details only once they are written.
        taken = dict(self.taken)
        with self.session.no_autoflush:
            decided = [
                row if isinstance(row, RowOutcome) else self._decide(row, found, taken)
                for row in read
            ]
        return decided, taken

    def _decide_one_by_one(self, read: list, found: Customers) -> tuple[list, dict]:
        taken = dict(self.taken)
        decided = []
        for row in read:
            if isinstance(row, RowOutcome):
                decided.append(row)
                continue
            attempt = dict(taken)
            try:
                with self.session.begin_nested():
                    item = self._decide(row, found, attempt)
                    self.session.flush()
            except IntegrityError:
                message = _(
                    "Another record with the same unique value was saved at the same moment."
                )
                item = refusal(row.number, FieldError("", message), LABELS, row.name)
            else:
                taken = attempt
            decided.append(item)
        return decided, taken

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
                # Called as clean_customer_data calls them, whose calls then find the
                # results remembered (crm.validation.NORMALISED_KEPT).
                "email": normalise_email(values.get("email"), "email"),
                # A row keyed otherwise may leave the phone to what the CRM has.
                "phone": normalise_phone(values["phone"], "phone", self.settings.region)
                if "phone" in values
                else None,
            }
        except FieldError as error:
            return refusal(number, error, LABELS, name)
        return CustomerRow(number, values, {k: v for k, v in details.items() if v}, name)

    def _decide(self, row: CustomerRow, found: Customers, taken: dict) -> Decided | RowOutcome:
        """What the row does, done in the session but not flushed; `taken` gets the details
        of its customer."""
        for name, value in row.details.items():
            earlier = taken.get((name, value))
            if earlier is not None:
                message = _("The same as in row %(row)d of this file.", row=earlier)
                return refusal(row.number, FieldError(name, message), LABELS, row.name)
        customer = found.keyed_by(row)
        try:
            if customer is None:
                outcome, customer = self._add(row, found)
            else:
                outcome = self._change(row, customer, found)
        except FieldError as error:
            other = found.by_id.get(getattr(error, "record_id", None))
            other_name = other.full_name if other is not None else ""
            return refusal(row.number, error, LABELS, row.name, other_name)
        for name in KEYS:
            value = getattr(customer, name)
            if value:
                taken.setdefault((name, value), row.number)
        return Decided(row.number, outcome, customer)

    def _add(self, row: CustomerRow, found: Customers) -> tuple[ImportOutcome, Customer]:
        cleaned = self._clean({**row.values, "manager": None})
        found.check_not_taken(cleaned)
        return ImportOutcome.CREATED, add_customer(self.session, cleaned)

    def _change(self, row: CustomerRow, customer: Customer, found: Customers) -> ImportOutcome:
        # An import never changes the manager: the file has no such column.
        cleaned = self._clean(
            {**{name: getattr(customer, name) for name in COMPARED}, **row.values}
        )
        details = {name: cleaned[name] for name in COMPARED}
        if all(value == getattr(customer, name) for name, value in details.items()):
            return ImportOutcome.UNCHANGED
        found.check_not_taken(details, customer)
        change_customer(customer, details)
        return ImportOutcome.UPDATED

    def _clean(self, values: dict[str, Any]) -> dict[str, Any]:
        return clean_customer_data(
            self.session, values, region=self.settings.region, today=self.settings.today
        )
