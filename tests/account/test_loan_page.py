"""One loan's page, /account/loans/<id>: its schedule with each row's state, the payments and
how each was allocated, what the loan costs; a pending application's preview; the schedule
as a CSV file."""

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest

from crm.extensions import db
from crm.loans.services import payments
from tests.account.conftest import ENGLISH, PAYMENT, UKRAINIAN, days_ago, started
from tests.loans.conftest import pay

NBSP = "\u00a0"


def row_states(html: str) -> list[str]:
    return re.findall(r'<tr data-number="\d+" data-state="(\w+)">', html)


def text_of(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>([^<]*)<', html)
    assert match, element_id
    return match.group(1)


def test_a_running_loan_shows_its_schedule_payments_and_cost(html_of, my_loans, manager):
    html = html_of(f"/account/loans/{my_loans.current.id}")

    assert f"Loan #{my_loans.current.id}" in html
    assert row_states(html) == ["paid", "partly_paid"] + ["unpaid"] * 10
    assert ">Partly paid<" in html
    assert text_of(html, "outstanding") == f"UAH{NBSP}9,003.63"
    assert text_of(html, "next-amount") == f"UAH{NBSP}588.49"
    assert text_of(html, "dpd") == "0"
    assert "Nothing is overdue." in html
    # The cost as the staff's loan page shows it: the first reference case.
    assert text_of(html, "total-interest") == f"UAH{NBSP}661.86"
    assert text_of(html, "total-payable") == f"UAH{NBSP}10,661.86"
    assert text_of(html, "aprc") == "12.68 %"
    # Each payment with where it went; not who recorded it (staff).
    assert re.findall(r'<tr data-payment="\d+" data-reversed="(\w+)"', html) == ["no", "no"]
    assert "MINE-C1" in html
    assert "MINE-C2" in html
    assert f"Installment 1: interest UAH{NBSP}100.00, principal UAH{NBSP}788.49" in html
    assert f"Installment 2: interest UAH{NBSP}92.12, principal UAH{NBSP}207.88" in html
    assert manager.display_name not in html
    # The schedule as a file and on paper; nothing to withdraw.
    assert f'href="/account/loans/{my_loans.current.id}/schedule.csv"' in html
    assert "data-print" in html
    assert '<script src="/static/js/print.js" defer></script>' in html
    assert '<link rel="stylesheet" href="/static/css/print.css">' in html
    assert "/withdraw" not in html


def test_an_overdue_loan_shows_its_overdue_rows_and_what_to_pay(html_of, my_loans):
    html = html_of(f"/account/loans/{my_loans.overdue.id}")

    assert row_states(html) == ["paid", "overdue", "overdue"] + ["unpaid"] * 9
    assert text_of(html, "overdue-amount") == f"UAH{NBSP}1,676.98"
    assert f"Pay UAH{NBSP}1,676.98 to be current again." in html
    assert "days past due</span>" in html


def test_a_finished_loan_shows_its_paid_schedule(html_of, my_loans):
    html = html_of(f"/account/loans/{my_loans.finished.id}")

    assert row_states(html) == ["paid"] * 12
    assert ">Finished<" in html
    assert 'id="loan-position"' not in html
    assert text_of(html, "total-payable") == f"UAH{NBSP}10,661.86"
    assert "MINE-F1" in html


def test_a_pending_application_shows_its_preview_and_can_be_withdrawn(html_of, my_loans):
    loan = my_loans.pending
    html = html_of(f"/account/loans/{loan.id}")

    assert ">Pending<" in html
    assert 'id="schedule-preview"' in html
    assert "What the loan would cost" in html
    assert text_of(html, "total-interest") == f"UAH{NBSP}463.32"
    assert f'action="/account/loans/{loan.id}/withdraw"' in html
    assert f'name="version" value="{loan.version}"' in html
    assert "schedule.csv" not in html


def test_a_refused_application_shows_no_schedule(html_of, my_loans):
    html = html_of(f"/account/loans/{my_loans.refused.id}")

    assert ">Refused<" in html
    assert 'id="schedule"' not in html
    assert "schedule.csv" not in html
    assert "/withdraw" not in html


def test_a_reversed_payment_is_struck_through_without_the_staffs_reason(
    html_of, my_loans, admin_user
):
    payment = my_loans.current.payments[-1]
    payments.reverse_payment(db.session, payment, reason="Помилка касира", by=admin_user)
    db.session.commit()

    html = html_of(f"/account/loans/{my_loans.current.id}")

    assert f'<tr data-payment="{payment.id}" data-reversed="yes"' in html
    assert f"<s>UAH{NBSP}300.00</s>" in html
    assert ">Reversed<" in html
    assert "Помилка касира" not in html
    assert admin_user.display_name not in html
    assert row_states(html)[:2] == ["paid", "unpaid"]


def test_the_loan_page_in_ukrainian(html_of, my_loans):
    html = html_of(f"/account/loans/{my_loans.current.id}", UKRAINIAN)

    assert f"Кредит #{my_loans.current.id}" in html
    assert "Графік платежів" in html
    assert ">Частково сплачено<" in html
    assert "Реальна річна ставка" in html
    assert f"10{NBSP}661,86{NBSP}грн" in html
    assert "Завантажити графік" in html


def test_the_loan_page_makes_as_many_queries_for_many_payments_as_for_one(
    my_client, me, product, manager, count_queries
):
    short = started(me.customer, product, manager, 40)
    pay(short, manager, str(PAYMENT), "SHORT-1", days_ago(12))
    long = started(me.customer, product, manager, 160, term_months=36)
    for number in range(5):
        pay(long, manager, "200.00", f"LONG-{number}", days_ago(150 - 30 * number))

    urls = f"/account/loans/{short.id}", f"/account/loans/{long.id}"

    with count_queries() as one:
        assert my_client.get(urls[0]).status_code == 200
    with count_queries() as many:
        html = my_client.get(urls[1]).get_data(as_text=True)

    assert len(row_states(html)) == 36
    assert html.count("data-payment=") == 5
    assert one.count == many.count, many.statements
    # The login and its session, the loan with its product, the schedule, the payments,
    # their allocations.
    assert many.count <= 5, many.statements


# --- The schedule as a CSV file -----------------------------------------------------------------


def schedule_csv(client, loan_id: int, headers: dict):
    response = client.get(f"/account/loans/{loan_id}/schedule.csv", headers=headers)
    assert response.status_code == 200
    return response


def test_the_schedule_downloads_as_a_csv_file_for_excel(my_client, my_loans):
    response = schedule_csv(my_client, my_loans.current.id, UKRAINIAN)

    assert response.mimetype == "text/csv"
    assert response.mimetype_params == {"charset": "utf-8"}
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="loan-{my_loans.current.id}-schedule.csv"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "№",
        "Дата платежу",
        "Платіж",
        "Основний борг",
        "Відсотки",
        "Сплачено",
        "Залишилося сплатити",
        "Дата оплати",
        "Статус",
    ]
    assert len(rows) == 13
    first, second, last = rows[1], rows[2], rows[12]
    installments = my_loans.current.installments
    assert first == [
        "1",
        installments[0].due_date.isoformat(),
        "888,49",
        "788,49",
        "100,00",
        "888,49",
        "0,00",
        days_ago(12).isoformat(),
        "Сплачено",
    ]
    assert second[5:] == ["300,00", "588,49", "", "Частково сплачено"]
    assert last[2:5] == ["888,47", "879,67", "8,80"]
    assert last[-1] == "Не сплачено"


