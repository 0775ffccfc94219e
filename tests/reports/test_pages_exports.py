"""The reports as CSV and XLSX files: each table of a report and each list behind a figure,
with the page's filters and the page's figures, in the user's language, audited. The book is
tests/reports/period_book.py's, up to the end of May 2025."""

import re
from decimal import Decimal
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.exports.conftest import (
    ENGLISH,
    UKRAINIAN,
    csv_rows,
    export_events,
    facts,
    sheet_rows,
    xlsx_sheet,
)

AS_OF = "as_of=2025-03-31"
MARCH = "since=2025-03-01&until=2025-03-31"
JANUARY_TO_MAY = "since=2025-01-01&until=2025-05-31"


def download_links(html: str) -> list[tuple[str, dict]]:
    """(path, arguments) of each link that downloads a report."""
    links = re.findall(r'href="(/reports/[^"]*export[^"]*)"', html)
    return [
        (urlsplit(unescape(link)).path, parse_qs(urlsplit(unescape(link)).query)) for link in links
    ]


def two_decimals(value) -> str:
    return f"{Decimal(str(value)):.2f}"


def test_each_table_of_a_report_links_its_files_with_the_pages_filters(petro, book):
    product = book.alpha.id
    portfolio = petro.get(f"/reports/?{AS_OF}&product_id={product}").get_data(as_text=True)
    collections = petro.get(f"/reports/collections?{MARCH}").get_data(as_text=True)

    assert download_links(portfolio) == [
        (
            f"/reports/export/{table}.{file_format}",
            {"as_of": ["2025-03-31"], "product_id": [str(product)]},
        )
        for table in ("products", "managers", "buckets")
        for file_format in ("csv", "xlsx")
    ]
    assert download_links(collections) == [
        (
            f"/reports/collections/export.{file_format}",
            {"since": ["2025-03-01"], "until": ["2025-03-31"]},
        )
        for file_format in ("csv", "xlsx")
    ]


def test_the_portfolio_by_product_as_csv_in_ukrainian(petro):
    header, *rows = csv_rows(petro.get(f"/reports/export/products.csv?{AS_OF}", headers=UKRAINIAN))

    assert header[:7] == [
        "Станом на",
        "Продукт",
        "Активні кредити",
        "Залишок основного боргу",
        "Прострочені кредити",
        "Сума прострочки",
        "Під ризиком 1+",
    ]
    assert rows == [
        [
            "2025-03-31",
            "Alpha",
            "2",
            "18415,14",
            "1",
            "888,49",
            "54,30",
            "1",
            "0,00",
            "0",
            "0,00",
            "0",
        ],
        ["2025-03-31", "Beta", "1", "4487,63", "0", "0,00", "0,00", "0", "0,00", "0", "0,00", "0"],
        [
            "2025-03-31",
            "Усього",
            "3",
            "22902,77",
            "1",
            "888,49",
            "43,66",
            "1",
            "0,00",
            "0",
            "0,00",
            "0",
        ],
    ]


def test_the_portfolio_by_manager_names_nobodys_customers(petro):
    header, *rows = csv_rows(petro.get(f"/reports/export/managers.csv?{AS_OF}", headers=ENGLISH))

    assert header[1] == "Manager"
    assert [row[1] for row in rows] == [
        "Nobody’s customers",
        "Petro Manager",
        "Iryna Manager",
        "In all",
    ]
    assert [row[3] for row in rows] == ["10000.00", "8415.14", "4487.63", "22902.77"]


def test_the_aging_as_xlsx_keeps_numbers_as_numbers(petro):
    sheet = xlsx_sheet(petro.get(f"/reports/export/buckets.xlsx?{AS_OF}", headers=ENGLISH))

    header, *rows = sheet_rows(sheet)
    assert header == (
        "As of",
        "Days past due",
        "Loans",
        "Outstanding principal",
        "Share of the principal",
        "Overdue amount",
    )
    assert [row[1] for row in rows] == [
        "Current",
        "1–30 days",
        "31–60 days",
        "61–90 days",
        "Over 90 days",
        "In all",
    ]
    current, overdue, *_rest, total = rows
    assert current[2:] == (2, pytest.approx(12902.77), pytest.approx(56.34), 0)
    assert overdue[2:] == (1, pytest.approx(10000), pytest.approx(43.66), pytest.approx(888.49))
    assert total[0].date().isoformat() == "2025-03-31"
    assert total[2] == 3
    assert sheet["D2"].number_format == "#,##0.00"


