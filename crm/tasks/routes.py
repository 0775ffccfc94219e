"""The tasks pages: a staff member's list (an admin's: everyone's), a new task, and closing
or reopening one. A manager works on the tasks assigned to them only: anyone else's is not
found (404), as if it did not exist."""

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from crm.auth.navigation import safe_next
from crm.auth.queries import staff_names
from crm.clock import lender_today, utc_now
from crm.extensions import db
from crm.models import Customer, Loan, Role, Task
from crm.paging import paginate
from crm.tasks import bp, queries, services
from crm.tasks.forms import TaskForm, TaskStateForm
from crm.validation import MAX_ID, FieldError, parse_id

TASK_URL = f"/<int(max={MAX_ID}):task_id>"


@bp.get("/")
def index():
    is_admin = current_user.role is Role.ADMIN
    chosen = assignee_arg(request.args.get("assignee"))
    assignee_id = chosen if is_admin else current_user.id
    done = request.args.get("done") == "1"
    page = paginate(queries.task_list(assignee_id=assignee_id, done=done))
    return render_template(
        "tasks/index.html",
        page=page,
        done=done,
        today=lender_today(),
        is_admin=is_admin,
        assignee_id=assignee_id,
        staff=staff_names(db.session) if is_admin else [],
        state_form=TaskStateForm(formdata=None),
    )


@bp.route("/new", methods=["GET", "POST"])
def new():
    customer, loan = subject_args()
    form = TaskForm()
    form.assignee_id.choices = [
        SelectChoice(user_id, name) for user_id, name in staff_names(db.session, active_only=True)
    ]
    if not form.is_submitted():
        form.assignee_id.data = current_user.id
        form.due_on.data = lender_today()
    elif form.validate_on_submit():
        try:
            task = services.add_task(
                db.session,
                title=form.title.data,
                due_on=form.due_on.data,
                assignee_id=form.assignee_id.data,
                created_by=current_user._get_current_object(),
                today=lender_today(),
                customer_id=customer.id if customer else None,
                loan_id=loan.id if loan else None,
            )
            title = task.title
            db.session.commit()
        except FieldError as error:
            db.session.rollback()
            error.show_in(form)
        else:
            flash(_("Task “%(title)s” is added.", title=title), "success")
            return redirect(safe_next(request.args.get("next")) or url_for("tasks.index"))
    status = 422 if form.is_submitted() else 200
    page = render_template("tasks/new.html", form=form, customer=customer, loan=loan)
    return page, status


@bp.post(f"{TASK_URL}/done")
def done(task_id: int):
    def close(task: Task, version: int) -> str:
        by = current_user._get_current_object()
        services.complete_task(db.session, task, by=by, expected_version=version, at=utc_now())
        return _("Task “%(title)s” is done.", title=task.title)

    return change_state(task_id, close)


@bp.post(f"{TASK_URL}/reopen")
def reopen(task_id: int):
    def open_again(task: Task, version: int) -> str:
        services.reopen_task(db.session, task, expected_version=version)
        return _("Task “%(title)s” is open again.", title=task.title)

    return change_state(task_id, open_again)


def change_state(task_id: int, step: Callable[[Task, int], str]):
    """Run `step` (one service call) on a task the current user may work on, from the
    version the page showed, commit once and go back. A refusal is flashed; a stale
    version is a 409 (crm/errors.py)."""
    task = own_task(task_id)
    form = TaskStateForm()
    try:
        message = step(task, form.expected_version())
        db.session.commit()
    except FieldError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        flash(message, "success")
    return redirect(safe_next(request.form.get("next")) or url_for("tasks.index"))


def own_task(task_id: int) -> Task:
    """The task, when the current user may work on it: an admin any, a manager their own."""
    task = db.get_or_404(Task, task_id)
    if current_user.role is not Role.ADMIN and task.assignee_id != current_user.id:
        abort(404)
    return task


def assignee_arg(value: str | None) -> int | None:
    """The ?assignee= filter: empty means everyone, anything but a user id is a 400."""
    if not value:
        return None
    assignee_id = parse_id(value)
    if assignee_id is None:
        abort(400, description=_("There is no staff member “%(who)s”.", who=value[:40]))
    return assignee_id


def subject_args() -> tuple[Customer | None, Loan | None]:
    """The customer and loan of ?customer_id= and ?loan_id=: either may be empty, an unknown
    one (or a loan of another customer) is a 404. A loan alone brings its customer."""
    customer = record_arg(Customer, request.args.get("customer_id"))
    loan = record_arg(Loan, request.args.get("loan_id"))
    if loan is not None:
        if customer is not None and loan.customer_id != customer.id:
            abort(404)
        customer = loan.customer
    return customer, loan


def record_arg(model: type, value: str | None):
    if not value:
        return None
    record_id = parse_id(value)
    if record_id is None:
        abort(404)
    return db.get_or_404(model, record_id)
