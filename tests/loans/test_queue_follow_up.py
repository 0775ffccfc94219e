"""The collector's columns of the overdue queue: last contact, promise, next task, next
action; its filters "mine", "no contact in 7 days" and "promise broken"."""

from datetime import timedelta
from decimal import Decimal

import pytest

from crm.clock import lender_today, utc_now
from crm.extensions import db
from crm.models import ContactKind, ContactOutcome, Interaction, Payment, Role, Task
from tests.factories import CustomerFactory, UserFactory
from tests.loans.test_overdue import URL, overdue_loan, shown


def contact(loan, *, ago=timedelta(days=1), outcome=ContactOutcome.REACHED, **promise):
    if promise:
        outcome = ContactOutcome.PROMISED_TO_PAY
        promise.setdefault("loan_id", loan.id)
        promise.setdefault("promise_made_on", lender_today() - timedelta(days=5))
    interaction = Interaction(
        customer_id=loan.customer_id,
        kind=ContactKind.CALL,
        outcome=outcome,
        created_at=utc_now() - ago,
        **promise,
    )
    db.session.add(interaction)
    return interaction


def promise(loan, amount, due_in_days, ago=timedelta(days=5)):
    return contact(
        loan,
        ago=ago,
        promise_amount=Decimal(amount),
        promise_due_on=lender_today() + timedelta(days=due_in_days),
    )


def paid(loan, amount, days_ago, reference="R"):
    payment = Payment(
        loan_id=loan.id,
        paid_on=lender_today() - timedelta(days=days_ago),
        amount=Decimal(amount),
        reference=reference,
    )
    db.session.add(payment)
    return payment


def task(loan, due_in_days, title="Call back", *, assignee, done=False, on_customer=False):
    item = Task(
        title=title,
        due_on=lender_today() + timedelta(days=due_in_days),
        assignee_id=assignee.id,
        customer_id=loan.customer_id,
        loan_id=None if on_customer else loan.id,
        done_at=utc_now() if done else None,
    )
    db.session.add(item)
    return item


def cell(html: str, loan_id: int, attribute: str) -> str:
    row = html.split(f'<tr data-loan="{loan_id}">', 1)[1].split("</tr>", 1)[0]
    return row.split(f'{attribute}="', 1)[1].split('"', 1)[0]


@pytest.fixture
def officer(app):
    return UserFactory(role=Role.MANAGER, full_name="Олена Коваль")


def test_last_contact_is_the_customers_latest(staff_client, officer):
    loan = overdue_loan(10)
    contact(loan, ago=timedelta(days=3), outcome=ContactOutcome.NO_ANSWER)
    latest = contact(loan, ago=timedelta(hours=2), outcome=ContactOutcome.CALL_BACK)
    quiet = overdue_loan(20)
    db.session.commit()
    html = staff_client.get(URL).get_data(as_text=True)
    assert cell(html, loan.id, "data-last-contact").startswith(latest.created_at.isoformat()[:16])
    assert "Asked to call back" in html
    assert cell(html, quiet.id, "data-last-contact") == ""
    assert "Never" in html


def test_promise_states_follow_the_payments(staff_client):
    open_loan, kept_loan, broken_loan, reversed_loan = (overdue_loan(d) for d in (10, 20, 30, 40))
    promise(open_loan, "100.00", 3)
    promise(kept_loan, "100.00", -1)
    paid(kept_loan, "60.00", 3, "A")
    paid(kept_loan, "40.00", 2, "B")
    promise(broken_loan, "100.00", -1)
    paid(broken_loan, "99.99", 2)
    promise(reversed_loan, "100.00", -1)
    paid(reversed_loan, "100.00", 2).reversed_at = utc_now()
    db.session.commit()
    html = staff_client.get(URL).get_data(as_text=True)
    states = {
        loan.id: cell(html, loan.id, "data-promise")
        for loan in (open_loan, kept_loan, broken_loan, reversed_loan)
    }
    assert states == {
        open_loan.id: "open",
        kept_loan.id: "kept",
        broken_loan.id: "broken",
        reversed_loan.id: "broken",
    }
    broken_only = staff_client.get(URL, query_string={"promise": "broken"})
    assert sorted(shown(broken_only.get_data(as_text=True))) == sorted(
        [broken_loan.id, reversed_loan.id]
    )


def test_a_payment_made_before_the_promise_does_not_keep_it(staff_client):
    loan = overdue_loan(10)
    promise(loan, "100.00", -1, ago=timedelta(days=3))
    paid(loan, "100.00", 6)  # the promise was made 5 days ago
    db.session.commit()
    html = staff_client.get(URL).get_data(as_text=True)
    assert cell(html, loan.id, "data-promise") == "broken"


