"""A list written as an XLSX workbook (crm/exports/writers.py says how it looks).

Apart from the CSV writers because openpyxl costs every process that imports it about 6 MB:
it is imported with the first workbook a worker writes (crm/exports/download.py), not when
the app starts.
"""

import re
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from crm.exports.columns import Column, Kind, safe_text
from crm.exports.writers import row_values

#: The number formats of the columns that need one; dates and moments get openpyxl's own
#: (yyyy-mm-dd and yyyy-mm-dd h:mm:ss).
NUMBER_FORMATS = {Kind.MONEY: "#,##0.00", Kind.PERCENT: "0.00"}
#: Column widths in characters, by kind; text columns widen to fit their header.
WIDTHS = {
    Kind.TEXT: 24,
    Kind.INTEGER: 10,
    Kind.MONEY: 14,
    Kind.PERCENT: 10,
    Kind.DATE: 12,
    Kind.DATETIME: 17,
}
#: What a worksheet's name may not hold, and its longest length (Excel's rules).
NOT_IN_SHEET_TITLE = re.compile(r"[\[\]:*?/\\]")
MAX_SHEET_TITLE = 31


def write_xlsx(
    columns: Sequence[Column], rows: Iterable[Any], target: Path | str, *, title: str
) -> int:
    """Write the header and the rows to the workbook file `target` (one sheet, named
    `title`); returns the number of rows written."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title(title))
    sheet.freeze_panes = "A2"
    for number, column in enumerate(columns, 1):
        width = max(WIDTHS[column.kind], len(str(column.label)) + 2)
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.append([_header_cell(sheet, column) for column in columns])
    cells = _xlsx_cells(sheet, columns)
    count = 0
    for row in rows:
        sheet.append(cells(row))
        count += 1
    workbook.save(target)
    return count


def sheet_title(title: str) -> str:
    """`title` as Excel takes a worksheet's name: without []:*?/\\ and at most 31 long."""
    return NOT_IN_SHEET_TITLE.sub(" ", title)[:MAX_SHEET_TITLE].strip() or "Sheet"


def _header_cell(sheet: WriteOnlyWorksheet, column: Column) -> Cell:
    cell = WriteOnlyCell(sheet, value=str(column.label))
    cell.font = Font(bold=True)
    return cell


def _xlsx_cells(sheet: WriteOnlyWorksheet, columns: Sequence[Column]) -> Callable[[Any], list]:
    """A function that gives a row's cells to append: text neutralised, numbers and dates
    as they are, money and percent in their column's formatted cell; None is empty."""
    values = row_values(columns)
    writers = []
    for column in columns:
        if column.kind is Kind.TEXT:
            writers.append(_xlsx_text)
        elif column.kind in NUMBER_FORMATS:
            # One formatted cell per column, refilled for each row: append() writes a row
            # out before it returns, and a styled cell per value costs as much as the rest.
            cell = WriteOnlyCell(sheet)
            cell.number_format = NUMBER_FORMATS[column.kind]
            writers.append(partial(_refill, cell))
        else:
            writers.append(None)

    def cells(row: Any) -> list:
        return [
            value if write is None or value is None else write(value)
            for write, value in zip(writers, values(row), strict=True)
        ]

    return cells


def _xlsx_text(value: Any) -> str:
    # Control characters XML cannot hold would make openpyxl refuse the whole file.
    return safe_text(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def _refill(cell: Cell, value: Any) -> Cell:
    cell.value = value
    return cell
