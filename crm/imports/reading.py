"""Reading an uploaded or given file as a table: a header row, then rows of text cells.

The type is told by the content, never by the name: a ZIP archive holding a workbook's parts
is an XLSX workbook, read as a stream (openpyxl's read-only mode, a row at a time); anything
else must be text, read as CSV: UTF-8 with or without a byte order mark or, when it is not
UTF-8, Windows-1251 (what Excel in Ukrainian saves as "CSV"), its separator (`;`, `,` or a
tab) told by the header row. Either way rows are read one at a time, so a file of any size
takes little memory. A file that is neither (an image, a PDF, an old .xls) is refused with a
message saying what to upload instead.

A cell that a spreadsheet could take for a formula is written by our exports with a `'` in
front (crm.exports.columns.safe_text); that quote is taken off again here, so that an exported
file imports as it was.
"""

import codecs
import csv
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any
from xml.etree.ElementTree import ParseError

from flask_babel import gettext as _

from crm.exports.columns import unquoted

ZIP_START = b"PK\x03\x04"
#: An OLE2 compound file: Excel 97–2003's .xls (and old Word files).
OLE2_START = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Parts every XLSX workbook has (ECMA-376, Office Open XML).
WORKBOOK_PARTS = frozenset({"[Content_Types].xml", "xl/workbook.xml"})
#: Bytes read at a time to tell the encoding and whether the file is text.
BLOCK = 1024 * 1024
#: Text has no NUL, and few control characters besides tab and line breaks.
CONTROL_BYTES = frozenset(range(32)) - {9, 10, 13}
MAX_CONTROL_SHARE = 0.01
SEPARATORS = (";", ",", "\t")
#: A part of a workbook unpacked to more than this, at more than MAX_PACKING times its packed
#: size, is a ZIP bomb rather than a spreadsheet (real sheets pack 5 to 20 times smaller).
BOMB_PART = 50 * 1024 * 1024
MAX_PACKING = 100
#: What openpyxl raises for a damaged workbook.
WORKBOOK_ERRORS = (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, ParseError)


class UnreadableFile(ValueError):
    """A file that is not a table we can read; the message says why, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    """A file's header row and its rows, numbered as a spreadsheet numbers them (the header
    row is 1), blank rows left out. `progress()` is how much of `size` is read (bytes of a
    CSV file, rows of a workbook); a workbook written without its dimensions has no size."""

    headers: list[str]
    rows: Iterator[tuple[int, list[str]]]
    size: int | None
    progress: Callable[[], int]


def cell_text(value: Any) -> str:
    """A workbook's cell as the text a CSV file would hold: numbers without a needless
    ".0" (a tax id typed as a number), dates as ISO 8601 (a time of day dropped)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return unquoted(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@contextmanager
def open_table(stream: IO[bytes]) -> Iterator[Table]:
    """The table in `stream` (binary, seekable, at its start); UnreadableFile when the file
    is empty or not a CSV file or an XLSX workbook, or (while reading the rows) damaged."""
    start = stream.read(len(OLE2_START))
    stream.seek(0)
    if not start:
        raise UnreadableFile(_("The file is empty."))
    if start.startswith(ZIP_START):
        with _workbook(stream) as table:
            yield table
    elif start == OLE2_START:
        raise UnreadableFile(
            _("This is an old Excel workbook (.xls): save it as .xlsx or as CSV, and upload that.")
        )
    else:
        yield _csv_table(stream)


@contextmanager
def _workbook(stream: IO[bytes]) -> Iterator[Table]:
    try:
        with zipfile.ZipFile(stream) as archive:
            parts = archive.infolist()
    except zipfile.BadZipFile:
        parts = []
    if not {part.filename for part in parts} >= WORKBOOK_PARTS:
        raise UnreadableFile(_("This is a ZIP archive, not an XLSX workbook or a CSV file."))
    if any(
        part.file_size > BOMB_PART and part.file_size > MAX_PACKING * part.compress_size
        for part in parts
    ):
        raise UnreadableFile(_("The workbook is damaged and cannot be read."))
    stream.seek(0)
    import openpyxl  # only when a workbook comes: it takes a while to import

    try:
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except WORKBOOK_ERRORS:
        raise UnreadableFile(_("The workbook is damaged and cannot be read.")) from None
    try:
        sheet = workbook.worksheets[0]
        read = [0]
        rows = _workbook_rows(sheet.iter_rows(values_only=True), read)
        _number, headers = next(rows, (1, []))
        yield Table(
            _headers(headers), _non_blank(rows), size=sheet.max_row, progress=lambda: read[0]
        )
    finally:
        workbook.close()


def _workbook_rows(rows: Iterator[tuple], read: list[int]) -> Iterator[tuple[int, list[str]]]:
    """The rows as text, each counted in `read` as it goes by."""
    try:
        for number, values in enumerate(rows, start=1):
            read[0] = number
            yield number, [cell_text(value) for value in values]
    except WORKBOOK_ERRORS:
        raise UnreadableFile(_("The workbook is damaged and cannot be read.")) from None


def _non_blank(rows: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    """The rows with a cell of text."""
    for number, cells in rows:
        if any(cell.strip() for cell in cells):
            yield number, cells


def _headers(cells: list[str]) -> list[str]:
    headers = [cell.strip() for cell in cells]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise UnreadableFile(_("The first row is empty: it must hold the column headers."))
    return headers


def _csv_table(stream: IO[bytes]) -> Table:
    encoding = _text_encoding(stream)
    size = stream.seek(0, 2)
    stream.seek(0)
    read = [0]
    lines = _decoded_lines(stream, encoding, read)
    first = next(lines, "")
    separator = max(SEPARATORS, key=first.count) if any(s in first for s in SEPARATORS) else ","
    reader = csv.reader(_chain(first, lines), delimiter=separator)
    rows = _csv_rows(reader)
    _number, headers = next(rows, (1, []))
    return Table(_headers(headers), _non_blank(rows), size=size, progress=lambda: read[0])


def _text_encoding(stream: IO[bytes]) -> str:
    """UTF-8 (a byte order mark skipped) when the whole file decodes as UTF-8, else
    Windows-1251; UnreadableFile when the file is not text at all."""
    first = stream.read(BLOCK)
    controls = sum(1 for byte in first if byte in CONTROL_BYTES)
    if 0 in first or controls > MAX_CONTROL_SHARE * len(first):
        raise UnreadableFile(
            _("This is not a CSV file or an XLSX workbook: upload one of those (CSV as text).")
        )
    decoder = codecs.getincrementaldecoder("utf-8")()
    block = first
    try:
        while block:
            decoder.decode(block)
            block = stream.read(BLOCK)
        decoder.decode(b"", final=True)
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        encoding = "cp1251"
    stream.seek(0)
    return encoding


def _decoded_lines(stream: IO[bytes], encoding: str, read: list[int]) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        for line in stream:
            read[0] += len(line)
            yield decoder.decode(line)
    except UnicodeDecodeError:
        raise UnreadableFile(
            _("The file mixes text encodings: save it again as CSV in UTF-8.")
        ) from None


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    if first:
        yield first
    yield from rest


def _csv_rows(reader) -> Iterator[tuple[int, list[str]]]:
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, [unquoted(cell) for cell in cells]
    except csv.Error:
        raise UnreadableFile(_("Row %(row)d cannot be read as CSV.", row=reader.line_num)) from None
