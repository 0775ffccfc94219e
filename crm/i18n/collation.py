"""Sorting names in Ukrainian alphabetical order: the comparison SQLite calls.

SQLite has no Ukrainian collation, so crm/database.py registers `sqlite_collation` on each
connection under the name crm.models.sorting.SQLITE_COLLATION. The SQL side,
`ukrainian_order(column)`, is defined beside the models, which index by it
(crm/models/sorting.py).
"""

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


def sqlite_collation(left: str, right: str) -> int:
    """The comparison function sqlite3's create_collation() wants: -1, 0 or 1."""
    a, b = sort_key(left), sort_key(right)
    return (a > b) - (a < b)
