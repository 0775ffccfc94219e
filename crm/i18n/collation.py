"""Sorting names in Ukrainian alphabetical order: the comparison SQLite calls.

SQLite has no Ukrainian collation, so crm/database.py registers `sqlite_collation` on each
connection under the name crm.models.sorting.SQLITE_COLLATION. The SQL side,
`ukrainian_order(column)`, is defined beside the models, which index by it
(crm/models/sorting.py).
"""

from functools import lru_cache

from crm.models.sorting import APOSTROPHES

#: The Ukrainian alphabet in dictionary order (the soft sign comes before ю and я).
ALPHABET = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"
RANK = {letter: number for number, letter in enumerate(ALPHABET)}


def sort_key(text: str) -> tuple[str, str]:
    """Case-insensitive Ukrainian order; apostrophes ignored; digits before letters, and
    letters of other alphabets (Latin) after Ukrainian ones, as ICU's Ukrainian collation does.

    Ties on the letters are broken by the exact text, so that only equal texts compare equal.

    SQLite keeps this order in an index (ix_customers_name_order): a change to it must ship
    with a migration that runs `REINDEX uk`, or that index would be out of order.
    """
    return text.casefold().translate(_WEIGHTS), text


class _Weights(dict):
    """A str.translate() table from each character to its place as two characters, its group
    and its rank within the group, so that the weights of a name compare as a string: SQLite
    calls sort_key for every comparison in an index on a name. Filled as characters come."""

    def __missing__(self, code_point: int) -> str | None:
        char = chr(code_point)
        if char in APOSTROPHES:
            weight = None
        elif char in RANK:
            weight = chr(2) + chr(RANK[char])
        elif char.isdigit():
            weight = chr(1) + char
        elif char.isalpha():
            weight = chr(3) + char
        else:
            # Spaces, hyphens and other marks come first, as in ICU.
            weight = chr(0) + char
        self[code_point] = weight
        return weight


_WEIGHTS = _Weights()
#: SQLite compares a new key with a few keys on every level of the index, and names repeat
#: (namesakes, common first names and patronymics): the keys of the names met most recently
#: are kept. With them and the shortcut for equal texts, the demo's 100 000 customers go into
#: ix_customers_name_order in a fraction of the time (docs/PERFORMANCE.md).
_recent_sort_key = lru_cache(maxsize=4096)(sort_key)


def sqlite_collation(left: str, right: str) -> int:
    """The comparison function sqlite3's create_collation() wants: -1, 0 or 1."""
    if left == right:
        return 0
    a, b = _recent_sort_key(left), _recent_sort_key(right)
    return (a > b) - (a < b)
