"""The payments journal at /loans/payments/ and its export: every payment, newest first,
filtered by the day paid, the product and "my customers", a page in a fixed number of
queries, and the same rows in the file."""

from datetime import date
from decimal import Decimal

import pytest

from crm.demo.bulk import bulk_insert
from crm.extensions import db
from crm.loans.services.payments import reverse_payment
from crm.models import Payment
from tests import bulk, factories
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
from tests.loans.conftest import APPLIED, pay, start

URL = "/loans/payments/"
PAYMENT_ROW = r'data-payment="(\d+)"'


@pytest.fixture
def journal(app, manager, admin_user):
    """Four payments on two loans (two products; the first loan's customer is the manager's),
    paid on three days; the last one reversed."""
    cash, car = factories.ProductFactory(name="Готівка"), factories.ProductFactory(name="Авто")
    mine = factories.LoanFactory(
        product=cash,
        customer=factories.CustomerFactory(last_name="Бондар", manager=manager),
        created_at=APPLIED,
    )
    theirs = factories.LoanFactory(
        product=car, customer=factories.CustomerFactory(last_name="Ващенко"), created_at=APPLIED
    )
    for loan in (mine, theirs):
        start(loan, manager, date(2025, 1, 15))
    made = [
        pay(mine, manager, "100.00", "A-1", date(2025, 2, 1))[0],
        pay(theirs, admin_user, "250.50", "B-1", date(2025, 2, 15))[0],
        pay(mine, manager, "300.00", "A-2", date(2025, 2, 15))[0],
        pay(theirs, admin_user, "40.00", "=B-2", date(2025, 3, 1))[0],
    ]
    reverse_payment(db.session, made[3], reason="Wrong loan", by=admin_user)
    db.session.commit()
    return {"payments": made, "cash": cash, "car": car}


def ids(journal, *numbers: int) -> list[int]:
    return [journal["payments"][number].id for number in numbers]


def test_the_journal_lists_payments_newest_first(staff_client, journal):
    response = staff_client.get(URL)
    html = response.get_data(as_text=True)

    assert page_ids(response, "payments", PAYMENT_ROW) == ids(journal, 3, 2, 1, 0)
    first = journal["payments"][0]
    assert f'<a href="/loans/{first.loan_id}">#{first.loan_id}</a>' in html
    assert f'href="/customers/{first.loan.customer_id}"' in html
    assert "UAH\u00a0250.50" in html
    assert ">A-2<" in html
    assert "Petro Manager" in html
    assert "Olena Admin" in html
    assert html.count(">Reversed</span>") == 1
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ("from=2025-02-15", [3, 2, 1]),
        ("to=2025-02-15", [2, 1, 0]),
        ("from=2025-02-15&to=2025-02-15", [2, 1]),
        ("product={cash}", [2, 0]),
        ("product={car}&from=2025-03-01", [3]),
        ("mine=1", [2, 0]),
        ("mine=0&product=abc&from=", [3, 2, 1, 0]),
        ("product=99999999999999999999", [3, 2, 1, 0]),
        ("from=2026-01-01", []),
    ],
)
def test_the_journal_is_filtered(staff_client, journal, arguments, expected):
    arguments = arguments.format(cash=journal["cash"].id, car=journal["car"].id)
    response = staff_client.get(f"{URL}?{arguments}")
    assert page_ids(response, "payments", PAYMENT_ROW) == ids(journal, *expected)
    if not expected:
        assert "No payments match these filters." in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "arguments", ["from=2025-02-30", "to=yesterday", "from=2025-03-01&to=2025-02-01"]
)
@pytest.mark.parametrize("path", [URL, f"{URL}export.csv", f"{URL}export.xlsx"])
def test_a_bad_date_is_a_bad_request(staff_client, arguments, path):
    assert staff_client.get(f"{path}?{arguments}").status_code == 400


def test_an_empty_journal_says_so(staff_client):
    assert "No payments yet." in staff_client.get(URL).get_data(as_text=True)


def test_the_loans_list_links_to_the_journal(staff_client):
    assert f'href="{URL}"' in staff_client.get("/loans/").get_data(as_text=True)


