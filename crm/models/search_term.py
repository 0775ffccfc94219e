"""The words a customer is found by, one row each, indexed for prefix lookups.

The staff search (crm/customers/queries.py customer_matches) looks each typed word up as a
range of this index (`term >= 'ков' AND term < 'ков\\uffff'`), which both databases answer
from a plain b-tree, where `LIKE '%ков%'` over every customer's text is a full scan. A term
starts with its kind, so that a name never matches a phone number or an e-mail:

- `n:` each word of the name, case-folded, with one apostrophe for the three people type;
- `p:` every ending of at least MIN_PHONE_DIGITS digits of the phone without +380, so that
  any run of that many digits is the beginning of one of them;
- `e:` the whole e-mail, case-folded (an e-mail is looked up exactly).

A mapper event keeps the rows in step with the customer on every insert and update, so the
site, the admin, the CLI and the imports keep them; bulk inserts (crm/demo/) write them too.
Deleting a customer deletes its rows (ON DELETE CASCADE).
"""

import re

from sqlalchemy import ForeignKey, Index, String, delete, event, insert, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column, object_session

from crm.models.base import Base
from crm.models.customer import MAX_NAME, Customer
from crm.models.sorting import APOSTROPHES

NAME, PHONE, EMAIL = "n:", "p:", "e:"
#: The fewest digits looked up as part of a phone: fewer match too many numbers to be useful.
MIN_PHONE_DIGITS = 5
#: Ukraine's country code: numbers are looked up by the digits after it.
COUNTRY_CODE = "380"
#: The e-mail column's length and its kind.
MAX_TERM = 256
#: Name words are split where people split them: spaces and the hyphen of a double name.
WORD_BREAK = re.compile(r"[\s\-]+")
APOSTROPHE = re.compile(f"[{APOSTROPHES}]")
#: The key in Session.info of the terms of the customers the flush under way inserts: written
#: together once its statements are done, one INSERT for a chunk of imported customers
#: (crm/imports/) instead of one for each.
PENDING = "crm.search_terms_pending"
#: What the customer's terms are made of; an update of anything else leaves them.
SOURCE_COLUMNS = ("last_name", "first_name", "patronymic", "phone", "email")


class CustomerSearchTerm(Base):
    __tablename__ = "customer_search_terms"
    __table_args__ = (Index("ix_customer_search_terms_term", "term", "customer_id"),)

    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True
    )
    #: Byte order on PostgreSQL too: a range of a language's collation may skip prefixes.
    term: Mapped[str] = mapped_column(
        String(MAX_TERM).with_variant(String(MAX_TERM, collation="C"), "postgresql"),
        primary_key=True,
    )


def name_words(text: str) -> list[str]:
    """The words of a name (or of a search), case-folded, each apostrophe made the ASCII one."""
    folded = APOSTROPHE.sub("'", text.casefold())
    return [word[:MAX_NAME] for word in WORD_BREAK.split(folded) if word]


def national_digits(digits: str) -> str:
    """A Ukrainian number's digits after +380; other countries' numbers stay whole."""
    return digits.removeprefix(COUNTRY_CODE)


def customer_terms(
    last_name: str, first_name: str, patronymic: str | None, phone: str, email: str | None
) -> set[str]:
    """Every term a customer with these details is found by."""
    words = name_words(" ".join(part for part in (last_name, first_name, patronymic) if part))
    terms = {NAME + word for word in words}
    number = national_digits("".join(c for c in phone or "" if c.isdigit()))
    terms.update(PHONE + number[start:] for start in range(len(number) - MIN_PHONE_DIGITS + 1))
    if email:
        terms.add(EMAIL + email.casefold())
    return {term[:MAX_TERM] for term in terms}


def term_rows(customer_id: int, row: dict) -> list[dict]:
    """The search term rows of a customer given as a dict of its columns (bulk inserts)."""
    terms = customer_terms(*(row.get(column) for column in SOURCE_COLUMNS))
    return [{"customer_id": customer_id, "term": term} for term in sorted(terms)]


def _write_terms(connection, customer: Customer) -> None:
    values = {column: getattr(customer, column) for column in SOURCE_COLUMNS}
    rows = term_rows(customer.id, values)
    if rows:
        connection.execute(insert(CustomerSearchTerm.__table__), rows)


@event.listens_for(Customer, "after_insert")
def _add_terms(_mapper, connection, customer: Customer) -> None:
    session = object_session(customer)
    if session is None:
        _write_terms(connection, customer)
        return
    values = {column: getattr(customer, column) for column in SOURCE_COLUMNS}
    session.info.setdefault(PENDING, []).extend(term_rows(customer.id, values))


@event.listens_for(Session, "after_flush")
def _write_pending_terms(session: Session, _flush_context) -> None:
    rows = session.info.pop(PENDING, None)
    if rows:
        session.connection().execute(insert(CustomerSearchTerm.__table__), rows)


@event.listens_for(Session, "before_flush")
def _forget_failed_flush(session: Session, _flush_context, _instances) -> None:
    # The terms of a flush that failed half-way went with it.
    session.info.pop(PENDING, None)


@event.listens_for(Customer, "after_update")
def _replace_terms(_mapper, connection, customer: Customer) -> None:
    state = inspect(customer)
    if not any(state.attrs[column].history.has_changes() for column in SOURCE_COLUMNS):
        return
    table = CustomerSearchTerm.__table__
    connection.execute(delete(table).where(table.c.customer_id == customer.id))
    _write_terms(connection, customer)