def test_next_action_is_the_earlier_of_the_open_task_and_the_open_promise(staff_client, officer):
    by_task, by_promise, nothing, done_only = (overdue_loan(d) for d in (10, 20, 30, 40))
    task(by_task, 2, assignee=officer)
    task(by_task, 1, "Visit", assignee=officer, on_customer=True)
    promise(by_task, "50.00", 4)
    promise(by_promise, "50.00", 3)
    task(by_promise, 6, assignee=officer)
    task(done_only, 0, assignee=officer, done=True)
    db.session.commit()
    html = staff_client.get(URL, query_string={"sort": "next"}).get_data(as_text=True)
    today = lender_today()
    assert cell(html, by_task.id, "data-next-action") == str(today + timedelta(days=1))
    assert "Visit" in html
    assert cell(html, by_promise.id, "data-next-action") == str(today + timedelta(days=3))
    assert cell(html, nothing.id, "data-next-action") == ""
    assert cell(html, done_only.id, "data-next-action") == ""
    order = shown(html)
    assert order[:2] == [by_task.id, by_promise.id]
    assert set(order[2:]) == {nothing.id, done_only.id}
    latest_first = shown(
        staff_client.get(URL, query_string={"sort": "-next"}).get_data(as_text=True)
    )
    assert latest_first[:2] == [by_promise.id, by_task.id]


def test_no_contact_in_7_days_filter(staff_client):
    recent, old, never = (overdue_loan(d) for d in (10, 20, 30))
    contact(recent, ago=timedelta(days=6, hours=23))
    contact(old, ago=timedelta(days=7, hours=1))
    db.session.commit()
    html = staff_client.get(URL, query_string={"no_contact": "1"}).get_data(as_text=True)
    assert sorted(shown(html)) == sorted([old.id, never.id])


def test_mine_shows_the_loans_of_my_customers(client, login, officer):
    other = UserFactory(role=Role.MANAGER)
    mine = overdue_loan(10, customer=CustomerFactory(manager=officer))
    overdue_loan(20, customer=CustomerFactory(manager=other))
    db.session.commit()
    login(officer)
    html = client.get(URL).get_data(as_text=True)
    assert f"manager={officer.id}" in html
    assert shown(client.get(URL, query_string={"manager": officer.id}).get_data(as_text=True)) == [
        mine.id
    ]


@pytest.mark.parametrize(
    "args", [{"no_contact": "yes"}, {"no_contact": "7"}, {"promise": "kept"}, {"promise": "1"}]
)
def test_bad_filter_values_are_a_400(staff_client, args):
    response = staff_client.get(URL, query_string=args)
    assert response.status_code == 400
    assert "is not a value of the filter" in response.get_data(as_text=True)


def test_query_count_does_not_grow_with_contacts_promises_and_tasks(
    staff_client, officer, count_queries
):
    def add(n):
        for days in range(n):
            loan = overdue_loan(10 + days)
            contact(loan)
            promise(loan, "10.00", 2)
            paid(loan, "5.00", 1, f"R{days}")
            task(loan, 1, assignee=officer)
        db.session.commit()

    add(2)
    with count_queries() as small:
        assert staff_client.get(URL, query_string={"sort": "next"}).status_code == 200
    add(10)
    with count_queries() as large:
        assert staff_client.get(URL, query_string={"sort": "next"}).status_code == 200
    assert large.count == small.count


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"promise_broken": True},
        {"not_contacted_since": "week"},
        {"promise_broken": True, "not_contacted_since": "week"},
    ],
)
def test_what_the_pages_count_is_what_the_queue_lists(app, filters):
    from crm.loans.queries import overdue as queue

    # 10: nothing; 20: a broken promise made lately; 30: the same and a call since;
    # 40: a broken promise made 9 days ago and nothing since.
    for days in (10, 20, 30, 40):
        loan = overdue_loan(days)
        if days > 10:
            promise(loan, "100.00", -1, ago=timedelta(days=9 if days == 40 else 5))
        if days == 30:
            contact(loan, ago=timedelta(days=2))
    db.session.commit()
    if filters.get("not_contacted_since"):
        filters = {**filters, "not_contacted_since": utc_now() - timedelta(days=7)}
    today = lender_today()
    listed = db.session.scalars(queue.overdue_queue(today, **filters)).all()
    order = db.session.scalars(queue.queue_order(today, **filters)).all()
    assert [row.loan_id for row in listed] == order
    assert listed