def test_the_csv_speaks_english_with_decimal_points(my_client, my_loans):
    body = schedule_csv(my_client, my_loans.overdue.id, ENGLISH).get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))

    assert rows[0][:3] == ["No.", "Due date", "Payment"]
    assert rows[0][-1] == "Status"
    assert [row[-1] for row in rows[1:4]] == ["Paid", "Overdue", "Overdue"]
    assert rows[2][5:7] == ["100.00", "788.49"]
    assert all(re.fullmatch(r"\d+\.\d\d", row[2]) for row in rows[1:])


@pytest.mark.parametrize("which", ["pending", "refused"])
def test_an_application_without_a_schedule_has_no_csv(my_client, my_loans, which):
    loan = getattr(my_loans, which)
    response = my_client.get(f"/account/loans/{loan.id}/schedule.csv")
    assert response.status_code == 404


def test_the_csv_of_a_loan_started_today_lists_every_row_unpaid(my_client, me, product, manager):
    loan = started(me.customer, product, manager, 0, amount=Decimal("1200"), term_months=3)
    body = schedule_csv(my_client, loan.id, ENGLISH).get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert [row[0] for row in rows[1:]] == ["1", "2", "3"]
    assert {row[-1] for row in rows[1:]} == {"Unpaid"}
    assert rows[1][1] > (days_ago(0) + timedelta(days=27)).isoformat()
