"""The customers list as CSV and XLSX: the page's rows, in the user's language, audited."""

from datetime import UTC, date, datetime, timedelta

import pytest

from crm.clock import lender_today, lender_wall_time
from crm.extensions import db
from crm.models import AuditEvent
from tests import factories
from tests.exports.conftest import (
    ENGLISH,
    UKRAINIAN,
    csv_rows,
    export_events,
    facts,
    page_ids,
    sheet_rows,
    xlsx_sheet,
)

CUSTOMER_ROW = r'<tr>\s*<td><a href="/customers/(\d+)"'
FORMULAS = ['=HYPERLINK("http://example.com","x")', "+1", "-2", "@x", "\ttab", "\rcr"]


@pytest.fixture
def customers(app, manager):
    """Three customers added a day apart, the last two managed by `manager`."""
    start = datetime(2025, 5, 1, 21, 30, tzinfo=UTC)
    names = ("Бондар", "Антоненко", "Ващенко")
    made = {
        name: factories.CustomerFactory(last_name=name, created_at=start + timedelta(days=n))
        for n, name in enumerate(names)
    }
    made["Антоненко"].manager = manager
    made["Ващенко"].manager = manager
    made["Бондар"].manager = factories.UserFactory(full_name="Інший Менеджер")
    db.session.commit()
    return made


def test_the_csv_opens_in_excel_in_ukrainian(staff_client, customers):
    response = staff_client.get("/customers/export.csv", headers=UKRAINIAN)

    header, *rows = csv_rows(response)
    assert header == [
        "№",
        "Прізвище",
        "Ім’я",
        "По батькові",
        "Телефон",
        "Ел. пошта",
        "РНОКПП",
        "Дата народження",
        "Адреса",
        "Менеджер",
        "Додано",
    ]
    customer = customers["Ващенко"]
    assert rows[0] == [
        str(customer.id),
        "Ващенко",
        "Тарас",
        "Григорович",
        f"'{customer.phone}",
        customer.email,
        customer.tax_id,
        "1985-03-09",
        "Київ, вул. Хрещатик, 1",
        "Petro Manager",
        "2025-05-04 00:30:00",
    ]
    disposition = f'attachment; filename="customers-{lender_today().isoformat()}.csv"'
    assert response.headers["Content-Disposition"] == disposition
    assert response.headers["Cache-Control"] == "no-store"


def test_the_header_follows_the_language(staff_client, customers):
    header = csv_rows(staff_client.get("/customers/export.csv", headers=ENGLISH))[0]
    assert header[:4] == ["No.", "Last name", "First name", "Patronymic"]
    header = xlsx_sheet(staff_client.get("/customers/export.xlsx", headers=UKRAINIAN))[1]
    assert [cell.value for cell in header][:2] == ["№", "Прізвище"]


def test_the_xlsx_keeps_numbers_and_dates_as_such(staff_client, customers):
    response = staff_client.get("/customers/export.xlsx", headers=ENGLISH)

    sheet = xlsx_sheet(response)
    assert sheet.title == "Customers"
    number, *_names, born, _address, _manager, added = sheet[2]
    customer = customers["Ващенко"]
    assert (number.value, number.data_type) == (customer.id, "n")
    assert born.is_date
    assert born.value.date() == date(1985, 3, 9)
    assert added.is_date
    assert added.value == lender_wall_time(customer.created_at)
    disposition = f'attachment; filename="customers-{lender_today().isoformat()}.xlsx"'
    assert response.headers["Content-Disposition"] == disposition
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("name", FORMULAS)
def test_a_name_that_starts_a_formula_stays_text_in_both_formats(staff_client, name):
    customer = factories.CustomerFactory(last_name=name, first_name=name)

    [row] = csv_rows(staff_client.get("/customers/export.csv"))[1:]
    assert row[:3] == [str(customer.id), f"'{name}", f"'{name}"]

    [row] = sheet_rows(xlsx_sheet(staff_client.get("/customers/export.xlsx")))[1:]
    # An XML reader takes a carriage return for a line end (openpyxl does not escape it).
    assert row[:3] == (customer.id, *[f"'{name}".replace("\r", "\n")] * 2)


@pytest.mark.parametrize(
    "arguments",
    ["", "sort=name", "sort=-name", "sort=created", "q=Бонд", "q=ващенко", "mine=1&sort=name"],
)
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_export_has_exactly_the_rows_of_the_page(
    staff_client, customers, arguments, file_format
):
    shown = page_ids(staff_client.get(f"/customers/?{arguments}"), "customers", CUSTOMER_ROW)
    response = staff_client.get(f"/customers/export.{file_format}?{arguments}")
    if file_format == "csv":
        exported = [int(row[0]) for row in csv_rows(response)[1:]]
    else:
        exported = [row[0] for row in sheet_rows(xlsx_sheet(response))[1:]]
    assert exported == shown
    assert shown, "the filters find someone"


def test_mine_exports_only_my_customers(staff_client, customers):
    rows = csv_rows(staff_client.get("/customers/export.csv?mine=1&sort=name"))[1:]
    assert [row[1] for row in rows] == ["Антоненко", "Ващенко"]
    assert {row[9] for row in rows} == {"Petro Manager"}


def test_the_download_is_audited_with_its_rows_and_filters(staff_client, manager, customers):
    staff_client.get("/customers/export.xlsx?q=%D0%B2&mine=1&page=2&x=1").get_data()

    [event] = export_events()
    assert (event.action, event.entity, event.entity_id) == ("export", "customer", None)
    assert (event.actor_id, event.actor, event.ip) == (manager.id, manager.email, "127.0.0.1")
    assert len(event.request_id) == 32
    assert facts(event) == {
        "rows": 1,
        "format": "xlsx",
        "filters": {"q": "в", "mine": "1"},
        "complete": True,
    }


def test_each_download_is_one_event(staff_client, customers):
    csv_rows(staff_client.get("/customers/export.csv"))
    csv_rows(staff_client.get("/customers/export.csv?sort=name"))
    assert [facts(event)["rows"] for event in export_events()] == [3, 3]
    assert [facts(event)["filters"] for event in export_events()] == [{}, {"sort": "name"}]


def test_a_list_with_no_rows_is_its_header(staff_client, customers):
    rows = csv_rows(staff_client.get("/customers/export.csv?q=Шевчук"))
    assert len(rows) == 1
    assert facts(export_events()[-1])["rows"] == 0


def test_a_customer_may_not_export(client, login, customer_user, customers):
    login(customer_user)
    for path in ("/customers/export.csv", "/customers/export.xlsx"):
        assert client.get(path).status_code == 403
    assert export_events() == []
    assert db.session.query(AuditEvent).filter_by(action="access_refused").count() == 2


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get("/customers/export.csv")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


def test_another_format_is_not_found(staff_client):
    assert staff_client.get("/customers/export.pdf").status_code == 404
