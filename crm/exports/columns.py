"""The columns of an exported list, each with a type that says how a spreadsheet keeps its
values (text, whole numbers, money, percent, dates, moments), and the rows read from the
database a batch at a time.

Cells a spreadsheet would take for a formula are neutralised here, once for every file the
CRM writes (the lists' exports, the audit trail's CSV): a text that starts with `=`, `+`,
`-`, `@`, a tab or a carriage return gets a leading single quote (OWASP, "CSV Injection"),
so that `=HYPERLINK(…)` in a customer's name stays text when the file is opened. Numbers,
money and dates are written as what they are and are never text, so they need no quote.
"""

import enum
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import LazyString
from sqlalchemy import Select
from sqlalchemy.orm import Session, scoped_session

#: What a spreadsheet may take for the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Rows fetched from the database at a time: enough to keep the round trips few, few
#: enough that a batch is nothing beside the process.
BATCH_SIZE = 1000


class Kind(enum.StrEnum):
    """How a column's values are written: CSV as text in the reader's language, XLSX as
    typed cells (crm.exports.writers)."""

    TEXT = "text"
    INTEGER = "integer"
    #: A Decimal amount; two decimals.
    MONEY = "money"
    #: A Decimal number of percent (12.50 is 12.5 %); two decimals.
    PERCENT = "percent"
    DATE = "date"
    #: An aware moment, written as the lender's wall-clock time (spreadsheets keep no zone).
    DATETIME = "datetime"


@dataclass(frozen=True)
class Column:
    """A column: its header (a lazy text, read in the user's language when the file is
    written), its kind, and how its value is taken from a row (None is an empty cell).
    A column of stored values shown by their labels (statuses, buckets) names the labels
    (crm/i18n/labels.py): the file holds each value's label in the user's language."""

    label: LazyString | str
    kind: Kind
    value: Callable[[Any], object]
    labels: Mapping[Any, LazyString] | None = None


def safe_text(value: object) -> str:
    """`value` as text a spreadsheet shows as text: one that would start a formula is
    prefixed with a single quote; None is empty."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def unquoted(text: str) -> str:
    """A cell as it was before safe_text() put a `'` in front of a formula's first character:
    what an import reads back from a file the CRM wrote."""
    return text[1:] if text[:1] == "'" and text[1:2] and text[1] in FORMULA_STARTS else text


def streamed(session: Session | scoped_session, statement: Select) -> Iterator[Any]:
    """The rows of `statement` (its entity, or its row when it selects several things),
    fetched BATCH_SIZE at a time, so a list of any length never sits in memory whole.

    On PostgreSQL the batches come from a server-side cursor; on SQLite from the open
    statement. The cursor is closed when the rows end or the caller closes the iterator.
    """
    result = session.execute(statement.execution_options(yield_per=BATCH_SIZE))
    try:
        if len(result.keys()) == 1:
            yield from result.scalars()
        else:
            yield from result
    finally:
        result.close()
