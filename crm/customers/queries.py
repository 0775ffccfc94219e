"""Reading customers: search, sorting, counts."""

import re

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    ScalarSelect,
    Select,
    and_,
    false,
    func,
    intersect,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session, aliased, joinedload

from crm.models import Customer
from crm.models.customer import NAME_ORDER
from crm.models.lookups import looked_up_in, rows_looked_up_late, tested_in_order
from crm.models.search_term import (
    EMAIL,
    MIN_PHONE_DIGITS,
    NAME,
    PHONE,
    CustomerSearchTerm,
    name_words,
    national_digits,
)
from crm.models.sorting import APOSTROPHES

#: Longer input is cut; nobody types more into a search box.
MAX_QUERY_LENGTH = 100
#: Words of a search that must all match; more narrow nothing down.
MAX_TERMS = 5
#: Digits with the separators people type in a phone number: "+38 (050) 123-45-67".
PHONE_LIKE = re.compile(r"^\+?[\d\s().-]*\d[\d\s().-]*$")
NOT_DIGITS = re.compile(r"\D")
PHONE_SEPARATORS = re.compile(r"[\s().-]")
#: Ukrainian names are typed with any of three apostrophes: ' (keyboard), ’ and ʼ.
APOSTROPHE = re.compile(f"[{APOSTROPHES}]")
#: RNOKPP, the tax id: exactly this many digits.
TAX_ID_DIGITS = 10
#: Above every character a term holds: `term < prefix + AFTER_ALL` ends a prefix's range.
AFTER_ALL = "\uffff"

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


def clean_query(query: str | None) -> str:
    """The search as typed, without what no search holds, cut to MAX_QUERY_LENGTH."""
    # PostgreSQL refuses NUL in a string parameter; it is never part of a real search.
    return (query or "").replace("\x00", "")[:MAX_QUERY_LENGTH].strip()


def search_words(query: str | None) -> list[str]:
    """The words of a search; a phone number typed with spaces, dashes or brackets
    ("+38 (050) 123-45-67") is one word of its digits."""
    text = clean_query(query)
    if PHONE_LIKE.match(text):
        return [NOT_DIGITS.sub("", text)]
    return text.split()


def customer_matches(query: str | None, *, looked_up: bool = True) -> list[ColumnElement[bool]]:
    """Conditions on Customer that all hold for the customers a search finds; none for an
    empty search.

    Each word is a prefix of a word of the name (any case, any apostrophe, any order), part
    of the phone of at least MIN_PHONE_DIGITS digits typed any usual way, the start of the
    e-mail (any case: "olena.k" as a picker is typed) or the whole tax id. Each is a range of
    ix_customer_search_terms_term or the tax id's unique index, never a scan of the customers.
    The customers every word finds are then looked up by their ids (looked_up_in), unless
    `looked_up` is False: then each word is tested_in_order, for search_customers' `in_order`.
    """
    owners = [_owners(word) for word in search_words(query)[:MAX_TERMS]]
    if not owners:
        return []
    if any(found is None for found in owners):
        return [false()]
    if not looked_up:
        return [tested_in_order(Customer.id, found.scalar_subquery()) for found in owners]
    return [looked_up_in(Customer.id, _found_by_every_word(owners).scalar_subquery())]


def customer_ids_found(query: str | None) -> ScalarSelect | None:
    """The ids of the customers a search finds (customer_matches), read from the search's
    indexes alone, for a list of what those customers own (their loans), which then need not
    read the customers themselves: a surname's 1 600 customers looked up by id cost
    PostgreSQL 2–3 ms each time a page's statements named them. None for an empty search."""
    owners = [_owners(word) for word in search_words(query)[:MAX_TERMS]]
    if not owners:
        return None
    if any(found is None for found in owners):
        return select(Customer.id).where(false()).scalar_subquery()
    return _found_by_every_word(owners).scalar_subquery()


def _found_by_every_word(owners: list[Select | CompoundSelect]) -> Select | CompoundSelect:
    """The ids every word's owners hold, in one statement: a second `= ANY(ARRAY(…))` would
    be a filter reading its whole array for every customer the first finds."""
    return intersect(*map(_selected, owners)) if len(owners) > 1 else owners[0]


def _selected(owners: Select | CompoundSelect) -> Select:
    """The ids as a plain SELECT, which SQLite takes as a part of an INTERSECT (it refuses a
    UNION in brackets there)."""
    ids = owners.subquery()
    return select(*ids.c)


def _owners(word: str) -> Select | CompoundSelect | None:
    """The ids of the customers a word of a search finds; None when it cannot find any."""
    email = _prefix(EMAIL + word.casefold())
    if "@" in word:
        return _term_owners(email)
    if word.isascii() and word.isdigit():
        return _digit_owners(word)
    return _name_or_email_owners(name_words(word), email)


