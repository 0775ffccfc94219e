"""The overview, /account/: each of the customer's loans with where it stands, a warning with
what to pay when one is late, and the applications waiting for a decision."""

import re
from decimal import Decimal

from babel.dates import format_date

from crm.clock import lender_today
from crm.models import Role
from tests import factories
from tests.account.conftest import PAYMENT, UKRAINIAN, days_ago, installments, started
from tests.loans.conftest import pay

NBSP = "\u00a0"


def card(html: str, loan_id: int) -> str:
    """The card of one loan (or application) on the overview."""
    match = re.search(rf'<article[^>]*data-loan="{loan_id}".*?</article>', html, re.DOTALL)
    assert match, f"no card for loan {loan_id}"
    return match.group(0)


def cards(html: str, section: str) -> list[int]:
    """The loans whose cards a section (my-loans, my-applications) shows, in order."""
    block = html.split(f'id="{section}"', 1)[1].split('id="my-', 1)[0]
    return [int(i) for i in re.findall(r'<article[^>]*data-loan="(\d+)"', block)]


def figure(html: str, key: str) -> str:
    match = re.search(rf'data-figure="{key}">([^<]*)<', html)
    assert match, key
    return match.group(1).strip()


def warnings(html: str) -> dict[int, str]:
    """The overdue warnings, by loan, as their text."""
    found = re.findall(r'data-overdue="(\d+)">(.*?)</div>\s*</div>', html, re.DOTALL)
    # Runs of spaces and line breaks as one space; the no-break spaces in amounts stay.
    return {
        int(loan_id): re.sub(r"[ \n]+", " ", re.sub(r"<[^>]+>", " ", text)).strip()
        for loan_id, text in found
    }


def test_each_loan_shows_its_status_amount_and_a_link(html_of, my_loans):
    html = html_of("/account/")

    assert cards(html, "my-loans") == [
        my_loans.refused.id,
        my_loans.current.id,
        my_loans.overdue.id,
        my_loans.finished.id,
    ]
    for loan, status in (
        (my_loans.current, "Active"),
        (my_loans.overdue, "Active"),
        (my_loans.finished, "Finished"),
        (my_loans.refused, "Refused"),
    ):
        shown = card(html, loan.id)
        assert f'href="/account/loans/{loan.id}"' in shown
        assert f">{status}<" in shown
        assert figure(shown, "amount") == f"UAH{NBSP}10,000.00"


def test_a_running_loan_shows_what_is_outstanding_and_the_next_payment(html_of, my_loans):
    shown = card(html_of("/account/"), my_loans.current.id)
    second = installments(my_loans.current)[1]

    # 10 000 less installment 1's principal (788.49) and the 300.00 paid on installment 2.
    assert figure(shown, "outstanding") == f"UAH{NBSP}9,003.63"
    day = format_date(second.due_date, "medium", locale="en")
    assert figure(shown, "next-payment") == f"{day} · UAH{NBSP}588.49"
    assert figure(shown, "dpd") == "0"
    assert 'data-figure="overdue"' not in shown


def test_an_overdue_loan_warns_with_what_to_pay_to_be_current(html_of, my_loans):
    html = html_of("/account/")
    rows = installments(my_loans.overdue)
    days_past_due = (lender_today() - rows[1].due_date).days
    # What is past due: installment 2 less the 100.00 paid on it, and all of installment 3.
    overdue = f"UAH{NBSP}1,676.98"

    assert warnings(html) == {
        my_loans.overdue.id: f"Loan #{my_loans.overdue.id} is {days_past_due} days past due. "
        f"Pay {overdue} to be current again."
    }
    shown = card(html, my_loans.overdue.id)
    assert "border-danger" in shown
    assert figure(shown, "dpd") == str(days_past_due)
    assert figure(shown, "overdue") == overdue
    # The next payment is the next installment to fall due; the overdue ones are above it.
    day = format_date(rows[3].due_date, "medium", locale="en")
    assert figure(shown, "next-payment") == f"{day} · UAH{NBSP}888.49"


