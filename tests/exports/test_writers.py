"""The shared writers (crm/exports/): what each kind of column becomes in CSV and XLSX, the
formula rule in both, and the CSV handed on in chunks that count their rows."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from crm.exports import writers
from crm.exports.columns import FORMULA_STARTS, Column, Kind, safe_text
from crm.exports.writers import csv_bytes, csv_chunks
from crm.exports.xlsx import sheet_title, write_xlsx
from crm.i18n.labels import STATUS_LABELS
from crm.lending.status import LoanStatus

COLUMNS = (
    Column("Name", Kind.TEXT, lambda row: row[0]),
    Column("Count", Kind.INTEGER, lambda row: row[1]),
    Column("Amount", Kind.MONEY, lambda row: row[2]),
    Column("Rate", Kind.PERCENT, lambda row: row[3]),
    Column("Day", Kind.DATE, lambda row: row[4]),
    Column("At", Kind.DATETIME, lambda row: row[5]),
)
#: 21:30 UTC on 30 April is 00:30 on 1 May in Kyiv (summer time, UTC+3).
LATE_EVENING = datetime(2025, 4, 30, 21, 30, 15, 123456, tzinfo=UTC)
ROW = ("Олена", 7, Decimal("1234.5"), Decimal("12.000000"), date(2025, 3, 9), LATE_EVENING)
EMPTY = (None,) * 6


@pytest.fixture
def in_language(app):
    """`in_language("uk")`: a request context that speaks that language."""

    def _enter(language: str):
        context = app.test_request_context(headers={"Accept-Language": language})
        context.push()
        return context

    contexts = []
    yield lambda language: contexts.append(_enter(language))
    for context in reversed(contexts):
        context.pop()


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


@pytest.mark.parametrize(
    ("language", "amount", "rate"), [("uk", "1234,50", "12,00"), ("en", "1234.50", "12.00")]
)
def test_csv_values_are_written_for_the_language(in_language, language, amount, rate):
    in_language(language)
    data = csv_bytes(COLUMNS, [ROW, EMPTY])
    assert data.startswith("\ufeff".encode())
    assert data.count(b"\r\n") == 3
    assert read_csv(data) == [
        ["Name", "Count", "Amount", "Rate", "Day", "At"],
        ["Олена", "7", amount, rate, "2025-03-09", "2025-05-01 00:30:15"],
        ["", "", "", "", "", ""],
    ]


def test_money_is_rounded_half_up_to_the_cent(in_language):
    in_language("en")
    rows = [(None, None, Decimal("0.005"), Decimal("2.345"), None, None)]
    assert read_csv(csv_bytes(COLUMNS, rows))[1][2:4] == ["0.01", "2.35"]


def test_xlsx_cells_are_typed(in_language, tmp_path):
    in_language("uk")
    path = tmp_path / "list.xlsx"
    assert write_xlsx(COLUMNS, [ROW, EMPTY, ROW], path, title="Список") == 3

    sheet = load_workbook(path).active
    assert sheet.title == "Список"
    assert [cell.value for cell in sheet[1]] == ["Name", "Count", "Amount", "Rate", "Day", "At"]
    assert all(cell.font.bold for cell in sheet[1])
    name, count, amount, rate, day, moment = sheet[2]
    assert (name.value, name.data_type) == ("Олена", "s")
    assert (count.value, count.data_type) == (7, "n")
    assert (amount.value, amount.data_type, amount.number_format) == (1234.5, "n", "#,##0.00")
    assert (rate.value, rate.number_format) == (12, "0.00")
    assert day.is_date
    assert day.value.date() == date(2025, 3, 9)
    assert moment.is_date
    assert moment.value == datetime(2025, 5, 1, 0, 30, 15)  # noqa: DTZ001 (Excel keeps no zone)
    assert [cell.value for cell in sheet[3]] == [None] * 6
    assert sheet[4][2].number_format == "#,##0.00"
    assert sheet.freeze_panes == "A2"


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_every_formula_start_is_neutralised(start):
    assert safe_text(f"{start}cmd") == f"'{start}cmd"


@pytest.mark.parametrize("value", ["{}", "a=b", "user@example.com", "'quoted", "", None, 12])
def test_other_texts_are_left_as_they_are(value):
    assert safe_text(value) == ("" if value is None else str(value))


def test_a_formula_stays_text_in_both_formats_and_numbers_stay_numbers(in_language, tmp_path):
    in_language("en")
    names = ['=HYPERLINK("http://example.com","x")', "+1", "-2", "@x", "\tt", "\rr"]
    rows = [(name, -3, Decimal("-4.00"), None, None, None) for name in names]

    cells = [row[:3] for row in read_csv(csv_bytes(COLUMNS, rows))[1:]]
    assert cells == [[f"'{name}", "-3", "-4.00"] for name in names]

    write_xlsx(COLUMNS, rows, tmp_path / "list.xlsx", title="x")
    sheet = load_workbook(tmp_path / "list.xlsx").active
    for cells, name in zip(sheet.iter_rows(min_row=2, max_col=3), names, strict=True):
        assert [cell.data_type for cell in cells] == ["s", "n", "n"]
        # An XML reader takes a carriage return for a line end (openpyxl does not escape it).
        assert [cell.value for cell in cells] == [f"'{name}".replace("\r", "\n"), -3, -4]


def test_xlsx_leaves_out_characters_xml_cannot_hold(in_language, tmp_path):
    in_language("en")
    write_xlsx(COLUMNS, [("a\x00b\x07c\x1f", *ROW[1:])], tmp_path / "x.xlsx", title="x")
    assert load_workbook(tmp_path / "x.xlsx").active["A2"].value == "abc"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Клієнти", "Клієнти"),
        ("a/b:c*d?[e]\\", "a b c d  e"),
        ("x" * 40, "x" * 31),
        ("//", "Sheet"),
    ],
)
def test_a_sheet_takes_the_names_excel_allows(title, expected):
    assert sheet_title(title) == expected


def test_csv_comes_in_chunks_that_count_their_rows(in_language, monkeypatch):
    in_language("en")
    monkeypatch.setattr(writers, "CHUNK_SIZE", 200)
    rows = [(f"name {n}", n, Decimal(n), None, None, None) for n in range(50)]

    chunks = list(csv_chunks(COLUMNS, rows))

    header, *rest = chunks
    assert header == ("\ufeffName;Count;Amount;Rate;Day;At\r\n".encode(), 0)
    assert len(rest) > 3
    assert sum(count for _chunk, count in rest) == 50
    assert all(chunk.count(b"\r\n") == count for chunk, count in rest)


def test_a_list_without_rows_is_its_header(in_language, tmp_path):
    in_language("en")
    assert read_csv(csv_bytes(COLUMNS, [])) == [["Name", "Count", "Amount", "Rate", "Day", "At"]]
    assert write_xlsx(COLUMNS, [], tmp_path / "x.xlsx", title="x") == 0
    assert load_workbook(tmp_path / "x.xlsx").active.max_row == 1


def test_labelled_values_are_written_as_their_labels_in_the_language(in_language, tmp_path):
    in_language("uk")
    columns = [Column("Status", Kind.TEXT, lambda row: row, STATUS_LABELS)]
    rows = [LoanStatus.ACTIVE, None, LoanStatus.WRITTEN_OFF]

    assert read_csv(csv_bytes(columns, rows))[1:] == [["Активний"], [""], ["Списано"]]
    write_xlsx(columns, rows, tmp_path / "x.xlsx", title="x")
    sheet = load_workbook(tmp_path / "x.xlsx").active
    assert [cell.value for cell in sheet["A"]][1:] == ["Активний", None, "Списано"]