def _name_or_email_owners(parts: list[str], email: ColumnElement[bool]) -> Select | CompoundSelect:
    """Every part a prefix of a word of the name, or `email` the start of the e-mail.

    A UNION for one IN, as _digit_owners() makes: PostgreSQL cannot plan an OR of two INs but
    as a test of every customer against both (at 100 000 customers 60 ms for a search that
    finds no one, 240 ms for the loans list's search by a surname; 1–2 ms and 40 ms this way).
    UNION ALL, as every use of these ids is an IN or a part of an INTERSECT, which ignore a
    customer found twice: removing them first cost SQLite ~1 ms for ?q=ко's 8 048.
    """
    if not parts:
        return _term_owners(email)
    named = [_term_owners(_prefix(NAME + part)) for part in parts]
    named = intersect(*named) if len(named) > 1 else named[0]
    return union_all(named, _term_owners(email))


def _prefix(prefix: str) -> ColumnElement[bool]:
    term = CustomerSearchTerm.term
    return and_(term >= prefix, term < prefix + AFTER_ALL)


def _term_owners(*conditions: ColumnElement[bool]) -> Select:
    return select(CustomerSearchTerm.customer_id).where(or_(*conditions))


def _digit_owners(digits: str) -> Select | CompoundSelect | None:
    """A tax id, or part of a phone typed with or without +380, 380 or the leading 0.

    A UNION, not an OR of two conditions: PostgreSQL plans an OR of an IN and an equality as a
    filter over every customer (or every loan, in the loans list)."""
    numbers = {digits, national_digits(digits), digits.removeprefix("0")}
    ranges = [
        _prefix(PHONE + number) for number in sorted(numbers) if len(number) >= MIN_PHONE_DIGITS
    ]
    owners = [_term_owners(*ranges)] if ranges else []
    if len(digits) == TAX_ID_DIGITS:
        taxpayer = aliased(Customer)
        owners.append(select(taxpayer.id).where(taxpayer.tax_id == digits))
    if not owners:
        return None
    return union_all(*owners) if len(owners) > 1 else owners[0]


def search_terms(query: str | None) -> list[str]:
    """The case-folded words that the admin's LIKE search over Customer.search_text looks for
    (crm/admin/base.py); the staff site's search is customer_matches.

    Phones are stored as +380501234567, so a number typed with spaces, dashes or brackets
    ("050 123-45-67") becomes one term without them, which is a substring of the stored one.
    """
    text = clean_query(query)
    if not text:
        return []
    if PHONE_LIKE.match(text):
        return [PHONE_SEPARATORS.sub("", text)]
    return text.casefold().split()[:MAX_TERMS]


def any_apostrophe(pattern: str) -> str:
    """A LIKE pattern in which each apostrophe matches whichever of the three was stored."""
    return APOSTROPHE.sub("_", pattern)


#: The longest search that finds thousands of customers at 100 000 (ко: 8 000): one or two
#: letters of a name. Longer ones find few (Гребенюк: 1 600, most far fewer).
SHORT_SEARCH = 2


def finds_many(query: str | None) -> bool:
    """Whether `query` is a name search so short that it finds thousands of customers: the
    first few of those come quicker in name order (search_customers' `in_order`) than by
    sorting them all, while for a longer one reading in order would walk far (every customer
    for a search that finds no one)."""
    words = search_words(query)
    return len(words) == 1 and len(words[0]) <= SHORT_SEARCH and not words[0].isdigit()


def search_customers(
    query: str | None = None,
    sort: str = DEFAULT_SORT,
    *,
    manager_id: int | None = None,
    in_order: bool = False,
) -> Select:
    """Customers the search `query` finds (customer_matches), sorted; with `manager_id`,
    only the customers that staff member manages.

    `in_order`: read the customers in the sort's order and test each against the search, for
    the first few of a search that finds thousands (finds_many), as the navbar shows them. Each
    condition is then tested_in_order, which neither database turns into index lookups of
    the matches: SQLite walks ix_customers_name_order instead of sorting the matches through
    the Python collation, PostgreSQL walks it testing a hash of them (?q=ко at 100 000
    customers: SQLite 19 → 16 ms, PostgreSQL 60 → 31 ms). Not for a page that also counts
    them, which would test every customer.
    """
    statement = select(Customer).options(joinedload(Customer.manager))
    if manager_id is not None:
        statement = statement.where(Customer.manager_id == manager_id)
    matches = customer_matches(query, looked_up=not in_order)
    return statement.where(*matches).order_by(*SORTS[sort_key(sort)])


def first_found(session: Session, query: str, *, size: int, offset: int = 0) -> list[Customer]:
    """Customers `offset` to `offset + size` that `query` finds, by name: what the navbar's
    search and the admin's customer picker show as it is typed."""
    statement = search_customers(query, "name", in_order=finds_many(query))
    return list(session.scalars(rows_looked_up_late(session, statement, size=size, offset=offset)))


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