def test_a_finished_or_refused_loan_has_no_figures_of_a_running_one(html_of, my_loans):
    html = html_of("/account/")
    for loan in (my_loans.finished, my_loans.refused):
        shown = card(html, loan.id)
        for key in ("outstanding", "next-payment", "dpd", "overdue"):
            assert f'data-figure="{key}"' not in shown


def test_pending_applications_are_listed_apart_with_a_withdraw_button(html_of, my_loans, me):
    second = factories.LoanFactory(customer=me.customer, product=my_loans.pending.product)

    html = html_of("/account/")

    assert cards(html, "my-applications") == [second.id, my_loans.pending.id]
    shown = card(html, my_loans.pending.id)
    assert f'href="/account/loans/{my_loans.pending.id}"' in shown
    assert figure(shown, "amount") == f"UAH{NBSP}7,000.00"
    assert f'action="/account/loans/{my_loans.pending.id}/withdraw"' in shown
    assert f'name="version" value="{my_loans.pending.version}"' in shown
    assert my_loans.pending.id not in cards(html, "my-loans")


def test_other_customers_loans_are_not_shown(html_of, my_loans, their_loans, other):
    html = html_of("/account/")

    theirs = {loan.id for loan in vars(their_loans).values()}
    assert not theirs & set(cards(html, "my-loans") + cards(html, "my-applications"))
    for foreign in ("Чужий продукт", "Чужинець", other.customer.phone, other.email):
        assert foreign not in html
    assert set(warnings(html)) == {my_loans.overdue.id}


def test_a_customer_without_loans_sees_empty_lists(html_of, me):
    factories.LoanFactory()

    html = html_of("/account/")

    assert cards(html, "my-loans") == cards(html, "my-applications") == []
    assert "You have no loans yet." in html
    assert "No applications are waiting." in html
    assert me.customer.full_name in html
    assert 'href="/account/apply"' in html


def test_a_login_without_a_customer_record_sees_nothing(client, login):
    factories.LoanFactory()
    login(factories.UserFactory(role=Role.CUSTOMER))

    response = client.get("/account/")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "You have no loans yet." in html
    assert cards(html, "my-loans") == []


def test_the_account_has_no_links_to_staff_pages(html_of, my_loans):
    html = html_of("/account/")
    for staff in ('href="/customers/', 'href="/loans/', 'href="/admin/', 'href="/"'):
        assert staff not in html


def test_the_overview_in_ukrainian(html_of, my_loans):
    html = html_of("/account/", UKRAINIAN)
    rows = installments(my_loans.overdue)
    days_past_due = (lender_today() - rows[1].due_date).days

    assert "Мої кредити" in html
    assert "Заявки, що очікують на рішення" in html
    assert ">Активний<" in html
    assert f"10{NBSP}000,00{NBSP}грн" in html
    text = warnings(html)[my_loans.overdue.id]
    assert text.startswith(f"Кредит #{my_loans.overdue.id} прострочено на {days_past_due} ")
    assert text.endswith(f"Сплатіть 1{NBSP}676,98{NBSP}грн, щоб погасити прострочку.")


def test_the_overview_makes_as_many_queries_for_five_loans_as_for_one(
    my_client, me, product, manager, count_queries
):
    def add_loan(number: int) -> None:
        loan = started(me.customer, product, manager, 100 + number)
        pay(loan, manager, str(PAYMENT), f"BANK-{number}-1", days_ago(60))
        pay(loan, manager, "100.00", f"BANK-{number}-2", days_ago(30))

    add_loan(0)
    factories.LoanFactory(customer=me.customer, product=product, amount=Decimal("5000"))
    with count_queries() as one:
        assert my_client.get("/account/").status_code == 200
    for number in range(1, 5):
        add_loan(number)
    with count_queries() as five:
        html = my_client.get("/account/").get_data(as_text=True)

    assert len(cards(html, "my-loans")) == 5
    assert one.count == five.count, five.statements
    # The login and its session, the loans with their products, their installments, the
    # customer's name.
    assert five.count <= 4, five.statements
