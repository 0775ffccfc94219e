"""Sorting names in Ukrainian alphabetical order: the comparison SQLite calls.

SQLite has no Ukrainian collation, so crm/__init__.py registers `sqlite_collation` on each
connection under the name crm.models.sorting.SQLITE_COLLATION. The SQL side,
`ukrainian_order(column)`, is defined beside the models, which index by it
(crm/models/sorting.py).
"""

from crm.models.sorting import APOSTROPHES

#: The Ukrainian alphabet in dictionary order (the soft sign comes before ю and я).
ALPHABET = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"
RANK = {letter: number for number, letter in enumerate(ALPHABET)}
_DROP_APOSTROPHES = str.maketrans("", "", APOSTROPHES)


def sort_key(text: str) -> tuple:
    """Case-insensitive Ukrainian order; apostrophes ignored; digits before letters, and
    letters of other alphabets (Latin) after Ukrainian ones, as ICU's Ukrainian collation does.

    Ties on the letters are broken by the exact text, so that only equal texts compare equal.

    SQLite keeps this order in an index (ix_customers_name_order): a change to it must ship
    with a migration that runs `REINDEX uk`, or that index would be out of order.
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
