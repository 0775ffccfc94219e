"""The refused rows of an import as a CSV file: the file's own columns with each refused
row as it was, and the row's number and the reason after them. Fixed, the file can be
imported again as it is (the added columns are left out of the mapping).

Written as the CRM writes CSV for Excel (crm/exports/writers.py): UTF-8 with a byte order
mark, `;` between fields, and a `'` before a cell a spreadsheet could take for a formula
(crm.exports.columns.safe_text), which the import takes off again (unquoted)."""

import csv
import io
from collections.abc import Iterable, Iterator, Mapping

from flask_babel import gettext as _

from crm.exports.columns import safe_text
from crm.exports.writers import BYTE_ORDER_MARK, LINE_END, SEPARATOR
from crm.imports.reading import Table


def refused_lines(table: Table, reasons: Mapping[int, str]) -> Iterator[str]:
    """The file's header row, then each row whose number is in `reasons`, with its reason."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=SEPARATOR, lineterminator=LINE_END)

    def line(cells: Iterable[object]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([safe_text(cell) for cell in cells])
        return buffer.getvalue()

    width = len(table.headers)
    yield BYTE_ORDER_MARK + line([*table.headers, _("Row in the file"), _("Why it was refused")])
    for number, cells in table.rows:
        if number in reasons:
            padded = [*cells[:width], *[""] * (width - len(cells))]
            yield line([*padded, number, reasons[number]])
