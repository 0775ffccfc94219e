"""Files to import, built in memory: CSV in any encoding and separator, XLSX workbooks."""

import csv
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook

#: The customers export's and the forms' labels in Ukrainian (crm.i18n.labels.FIELD_LABELS).
CUSTOMER_HEADERS = [
    "Прізвище",
    "Ім’я",
    "По батькові",
    "Телефон",
    "Ел. пошта",
    "Дата народження",
    "РНОКПП",
    "Адреса",
]
PAYMENT_HEADERS = ["Дата", "Сума", "Референс", "Номер кредиту", "РНОКПП"]


def customer_row(n: int, **cells: str) -> list[str]:
    """A valid row for a customer no factory makes: n picks the phone, e-mail and tax id."""
    values = {
        "last_name": f"Коваленко{n}",
        "first_name": "Олена",
        "patronymic": "Петрівна",
        "phone": f"067 {1000000 + n:07d}",
        "email": f"olena{n}@example.com",
        "birth_date": "09.03.1985",
        "tax_id": f"{2500000000 + n}",
        "address": "Київ, вул. Хрещатик, 1",
        **cells,
    }
    return list(values.values())


def csv_bytes(
    rows: Iterable[Sequence[object]],
    *,
    headers: Sequence[str] = CUSTOMER_HEADERS,
    separator: str = ";",
    encoding: str = "utf-8",
    bom: bool = False,
) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=separator, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return ("\ufeff" if bom else "").encode(encoding) + text.getvalue().encode(encoding)


def xlsx_bytes(
    rows: Iterable[Sequence[object]],
    *,
    headers: Sequence[str] = CUSTOMER_HEADERS,
    write_only: bool = False,
) -> bytes:
    """A workbook as Excel saves it, or (`write_only`) as streaming writers do, without the
    sheet's dimensions."""
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet() if write_only else workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
