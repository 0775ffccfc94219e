"""A list's columns and rows written as a file a spreadsheet opens as it is, in Ukrainian as
in English, without holding the list in memory.

CSV: UTF-8 with a byte order mark (without it Excel reads the file in the computer's code
page), `;` between fields (Excel's list separator where decimals take a comma, as in
Ukrainian), CRLF line ends, money and percent with two decimals and the language's decimal
sign, dates in ISO 8601 (which Excel reads in any locale), a header row in the user's
language. It is written a chunk at a time as the rows come.

XLSX (crm/exports/xlsx.py): openpyxl's write-only workbook, which writes each row out as it
is appended (memory stays flat however long the list); numbers as numbers, money with the
number format `#,##0.00` and percent with `0.00`, dates as dates. Moments are written as the
lender's wall-clock time without a zone (crm.clock.lender_wall_time): Excel keeps no zone, and
the staff read times on the pages in the lender's zone too.
"""

import csv
import enum
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from flask_babel import get_timezone

from crm.clock import lender_wall_time
from crm.exports.columns import Column, Kind, safe_text
from crm.i18n.formats import plain_amounts

BYTE_ORDER_MARK = "\ufeff"
SEPARATOR = ";"
LINE_END = "\r\n"
#: Characters of CSV gathered before they are handed on to the client.
CHUNK_SIZE = 64 * 1024


class FileFormat(enum.StrEnum):
    """The formats a list exports to: the file's extension, and its content type."""

    CSV = "csv"
    XLSX = "xlsx"

    @property
    def content_type(self) -> str:
        return {
            FileFormat.CSV: "text/csv; charset=utf-8",
            FileFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }[self]


def row_values(columns: Sequence[Column]) -> Callable[[Any], list[Any]]:
    """A function that takes a row's values for `columns` as a file writes them: labelled
    values as their labels in the user's language, moments as the lender's wall-clock time.
    What is the same for every row (the labels' texts, the lender's time zone) is looked up
    here, once a file: once a cell, the lookups would cost more than the writing."""
    zone = get_timezone()
    steps = []
    for column in columns:
        if column.labels is not None:
            texts = {value: str(label) for value, label in column.labels.items()}
            steps.append(lambda value, texts=texts: texts[value])
        elif column.kind is Kind.DATETIME:
            steps.append(lambda value: lender_wall_time(value, zone))
        else:
            steps.append(None)
    pairs = list(zip((column.value for column in columns), steps, strict=True))

    def values(row: Any) -> list[Any]:
        found = []
        for value, step in pairs:
            cell = value(row)
            found.append(cell if step is None or cell is None else step(cell))
        return found

    return values


# --- CSV --------------------------------------------------------------------------------------


def csv_cells(columns: Sequence[Column]) -> Callable[[Any], list[str]]:
    """A function that writes a row's fields (see the module's docstring; None is empty)."""
    values, amount = row_values(columns), plain_amounts()
    writers = {
        Kind.TEXT: safe_text,
        Kind.INTEGER: str,
        Kind.MONEY: amount,
        Kind.PERCENT: amount,
        Kind.DATE: date.isoformat,
        Kind.DATETIME: lambda moment: moment.isoformat(sep=" "),
    }
    kinds = [writers[column.kind] for column in columns]

    def cells(row: Any) -> list[str]:
        return [
            "" if value is None else write(value)
            for write, value in zip(kinds, values(row), strict=True)
        ]

    return cells


def csv_chunks(columns: Sequence[Column], rows: Iterable[Any]) -> Iterator[tuple[bytes, int]]:
    """The file in chunks of about CHUNK_SIZE characters, each with the number of rows it
    holds: first the byte order mark and the header row alone (0 rows), so that a download
    starts at once, then the rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=SEPARATOR, lineterminator=LINE_END)
    buffer.write(BYTE_ORDER_MARK)
    writer.writerow([str(column.label) for column in columns])
    yield _take(buffer), 0
    cells, pending = csv_cells(columns), 0
    for row in rows:
        writer.writerow(cells(row))
        pending += 1
        if buffer.tell() >= CHUNK_SIZE:
            yield _take(buffer), pending
            pending = 0
    if pending:
        yield _take(buffer), pending


def csv_bytes(columns: Sequence[Column], rows: Iterable[Any]) -> bytes:
    """The whole file at once, for short lists (a loan's schedule)."""
    return b"".join(chunk for chunk, _rows in csv_chunks(columns, rows))


def _take(buffer: io.StringIO) -> bytes:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text.encode("utf-8")