def payments_of(loan_id: int, user_id: int, count: int, batch: str) -> None:
    """`count` payments of the loan, written in bulk; `batch` keeps their references apart."""
    rows = [
        {
            "loan_id": loan_id,
            "paid_on": date(2025, 1, 1 + n % 28),
            "amount": Decimal("10.00"),
            "reference": f"{batch}-{loan_id}-{n}",
            "recorded_by_id": user_id,
            "recorded_at": bulk.START,
        }
        for n in range(count)
    ]
    bulk_insert(db.session, Payment, rows)
    db.session.commit()


@pytest.mark.parametrize("arguments", ["", "mine=1", "product={product}&from=2025-01-05"])
def test_a_page_of_the_journal_takes_the_same_queries_however_long_it_is(
    staff_client, manager, count_queries, arguments
):
    product = factories.ProductFactory()
    arguments = arguments.format(product=product.id)
    customers = bulk.add_customers(3)
    bulk.add_loans(customers, product.id, 3)
    loan_ids = [loan.id for loan in db.session.scalars(db.select(bulk.Loan))]
    payments_of(loan_ids[0], manager.id, 5, "FEW")
    with count_queries() as small:
        assert staff_client.get(f"{URL}?{arguments}").status_code == 200
    for loan_id in loan_ids:
        payments_of(loan_id, manager.id, 100, "MANY")
    with count_queries() as large:
        assert staff_client.get(f"{URL}?{arguments}").status_code == 200
    assert small.count == large.count, large.statements
    # The user, the page of payments (loan, customer, product and recorder joined in), its
    # capped count, the products of the filter, and the navbar's count of tasks due.
    assert large.count <= 5, large.statements


@pytest.mark.parametrize(
    "arguments", ["", "mine=1", "product={car}", "from=2025-02-15&to=2025-02-15"]
)
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_export_has_exactly_the_rows_of_the_journal(
    staff_client, journal, arguments, file_format
):
    arguments = arguments.format(car=journal["car"].id)
    shown = page_ids(staff_client.get(f"{URL}?{arguments}"), "payments", PAYMENT_ROW)
    response = staff_client.get(f"{URL}export.{file_format}?{arguments}")
    if file_format == "csv":
        references = [row[5] for row in csv_rows(response)[1:]]
    else:
        references = [row[5] for row in sheet_rows(xlsx_sheet(response))[1:]]
    by_id = {payment.id: payment.reference for payment in journal["payments"]}
    assert references == [by_id[number].replace("=", "'=") for number in shown]
    assert shown


def test_the_export_writes_money_dates_and_reversals_for_excel(staff_client, journal):
    header, reversed_row, *_rest = csv_rows(staff_client.get(f"{URL}export.csv", headers=UKRAINIAN))
    assert header == [
        "Дата",
        "Кредит",
        "Клієнт",
        "Продукт",
        "Сума",
        "Референс платежу",
        "Вніс",
        "Сторновано",
    ]
    payment = journal["payments"][3]
    assert reversed_row[:7] == [
        "2025-03-01",
        str(payment.loan_id),
        payment.loan.customer.full_name,
        "Авто",
        "40,00",
        "'=B-2",
        "Olena Admin",
    ]
    assert reversed_row[7]

    sheet = xlsx_sheet(staff_client.get(f"{URL}export.xlsx", headers=ENGLISH))
    paid_on, loan, _customer, _product, amount, _reference, _by, reversal = sheet[3]
    assert paid_on.is_date
    assert paid_on.value.date() == date(2025, 2, 15)
    assert (loan.value, amount.value, amount.number_format) == (
        journal["payments"][2].loan_id,
        300,
        "#,##0.00",
    )
    assert reversal.value is None
    assert sheet["H2"].is_date
    [_csv, event] = export_events()
    assert (event.entity, facts(event)["rows"]) == ("payment", 4)


@pytest.mark.parametrize("path", [URL, f"{URL}export.csv", f"{URL}export.xlsx"])
def test_a_customer_may_not_see_the_journal(client, login, customer_user, path):
    login(customer_user)
    assert client.get(path).status_code == 403
