"""Reading customers: search, sorting, counts."""

import re

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload

from crm.models import Customer
from crm.models.customer import NAME_ORDER
from crm.models.sorting import APOSTROPHES

#: Longer input is cut; nobody types more into a search box, and LIKE patterns cost per char.
MAX_QUERY_LENGTH = 100
MAX_TERMS = 5
#: Digits with the separators people type in a phone number: "+38 (050) 123-45-67".
PHONE_LIKE = re.compile(r"^\+?[\d\s().-]*\d[\d\s().-]*$")
PHONE_SEPARATORS = re.compile(r"[\s().-]")
#: Ukrainian names are typed with any of three apostrophes: ' (keyboard), ’ and ʼ.
APOSTROPHE = re.compile(f"[{APOSTROPHES}]")

#: ?sort= values; the leading minus means descending. The name sorts are NAME_ORDER exactly,
#: all in one direction, so that ix_customers_name_order serves both.
SORTS = {
    "name": NAME_ORDER,
    "-name": tuple(column.desc() for column in NAME_ORDER),
    "created": (Customer.created_at, Customer.id),
    "-created": (Customer.created_at.desc(), Customer.id.desc()),
}
DEFAULT_SORT = "-created"


def sort_key(value: str | None) -> str:
    """The ?sort= value if it is one we know, otherwise the default (newest first)."""
    return value if value in SORTS else DEFAULT_SORT


def search_terms(query: str | None) -> list[str]:
    """The case-folded words that a customer's search text must all contain.

    Phones are stored as +380501234567, so a number typed with spaces, dashes or brackets
    ("050 123-45-67") becomes one term without them, which is a substring of the stored one.
    """
    # PostgreSQL refuses NUL in a string parameter; it is never part of a real search.
    text = (query or "").replace("\x00", "")[:MAX_QUERY_LENGTH].strip()
    if not text:
        return []
    if PHONE_LIKE.match(text):
        return [PHONE_SEPARATORS.sub("", text)]
    return text.casefold().split()[:MAX_TERMS]


def any_apostrophe(pattern: str) -> str:
    """A LIKE pattern in which each apostrophe matches whichever of the three was stored."""
    return APOSTROPHE.sub("_", pattern)


def _contains(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{any_apostrophe(escaped)}%"


def search_customers(
    query: str | None = None, sort: str = DEFAULT_SORT, *, manager_id: int | None = None
) -> Select:
    """Customers matching every word of `query` in name, phone, e-mail or tax id, sorted;
    with `manager_id`, only the customers that staff member manages."""
    statement = select(Customer).options(joinedload(Customer.manager))
    if manager_id is not None:
        statement = statement.where(Customer.manager_id == manager_id)
    for term in search_terms(query):
        statement = statement.where(Customer.search_text.like(_contains(term), escape="\\"))
    return statement.order_by(*SORTS[sort_key(sort)])


def customer_count(session: Session, *, manager_id: int | None = None) -> int:
    """How many customers there are; with `manager_id`, how many that staff member manages."""
    statement = select(func.count()).select_from(Customer)
    if manager_id is not None:
        statement = statement.where(Customer.manager_id == manager_id)
    return session.scalar(statement)


def latest_customers(session: Session, limit: int) -> list[Customer]:
    statement = select(Customer).order_by(*SORTS[DEFAULT_SORT]).limit(limit)
    return list(session.scalars(statement))


def customer_detail_options() -> list:
    """What the card shows with the customer: the manager, and the login (crm.links.queries)."""
    return [joinedload(Customer.manager), joinedload(Customer.login)]
