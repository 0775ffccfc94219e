"""The tasks pages: the list (overdue first, a manager's own, an admin's everyone's), a new
task, and closing or reopening one."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from crm.clock import lender_today
from crm.extensions import db
from crm.models import Role, Task
from tests import factories
from tests.conftest import csrf_token

ROW = re.compile(r'<tr data-task="(\d+)"')


def listed(response) -> list[int]:
    return [int(task_id) for task_id in ROW.findall(response.get_data(as_text=True))]


def task_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Task))


def due(days: int):
    return lender_today() + timedelta(days=days)


def test_my_tasks_are_overdue_first_then_today_then_later(staff_client, manager):
    later = factories.TaskFactory(assignee=manager, due_on=due(5))
    today = factories.TaskFactory(assignee=manager, due_on=due(0))
    oldest = factories.TaskFactory(assignee=manager, due_on=due(-9))
    overdue = factories.TaskFactory(assignee=manager, due_on=due(-1))
    factories.TaskFactory(assignee=manager, due_on=due(-20), done_at=db.func.now())
    factories.TaskFactory(due_on=due(-30))  # someone else's

    response = staff_client.get("/tasks/")

    assert response.status_code == 200
    assert listed(response) == [oldest.id, overdue.id, today.id, later.id]
    page = response.get_data(as_text=True)
    assert page.count("data-overdue") == 2


def test_the_done_tab_lists_done_tasks(staff_client, manager, clock):
    factories.TaskFactory(assignee=manager)
    done = factories.TaskFactory(assignee=manager, done_at=clock.now, done_by=manager)

    response = staff_client.get("/tasks/?done=1")

    assert listed(response) == [done.id]
    assert "Reopen" in response.get_data(as_text=True)


def test_an_admin_sees_everyones_tasks_and_filters_by_assignee(admin_client, manager):
    mine = factories.TaskFactory(assignee=manager, due_on=due(1))
    theirs = factories.TaskFactory(due_on=due(2))

    assert listed(admin_client.get("/tasks/")) == [mine.id, theirs.id]
    assert listed(admin_client.get(f"/tasks/?assignee={manager.id}")) == [mine.id]


@pytest.mark.parametrize("value", ["abc", "-1", "1e3", "99999999999", "١"])
def test_a_bad_assignee_filter_is_a_400_that_says_so(admin_client, value):
    response = admin_client.get("/tasks/", query_string={"assignee": value})

    assert response.status_code == 400
    assert "There is no staff member" in response.get_data(as_text=True)


def test_a_manager_cannot_list_someone_elses_tasks(staff_client, manager):
    other = factories.TaskFactory(due_on=due(1))

    assert listed(staff_client.get(f"/tasks/?assignee={other.assignee_id}")) == []


def test_the_list_pages_with_a_constant_number_of_queries(
    app, staff_client, manager, count_queries
):
    def tasks(number: int) -> None:
        for _ in range(number):
            loan = factories.LoanFactory()
            factories.TaskFactory(assignee=manager, customer=loan.customer, loan=loan)

    tasks(2)
    with count_queries() as few:
        assert staff_client.get("/tasks/").status_code == 200
    tasks(30)
    with count_queries() as many:
        response = staff_client.get("/tasks/")

    assert len(listed(response)) == app.config["PER_PAGE"]
    assert many.count == few.count


def beside(page: str, field: str) -> list[str]:
    """The error messages shown under `field` (templates/_macros/forms.html)."""
    block = re.search(rf'id="{field}".*?(?=<div class="mb-3"|<button)', page, re.S)
    return re.findall(r'<div class="invalid-feedback">([^<]*)</div>', block.group(0))


def post_new(client, query="", **form):
    page = client.get(f"/tasks/new{query}")
    assert page.status_code == 200
    data = {"csrf_token": csrf_token(page.get_data(as_text=True)), **form}
    return client.post(f"/tasks/new{query}", data=data)


def test_a_new_task_about_a_loan_goes_back_to_next(staff_client, manager):
    loan = factories.LoanFactory()
    other = factories.UserFactory(role=Role.ADMIN)
    query = f"?customer_id={loan.customer_id}&loan_id={loan.id}&next=/customers/{loan.customer_id}"

    response = post_new(
        staff_client,
        query,
        title="  Call back about the payment ",
        due_on=due(2).isoformat(),
        assignee_id=str(other.id),
    )

    assert response.status_code == 302
    assert response.headers["Location"] == f"/customers/{loan.customer_id}"
    task = db.session.scalars(select(Task)).one()
    assert (task.title, task.due_on, task.assignee_id, task.created_by_id) == (
        "Call back about the payment",
        due(2),
        other.id,
        manager.id,
    )
    assert (task.customer_id, task.loan_id) == (loan.customer_id, loan.id)


def test_the_form_defaults_to_me_and_today(staff_client, manager):
    page = staff_client.get("/tasks/new").get_data(as_text=True)

    assert re.search(rf'<option selected value="{manager.id}"', page)
    assert f'value="{lender_today().isoformat()}"' in page


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({"due_on": "2001-01-01"}, "due_on", "A task is due today or later."),
        ({"due_on": "2026-02-31"}, "due_on", "Not a valid date value."),
        ({"assignee_id": "abc"}, "assignee_id", "Choose an active staff member."),
    ],
)
def test_bad_input_is_a_422_beside_the_field_and_nothing_is_added(
    staff_client, manager, form, field, message
):
    values = {"title": "Call", "due_on": due(0).isoformat(), "assignee_id": str(manager.id)}

    response = post_new(staff_client, **{**values, **form})

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert beside(page, field) == [message]
    assert task_count() == 0


def test_an_unknown_customer_or_a_loan_of_another_is_a_404(staff_client):
    loan, other = factories.LoanFactory(), factories.CustomerFactory()

    assert staff_client.get("/tasks/new?customer_id=999999").status_code == 404
    assert staff_client.get("/tasks/new?loan_id=abc").status_code == 404
    mismatch = f"/tasks/new?customer_id={other.id}&loan_id={loan.id}"
    assert staff_client.get(mismatch).status_code == 404


def test_next_off_site_is_ignored(staff_client, manager):
    response = post_new(
        staff_client,
        "?next=https://evil.example/",
        title="Call",
        due_on=due(0).isoformat(),
        assignee_id=str(manager.id),
    )

    assert response.headers["Location"] == "/tasks/"


def post_state(client, task: Task, step: str, version=None):
    page = client.get("/tasks/")
    data = {"csrf_token": csrf_token(page.get_data(as_text=True))}
    data["version"] = str(task.version if version is None else version)
    return client.post(f"/tasks/{task.id}/{step}", data=data)


def test_a_manager_closes_and_reopens_their_task(staff_client, manager):
    task = factories.TaskFactory(assignee=manager)

    assert post_state(staff_client, task, "done").status_code == 302
    db.session.refresh(task)
    assert task.is_done
    assert task.done_by_id == manager.id
    assert post_state(staff_client, task, "reopen").status_code == 302
    db.session.refresh(task)
    assert not task.is_done


def test_a_manager_cannot_close_someone_elses_task(staff_client):
    task = factories.TaskFactory()

    assert post_state(staff_client, task, "done").status_code == 404
    assert post_state(staff_client, task, "reopen").status_code == 404
    db.session.refresh(task)
    assert task.version == 1


def test_an_admin_closes_anyones_task(admin_client, admin_user):
    task = factories.TaskFactory()

    assert post_state(admin_client, task, "done").status_code == 302
    db.session.refresh(task)
    assert task.done_by_id == admin_user.id


def test_a_stale_close_is_a_409_and_changes_nothing(staff_client, manager):
    task = factories.TaskFactory(assignee=manager)

    response = post_state(staff_client, task, "done", version=7)

    assert response.status_code == 409
    db.session.refresh(task)
    assert not task.is_done


def test_closing_a_done_task_again_is_refused_with_a_message(staff_client, manager, clock):
    task = factories.TaskFactory(assignee=manager, done_at=clock.now)

    response = post_state(staff_client, task, "done")

    assert response.status_code == 302
    with staff_client.session_transaction() as session:
        assert ("error", "This task is done already.") in session["_flashes"]


@pytest.mark.parametrize("path", ["/tasks/", "/tasks/new"])
def test_customers_are_refused_and_visitors_sent_to_log_in(client, login, customer_user, path):
    assert client.get(path).status_code == 302
    login(customer_user)
    assert client.get(path).status_code == 403
