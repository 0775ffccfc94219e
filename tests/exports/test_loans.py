"""The loans list and the overdue queue as CSV and XLSX: exactly the page's rows, whatever
its filters and sort; money as numbers; bad filters refused as the page refuses them."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from crm.clock import lender_today
from crm.extensions import db
from crm.lending.status import LoanStatus
from crm.models import Role
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
from tests.factories import loan_with_installments

LOAN_ROW = r'<tr>\s*<td><a href="/loans/(\d+)"'
QUEUE_ROW = r'data-loan="(\d+)"'
START = datetime(2025, 5, 1, 10, 0, tzinfo=UTC)


def exported_ids(response, file_format: str) -> list[int]:
    if file_format == "csv":
        return [int(row[0]) for row in csv_rows(response)[1:]]
    return [row[0] for row in sheet_rows(xlsx_sheet(response))[1:]]


@pytest.fixture
def loans(app, manager):
    """Four loans of three customers (two of them the manager's), two products, three
    statuses, applied a day apart."""
    cash, car = factories.ProductFactory(name="Готівка"), factories.ProductFactory(name="Авто")
    customers = {
        "Бондар": factories.CustomerFactory(last_name="Бондар", manager=manager),
        "Антоненко": factories.CustomerFactory(last_name="Антоненко", manager=manager),
        "Ващенко": factories.CustomerFactory(last_name="Ващенко"),
    }
    spec = [
        ("Бондар", cash, "5000.00", LoanStatus.ACTIVE),
        ("Антоненко", car, "20000.00", LoanStatus.PENDING),
        ("Ващенко", cash, "1000.50", LoanStatus.ACTIVE),
        ("Бондар", car, "7500.00", LoanStatus.REFUSED),
    ]
    made = [
        factories.LoanFactory(
            customer=customers[name],
            product=product,
            amount=Decimal(amount),
            annual_rate=Decimal("18.5"),
            status=status,
            created_at=START + timedelta(days=n),
        )
        for n, (name, product, amount, status) in enumerate(spec)
    ]
    db.session.commit()
    return {"loans": made, "cash": cash, "car": car}


@pytest.mark.parametrize(
    "arguments",
    [
        "",
        "status=active",
        "product={cash}",
        "from=2025-05-02&to=2025-05-03",
        "q=Бонд",
        "q=%23{first}",
        "mine=1",
        "sort=-amount",
        "sort=customer",
        "sort=-customer&status=active&mine=1",
        "product=abc&status=",
    ],
)
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_loans_export_has_exactly_the_rows_of_the_page(
    staff_client, loans, arguments, file_format
):
    arguments = arguments.format(cash=loans["cash"].id, first=loans["loans"][0].id)
    shown = page_ids(staff_client.get(f"/loans/?{arguments}"), "loans", LOAN_ROW)
    response = staff_client.get(f"/loans/export.{file_format}?{arguments}")
    assert exported_ids(response, file_format) == shown
    assert shown, "the filters find some loans"


def test_loans_are_written_for_excel(staff_client, loans):
    loan = loans["loans"][2]
    header, *rows = csv_rows(staff_client.get("/loans/export.csv?sort=amount", headers=UKRAINIAN))
    assert header[:3] == ["№", "Дата заявки", "Клієнт"]
    assert rows[0] == [
        str(loan.id),
        "2025-05-03 13:00:00",
        loan.customer.full_name,
        loan.customer.tax_id,
        "Готівка",
        "1000,50",
        "12",
        "18,50",
        "Активний",
        "",
        "0,00",
    ]

    sheet = xlsx_sheet(staff_client.get("/loans/export.xlsx?sort=amount", headers=ENGLISH))
    number, applied, *_texts, amount, term, rate, status, disbursed, outstanding = sheet[2]
    assert (number.value, term.value, status.value, disbursed.value) == (
        loan.id,
        12,
        "Active",
        None,
    )
    assert applied.is_date
    assert applied.value == datetime(2025, 5, 3, 13, 0)  # noqa: DTZ001 (Excel keeps no zone)
    assert (amount.value, amount.number_format) == (1000.5, "#,##0.00")
    assert (rate.value, rate.number_format) == (18.5, "0.00")
    assert (outstanding.value, outstanding.number_format) == (0, "#,##0.00")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ("status=lost", "There is no loan status"),
        ("from=2025-13-01", "is not a date"),
        ("from=2025-05-02&to=2025-05-01", "starts after it ends"),
    ],
)
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_bad_filter_is_refused_as_the_page_refuses_it(
    staff_client, loans, arguments, message, file_format
):
    page = staff_client.get(f"/loans/?{arguments}")
    response = staff_client.get(f"/loans/export.{file_format}?{arguments}")
    assert response.status_code == page.status_code == 400
    assert message in response.get_data(as_text=True)
    assert export_events() == []


def test_the_loans_export_is_audited_with_its_filters(staff_client, loans):
    csv_rows(staff_client.get("/loans/export.csv?status=active&mine=1&sort=-amount&page=3"))
    [event] = export_events()
    assert (event.entity, facts(event)) == (
        "loan",
        {
            "rows": 1,
            "format": "csv",
            "filters": {"status": "active", "mine": "1", "sort": "-amount"},
            "complete": True,
        },
    )


# --- The overdue queue ------------------------------------------------------------------------


def overdue_loan(days: int, amount: str, manager) -> object:
    """An active loan whose only unpaid installment fell due `days` days ago, and one to come."""
    today = lender_today()
    return loan_with_installments(
        [(today - timedelta(days=days), amount, "10.00"), (today + timedelta(days=5), "500", "5")],
        customer=factories.CustomerFactory(manager=manager),
    )


@pytest.fixture
def queue(app, manager):
    """Loans 5, 40 and 120 days past due; the first and last of `manager`'s customers."""
    other = factories.UserFactory(role=Role.MANAGER, full_name="Олена Коваль")
    loans = {
        "dpd5": overdue_loan(5, "9000.00", manager),
        "dpd40": overdue_loan(40, "100.00", other),
        "dpd120": overdue_loan(120, "300.00", manager),
    }
    loan_with_installments([(lender_today(), "100", "1")])  # due today: not overdue
    return loans


@pytest.mark.parametrize(
    "arguments",
    ["", "sort=-amount", "sort=dpd", "bucket=1-30", "manager={me}", "no_contact=1&sort=next"],
)
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_overdue_export_has_exactly_the_rows_of_the_queue(
    staff_client, manager, queue, arguments, file_format
):
    arguments = arguments.format(me=manager.id)
    shown = page_ids(staff_client.get(f"/loans/overdue?{arguments}"), "overdue-loans", QUEUE_ROW)
    response = staff_client.get(f"/loans/overdue/export.{file_format}?{arguments}")
    assert exported_ids(response, file_format) == shown
    assert shown, "the filters find some loans"


def test_the_overdue_export_says_what_each_owes(staff_client, queue):
    loan = queue["dpd120"]
    header, first, *_rest = csv_rows(
        staff_client.get("/loans/overdue/export.csv", headers=UKRAINIAN)
    )
    assert header[:7] == [
        "Кредит",
        "Клієнт",
        "Телефон",
        "Менеджер",
        "Днів прострочки",
        "Група прострочки",
        "Прострочено",
    ]
    assert first[:9] == [
        str(loan.id),
        loan.customer.full_name,
        f"'{loan.customer.phone}",
        "Petro Manager",
        "120",
        "Понад 90 днів",
        "310,00",
        "800,00",
        (lender_today() + timedelta(days=5)).isoformat(),
    ]

    sheet = xlsx_sheet(staff_client.get("/loans/overdue/export.xlsx"))
    dpd, _bucket, overdue, outstanding, next_due = sheet[2][4:9]
    assert (dpd.value, overdue.value, outstanding.value) == (120, 310, 800)
    assert overdue.number_format == outstanding.number_format == "#,##0.00"
    assert next_due.is_date
    [event] = export_events()[-1:]
    assert (event.entity, facts(event)["rows"], facts(event)["format"]) == (
        "overdue_queue",
        3,
        "xlsx",
    )


@pytest.mark.parametrize("arguments", ["bucket=current", "manager=abc", "no_contact=yes"])
def test_a_bad_queue_filter_is_refused_as_the_queue_refuses_it(staff_client, queue, arguments):
    assert staff_client.get(f"/loans/overdue?{arguments}").status_code == 400
    assert staff_client.get(f"/loans/overdue/export.csv?{arguments}").status_code == 400


@pytest.mark.parametrize(
    "path", ["/loans/export.csv", "/loans/export.xlsx", "/loans/overdue/export.csv"]
)
def test_a_customer_may_not_export_loans(client, login, customer_user, path):
    login(customer_user)
    assert client.get(path).status_code == 403
