"""The coverage cases of tasks (crm/tasks/routes.py), posted by the admin on the World's
tasks, and of the admin's bulk reassignment of customers (crm/admin/customers.py)."""

from unittest.mock import ANY

from crm.clock import lender_today
from crm.models import Customer, Task
from tests.audit.cases import Case, Ctx
from tests.audit.expected import Event


def task_event(ctx: Ctx, action: str, task_id, changes: dict, loan: str | None) -> Event:
    w = ctx.world
    loan_id = getattr(w, loan) if loan else None
    return Event(action, "task", task_id, changes, customer_id=w.customer, loan_id=loan_id)


def task_added(ctx: Ctx) -> list[Event]:
    w = ctx.world
    changes = {
        "title": [None, "Передзвонити щодо платежу"],
        "due_on": [None, lender_today().isoformat()],
        "assignee_id": [None, w.user],
        "customer_id": [None, w.customer],
        "loan_id": [None, w.active],
        "created_by_id": [None, w.admin],
    }
    return [task_event(ctx, "create", ANY, changes, "active")]


def task_done(ctx: Ctx) -> list[Event]:
    changes = {"done_at": [None, ctx.now], "done_by_id": [None, ctx.world.admin]}
    return [task_event(ctx, "update", ctx.world.task, changes, "active")]


def task_reopened(ctx: Ctx) -> list[Event]:
    w = ctx.world
    changes = {
        "done_at": [ctx.stored(Task, w.done_task, "done_at"), None],
        "done_by_id": [w.user, None],
    }
    return [task_event(ctx, "update", w.done_task, changes, None)]


def customer_reassigned(ctx: Ctx) -> list[Event]:
    w = ctx.world
    changes = {"manager_id": [ctx.stored(Customer, w.customer, "manager_id"), w.spare_user]}
    return [Event("update", "customer", w.customer, changes, customer_id=w.customer, loan_id=None)]


TASK_CASES: dict[str, Case] = {
    "tasks.new": Case(task_added),
    "tasks.done": Case(task_done),
    "tasks.reopen": Case(task_reopened),
    "customer.reassign_view": Case(customer_reassigned),
}
