"""Reading a file as a table (crm/imports/reading.py): the type told by the content, the
text's encoding and separator, workbooks a row at a time, and clear refusals of the rest."""

import io
import zipfile
from datetime import date, datetime

import pytest

from crm.imports.reading import UnreadableFile, open_table
from tests.imports.files import CUSTOMER_HEADERS, csv_bytes, customer_row, xlsx_bytes


def read(content: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    with open_table(io.BytesIO(content)) as table:
        return table.headers, list(table.rows)


def refusal(content: bytes) -> str:
    with pytest.raises(UnreadableFile) as refused:
        read(content)
    return refused.value.message


@pytest.mark.parametrize("separator", [";", ",", "\t"])
@pytest.mark.parametrize("bom", [False, True])
def test_csv_is_read_whatever_its_separator_with_or_without_a_byte_order_mark(app, separator, bom):
    content = csv_bytes([customer_row(1)], separator=separator, bom=bom)
    headers, rows = read(content)
    assert headers == CUSTOMER_HEADERS
    assert rows == [(2, customer_row(1))]


def test_windows_1251_is_read_when_the_file_is_not_utf8(app):
    content = csv_bytes(
        [customer_row(1, address="Київ, вул. Січових Стрільців, 5")], encoding="cp1251"
    )
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    headers, rows = read(content)
    assert headers[0] == "Прізвище"
    assert rows[0][1][-1] == "Київ, вул. Січових Стрільців, 5"


def test_rows_keep_their_numbers_past_blank_rows_and_cells_with_line_breaks(app):
    content = csv_bytes([customer_row(1), ["", "", ""], customer_row(2, address="Київ,\nкв. 5")])
    _headers, rows = read(content)
    assert [number for number, _cells in rows] == [2, 4]
    assert rows[1][1][-1] == "Київ,\nкв. 5"


def test_the_quote_an_export_puts_before_a_formula_is_taken_off(app):
    content = csv_bytes([customer_row(1, phone="'+380671000001", address="'=1+1")])
    _headers, [(_number, cells)] = read(content)
    assert cells[3] == "+380671000001"
    assert cells[-1] == "=1+1"


def test_a_workbook_is_read_a_row_at_a_time_numbers_and_dates_as_text(app):
    # A spreadsheet's date cell has no time zone.
    born = datetime(1985, 3, 9)  # noqa: DTZ001
    row = ["Коваль", "Олена", None, 380671000001, None, born, 2500000001, "Київ"]
    content = xlsx_bytes([row, [None] * 8, customer_row(2, birth_date=date(1990, 1, 2))])
    headers, rows = read(content)
    assert headers == CUSTOMER_HEADERS
    assert rows[0] == (
        2,
        ["Коваль", "Олена", "", "380671000001", "", "1985-03-09", "2500000001", "Київ"],
    )
    assert rows[1][0] == 4
    assert rows[1][1][5] == "1990-01-02"


def test_a_tax_id_stored_as_a_decimal_number_loses_its_point_zero(app):
    content = xlsx_bytes([customer_row(1, tax_id=2500000001.0, address=1234.5)])
    _headers, [(_number, cells)] = read(content)
    assert (cells[6], cells[7]) == ("2500000001", "1234.5")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "This is not a CSV file or an XLSX"),
        (bytes(range(256)) * 10, "This is not a CSV file or an XLSX"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "old Excel workbook (.xls)"),
        ("Прізвище;Ім’я\n".encode() + b"\x98\x98;x\n", "The file mixes text encodings"),
        (b";;;\r\nx;y\r\n", "The first row is empty"),
    ],
)
def test_what_is_not_a_table_is_refused_with_a_reason(app, content, message):
    assert message in refusal(content)


def test_a_zip_archive_that_is_no_workbook_is_refused(app):
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")
    assert "a ZIP archive, not an XLSX workbook" in refusal(output.getvalue())


def test_a_workbook_that_would_unpack_to_gigabytes_is_refused_unread(app, monkeypatch):
    output = io.BytesIO(xlsx_bytes([customer_row(1)]))
    with zipfile.ZipFile(output, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/image1.bin", bytes(60 * 1024 * 1024))
    assert len(output.getvalue()) < 200_000
    monkeypatch.setattr("openpyxl.load_workbook", lambda *_args, **_kwargs: pytest.fail("opened"))
    assert "damaged" in refusal(output.getvalue())


def test_a_damaged_workbook_is_refused(app):
    content = bytearray(xlsx_bytes([customer_row(1)]))
    middle = len(content) // 2
    content[middle : middle + 200] = bytes(200)
    assert "damaged" in refusal(bytes(content))


def test_progress_counts_bytes_of_a_csv_and_rows_of_a_workbook(app):
    content = csv_bytes([customer_row(n) for n in range(3)])
    with open_table(io.BytesIO(content)) as table:
        list(table.rows)
        assert (table.progress(), table.size) == (len(content), len(content))
    with open_table(io.BytesIO(xlsx_bytes([customer_row(n) for n in range(3)]))) as table:
        list(table.rows)
        assert (table.progress(), table.size) == (4, 4)


def test_a_workbook_that_does_not_say_its_size_is_read_all_the_same(app):
    content = xlsx_bytes([customer_row(n) for n in range(3)], write_only=True)
    with open_table(io.BytesIO(content)) as table:
        assert len(list(table.rows)) == 3
        assert (table.progress(), table.size) == (4, None)