@pytest.mark.parametrize(
    ("path", "columns", "total"),
    [
        (
            "/reports/disbursements/export.csv?since=2025-02-01&until=2025-02-28",
            ["From", "To", "Product", "Loans", "Principal"],
            ["2025-02-01", "2025-02-28", "In all", "2", "15000.00"],
        ),
        (
            f"/reports/collections/export.csv?{MARCH}",
            [
                "From",
                "To",
                "Product",
                "Loans",
                "Due",
                "Received for it",
                "Shortfall",
                "Efficiency",
                "Money received in the period",
            ],
            [
                "2025-03-01",
                "2025-03-31",
                "In all",
                "3",
                "2081.89",
                "1193.40",
                "888.49",
                "57.32",
                "1498.31",
            ],
        ),
        (
            "/reports/write-offs/export.csv?since=2025-04-01&until=2025-05-31",
            ["From", "To", "Product", "Loans", "Principal written off"],
            ["2025-04-01", "2025-05-31", "In all", "1", "4745.09"],
        ),
        (
            f"/reports/applications/export.csv?{JANUARY_TO_MAY}",
            [
                "From",
                "To",
                "Product",
                "Applications",
                "Amount",
                "Pending",
                "Refused",
                "Withdrawn",
                "Approved",
                "Approval rate",
            ],
            ["2025-01-01", "2025-05-31", "In all", "7", "59000.00", "0", "2", "1", "4", "57.14"],
        ),
    ],
    ids=["disbursements", "collections", "write-offs", "applications"],
)
def test_each_report_of_a_period_as_csv_has_the_pages_figures(petro, path, columns, total):
    header, *rows = csv_rows(petro.get(path, headers=ENGLISH))

    assert header == columns
    assert rows[-1] == total
    assert [row[2] for row in rows[:-1]] == (
        ["Beta"] if "write-offs" in path else ["Alpha", "Beta"]
    )


def test_a_report_of_a_period_as_xlsx(petro):
    sheet = xlsx_sheet(petro.get(f"/reports/collections/export.xlsx?{MARCH}", headers=UKRAINIAN))

    header, *rows = sheet_rows(sheet)
    assert header[:5] == ("З", "По", "Продукт", "Кредити", "До сплати")
    total = rows[-1]
    assert total[2] == "Усього"
    assert [two_decimals(value) for value in total[4:8]] == [
        "2081.89",
        "1193.40",
        "888.49",
        "57.32",
    ]
    assert sheet.title == "Збір платежів"


def test_the_loans_behind_a_figure_as_csv_and_xlsx(petro, book):
    loans = book.loans
    path = f"/reports/loans/export.csv?measure=applications&outcome=refused&{JANUARY_TO_MAY}"

    header, *rows = csv_rows(petro.get(path, headers=ENGLISH))
    sheet = xlsx_sheet(petro.get(path.replace(".csv", ".xlsx"), headers=ENGLISH))

    assert header == [
        "From",
        "To",
        "Loan",
        "Customer",
        "Product",
        "Manager",
        "Amount",
        "Applied",
        "Decided",
        "Outcome",
    ]
    assert [int(row[2]) for row in rows] == [loans["D"].id, loans["F"].id]
    assert {row[-1] for row in rows} == {"Refused"}
    assert [row[2] for row in sheet_rows(sheet)[1:]] == [loans["D"].id, loans["F"].id]


def test_a_list_as_of_a_day_has_the_positions(petro, book):
    path = f"/reports/loans/export.csv?measure=overdue&{AS_OF}"

    header, *rows = csv_rows(petro.get(path, headers=ENGLISH))

    assert header[-3:] == ["Outstanding principal", "Overdue amount", "Days past due"]
    assert rows == [
        [
            "2025-03-31",
            str(book.loans["C"].id),
            rows[0][2],
            "Alpha",
            "",
            "10000.00",
            "10000.00",
            "888.49",
            "16",
        ]
    ]


def test_every_row_of_a_list_goes_into_its_file(app, petro):
    app.config["PER_PAGE"] = 2

    _header, *rows = csv_rows(
        petro.get(f"/reports/loans/export.csv?measure=applications&{JANUARY_TO_MAY}")
    )

    assert len(rows) == 7


def test_a_download_is_audited_with_its_filters(petro, book):
    response = petro.get(f"/reports/export/products.csv?{AS_OF}&manager_id=none")
    csv_rows(response)

    [event] = export_events()
    assert event.entity == "portfolio"
    assert facts(event) == {
        "rows": 2,
        "format": "csv",
        "filters": {"as_of": "2025-03-31", "manager_id": "none"},
        "complete": True,
    }


@pytest.mark.parametrize(
    "path",
    [
        "/reports/export/products.csv?as_of=2999-01-01",
        "/reports/collections/export.xlsx?since=2025-03-02&until=2025-03-01",
        "/reports/loans/export.csv?measure=everything",
        "/reports/export/buckets.xlsx?product_id=999999",
    ],
)
def test_a_download_with_bad_filters_is_refused_beside_the_field(petro, path):
    response = petro.get(path)

    assert response.status_code == 422
    assert "invalid-feedback" in response.get_data(as_text=True)
    assert export_events() == []


@pytest.mark.parametrize(
    "path",
    ["/reports/export/lenders.csv", "/reports/export/products.pdf", "/reports/refunds/export.csv"],
)
def test_a_file_that_is_no_report_is_not_found(petro, path):
    assert petro.get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        f"/reports/export/products.csv?{AS_OF}",
        f"/reports/collections/export.xlsx?{MARCH}",
        f"/reports/loans/export.csv?measure=active&{AS_OF}",
    ],
)
def test_a_customer_downloads_no_report(client, login, customer_user, path):
    login(customer_user)

    assert client.get(path).status_code == 403
