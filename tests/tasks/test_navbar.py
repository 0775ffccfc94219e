"""The navbar's count of the staff member's tasks due by today (crm/navbar.py), read with the
request's log-in session."""

import re
from datetime import timedelta

from crm.clock import lender_today
from tests import factories

BADGE = re.compile(
    r'<span class="badge rounded-pill (text-bg-\w+)" id="nav-tasks-due"[^>]*>(\d+)</span>'
)


def badge(response) -> tuple[str, int] | None:
    found = BADGE.search(response.get_data(as_text=True))
    return (found.group(1), int(found.group(2))) if found else None


def test_the_count_is_of_my_open_tasks_due_by_today(staff_client, manager, clock):
    today = lender_today()
    factories.TaskFactory(assignee=manager, due_on=today)
    factories.TaskFactory(assignee=manager, due_on=today)
    factories.TaskFactory(assignee=manager, due_on=today + timedelta(days=1))
    factories.TaskFactory(assignee=manager, due_on=today, done_at=clock.now)
    factories.TaskFactory(due_on=today)

    assert badge(staff_client.get("/customers/")) == ("text-bg-light", 2)


def test_an_overdue_task_turns_the_count_red(staff_client, manager):
    factories.TaskFactory(assignee=manager, due_on=lender_today() - timedelta(days=1))

    assert badge(staff_client.get("/")) == ("text-bg-danger", 1)


def test_no_count_without_tasks_due(staff_client, manager):
    factories.TaskFactory(assignee=manager, due_on=lender_today() + timedelta(days=3))

    response = staff_client.get("/products/")

    assert 'id="nav-tasks"' in response.get_data(as_text=True)
    assert badge(response) is None


def test_the_count_costs_no_query_of_its_own_whatever_the_number_of_tasks(
    staff_client, manager, count_queries
):
    with count_queries() as none:
        staff_client.get("/products/")
    for _ in range(20):
        factories.TaskFactory(assignee=manager, due_on=lender_today() - timedelta(days=2))
    with count_queries() as many:
        response = staff_client.get("/products/")

    assert badge(response) == ("text-bg-danger", 20)
    assert many.count == none.count
    (lookup,) = [statement for statement in many.statements if "FROM tasks" in statement]
    assert "FROM user_sessions" in lookup, "read with the log-in session"


def test_customers_see_no_count(client, login, customer_user):
    login(customer_user)

    response = client.get("/account/")

    assert 'id="nav-tasks"' not in response.get_data(as_text=True)


def test_an_error_page_shows_no_count(staff_client, manager):
    factories.TaskFactory(assignee=manager, due_on=lender_today())

    response = staff_client.get("/customers/999999")

    assert response.status_code == 404
    assert badge(response) is None
