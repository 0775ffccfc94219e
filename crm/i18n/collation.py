"""Sorting names in Ukrainian alphabetical order on SQLite and PostgreSQL.

Neither database sorts Cyrillic this way by default: SQLite compares code points (which
puts Є, І, Ї and Ґ after Я), and PostgreSQL follows the database's collation, often C or
en_US. `ukrainian_order(column)` is an expression to ORDER BY that compiles, per dialect, to
the collation registered on each SQLite connection (see crm/__init__.py) or to
PostgreSQL's ICU collation for Ukrainian.
"""

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

#: The Ukrainian alphabet in dictionary order (the soft sign comes before ю and я).
ALPHABET = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"
RANK = {letter: number for number, letter in enumerate(ALPHABET)}
#: ASCII apostrophe, right single quotation mark and modifier letter apostrophe: dictionaries
#: ignore the apostrophe when sorting (Дем'янчук sorts as Демянчук).
APOSTROPHES = "'\u2019\u02bc"
_DROP_APOSTROPHES = str.maketrans("", "", APOSTROPHES)

#: The name the SQLite collation is registered under.
SQLITE_COLLATION = "uk"
#: ICU's Ukrainian collation, which PostgreSQL builds with ICU (Debian's packages do) have.
POSTGRESQL_COLLATION = "uk-x-icu"


def sort_key(text: str) -> tuple:
    """Case-insensitive Ukrainian order; apostrophes ignored; digits before letters, and
    letters of other alphabets (Latin) after Ukrainian ones, as ICU's Ukrainian collation does.

    Ties on the letters are broken by the exact text, so that only equal texts compare equal.
    """
    folded = text.translate(_DROP_APOSTROPHES).casefold()
    primary = tuple(_weight(char) for char in folded)
    return primary, text


def _weight(char: str) -> tuple[int, int]:
    if char in RANK:
        return 2, RANK[char]
    if char.isdigit():
        return 1, ord(char)
    if char.isalpha():
        return 3, ord(char)
    # Spaces, hyphens and other marks come first, as in ICU.
    return 0, ord(char)


def sqlite_collation(left: str, right: str) -> int:
    """The comparison function sqlite3's create_collation() wants: -1, 0 or 1."""
    a, b = sort_key(left), sort_key(right)
    return (a > b) - (a < b)


class ukrainian_order(FunctionElement):
    """`ukrainian_order(Customer.last_name)` sorts that column in Ukrainian order."""

    type = String()
    inherit_cache = True
    name = "ukrainian_order"


@compiles(ukrainian_order)
def _plain(element, compiler, **kw) -> str:
    # Other databases sort by their own collation.
    return compiler.process(element.clauses, **kw)


@compiles(ukrainian_order, "sqlite")
def _sqlite(element, compiler, **kw) -> str:
    return f"{compiler.process(element.clauses, **kw)} COLLATE {SQLITE_COLLATION}"


@compiles(ukrainian_order, "postgresql")
def _postgresql(element, compiler, **kw) -> str:
    column = compiler.process(element.clauses, **kw)
    # ICU's apostrophe is a character of its own; dropping it gives the dictionary order.
    quoted = APOSTROPHES.replace("'", "''")
    return f"translate({column}, '{quoted}', '') COLLATE \"{POSTGRESQL_COLLATION}\""
