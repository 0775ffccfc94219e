"""The loan page's history (its schedule and payments included) and who wrote it off, when."""

from datetime import UTC, datetime

from crm.extensions import db
from crm.models import Loan
from tests.audit.conftest import all_events
from tests.audit.pages import history, history_pages, history_rows, text
from tests.loans.conftest import pay

UKRAINIAN = {"Accept-Language": "uk"}


def loan_page(client, loan, headers=None, **query) -> str:
    response = client.get(f"/loans/{loan.id}", query_string=query, headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_page_shows_the_loans_events_newest_first(app, staff_client, active, manager):
    pay(active, manager, "888.49", "BANK-1")

    rows = history_rows(loan_page(staff_client, active))

    assert [row.event_id for row in rows] == [e.id for e in all_events(loan_id=active.id)][::-1][
        :25
    ]
    newest = rows[0]
    # Paid outside a request (tests/loans/conftest.py): the system acted.
    assert (newest.what, newest.who) == ("Payment recorded", "System")
    [payment] = [
        row for row in rows if row.record.startswith(f'<a href="/loans/{active.id}">Payment')
    ]
    assert payment.changes["amount"] == "Amount: 888.49"
    assert payment.changes["reference"] == "Reference: BANK-1"
    [loan] = [row for row in rows if row.action == "payment" and "Loan #" in row.record]
    assert loan.changes["principal_outstanding"] == "Principal outstanding: 10000.00 → 9211.51"


def test_the_history_speaks_the_readers_language(app, staff_client, active):
    rows = history_rows(loan_page(staff_client, active, UKRAINIAN))
    [started] = [row for row in rows if row.action == "start" and "Кредит #" in row.record]
    assert started.what == "Кредит видано"
    assert started.changes["status"] == "Статус: На розгляді → Активний"


def test_the_history_is_paged_on_the_loan_page(app, staff_client, active):
    app.config["PER_PAGE"] = 5
    newest_first = [event.id for event in all_events(loan_id=active.id)][::-1]

    second = loan_page(staff_client, active, history_page=2)

    assert [row.event_id for row in history_rows(second)] == newest_first[5:10]
    assert history_pages(second)["Newer"] == f"/loans/{active.id}?history_page=1#history"


def test_a_refused_step_shows_the_page_again_with_its_history(app, staff_client, active):
    response = staff_client.post(
        f"/loans/{active.id}/payments",
        data={"amount": "lots", "paid_on": "2025-01-15", "reference": "BANK-9"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert history_rows(html)
    # Its page links lead to the loan page, not to the step's address.
    assert all(link.startswith(f"/loans/{active.id}?") for link in history_pages(html).values())


def test_the_pages_queries_do_not_grow_with_its_history(
    app, staff_client, active, manager, count_queries
):
    address = f"/loans/{active.id}"  # read now: the payments' commits expire the loan
    pay(active, manager, "100.00", "BANK-0")
    db.session.expire_all()  # each request then loads what it shows, as on a server
    with count_queries() as short:
        staff_client.get(address)
    for number in range(1, 6):
        pay(active, manager, "100.00", f"BANK-{number}")
    db.session.expire_all()
    with count_queries() as long:
        assert len(history_rows(staff_client.get(address).get_data(as_text=True))) == 25

    assert long.count == short.count
    assert len([s for s in long.statements if "FROM audit_events" in s]) == 1


def test_the_page_says_who_wrote_the_loan_off_and_when(
    app, admin_client, admin_user, active, clock
):
    clock.now = datetime(2025, 6, 2, 7, 5, tzinfo=UTC)  # 10:05 in Kyiv
    response = admin_client.post(
        f"/loans/{active.id}/write-off",
        data={"version": active.version, "reason": "Позичальника не знайдено"},
    )
    assert response.status_code == 302

    page = loan_page(admin_client, active, UKRAINIAN)

    fields = text(page.split('class="row mb-0 crm-fields"', 1)[1].split("</dl>", 1)[0])
    assert "Причина списання Позичальника не знайдено" in fields
    assert "Списано 02.06.2025, 10:05" in fields
    assert f"Списав {admin_user.display_name}" in fields
    [written_off] = [row for row in history_rows(page) if row.action == "write_off"]
    assert written_off.what == "Списано"


def test_a_loan_not_written_off_has_no_such_lines(staff_client, active):
    assert db.session.get(Loan, active.id).written_off_at is None
    page = loan_page(staff_client, active)
    fields = page.split('id="history"')[0]
    assert "Written off by" not in fields
    assert "Written off</dt>" not in fields
    assert "History" in history(page)
