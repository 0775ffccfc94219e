"""The loans list, one loan's page, and the steps taken on it (start, refuse, withdraw,
write off, record and reverse payments), each a form posted back to the loan page."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from crm.audit.queries import loan_history
from crm.auth.access import roles_required
from crm.clock import lender_day_start, lender_today
from crm.contacts.queries import loan_contacts
from crm.extensions import db
from crm.i18n.formats import day, money
from crm.lending.status import LoanStatus
from crm.loans import bp
from crm.loans.forms import (
    PaymentForm,
    RefuseLoanForm,
    ReversePaymentForm,
    StartLoanForm,
    VersionedForm,
    WithdrawLoanForm,
    WriteOffForm,
)
from crm.loans.queries.loans import (
    LoanFilters,
    loan_detail_options,
    loan_rows,
    loans_list,
    sort_key,
)
from crm.loans.queries.servicing import loan_servicing, schedule_preview
from crm.loans.services import lifecycle, payments
from crm.mine import mine_manager_id
from crm.models import Loan, Payment, Role
from crm.paging import page_number, paginate, per_page
from crm.products.queries import product_names
from crm.validation import MAX_ID, FieldError

LOAN_URL = f"/<int(max={MAX_ID}):loan_id>"
#: The dates of ?from= and ?to=: ISO, as a date input sends them.
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: Earlier dates are typing mistakes; the day after the last one must still be a date too.
MIN_YEAR = 1900


@bp.get("/")
def index():
    filters = loan_filters()
    sort = sort_key(request.args.get("sort"))
    page = paginate(
        loans_list(filters, sort),
        capped=True,
        count_of=loan_rows(filters),
        sort_first=bool(filters.query),
    )
    return render_template(
        "loans/index.html",
        page=page,
        filters=filters,
        sort=sort,
        dates={key: request.args.get(key, "")[:10] for key in ("from", "to")},
        statuses=list(LoanStatus),
        products=product_names(db.session),
    )


@bp.get(LOAN_URL)
def detail(loan_id: int):
    return render_detail(loan_id)


@dataclass(frozen=True)
class LifecycleStep:
    """A step the loan page posts: its form, the service that takes it, the form's fields
    the service is given, what is flashed once it is taken, and who may take it (every
    staff member when empty)."""

    form: type[VersionedForm]
    service: Callable
    fields: tuple[str, ...]
    done: LazyString
    roles: tuple[Role, ...] = ()


#: Each step by its endpoint name; it is posted to /loans/<id>/<name, dashed>.
LIFECYCLE_STEPS = {
    "start": LifecycleStep(
        StartLoanForm, lifecycle.start_loan, ("disbursed_on",), _l("Loan %(number)s has started.")
    ),
    "refuse": LifecycleStep(
        RefuseLoanForm, lifecycle.refuse_loan, ("reason",), _l("Loan %(number)s is refused.")
    ),
    "withdraw": LifecycleStep(
        WithdrawLoanForm, lifecycle.withdraw_loan, (), _l("Loan %(number)s is withdrawn.")
    ),
    "write_off": LifecycleStep(
        WriteOffForm,
        lifecycle.write_off_loan,
        ("reason",),
        _l("Loan %(number)s is written off."),
        roles=(Role.ADMIN,),
    ),
}


def lifecycle_view(name: str, step: LifecycleStep) -> Callable:
    """The view that takes `step` as the current user, on the version of the loan the page
    showed (see take_step)."""

    def view(loan_id: int):
        form = step.form()
        fields = {field: form[field].data for field in step.fields}

        def take(loan: Loan) -> str:
            by = current_user._get_current_object()
            version = form.expected_version()
            step.service(db.session, loan, by=by, expected_version=version, **fields)
            return str(step.done) % {"number": str(loan)}

        return take_step(loan_id, name, form, take)

    view.__name__ = name
    return roles_required(*step.roles)(view) if step.roles else view


for _name, _step in LIFECYCLE_STEPS.items():
    bp.add_url_rule(
        f"{LOAN_URL}/{_name.replace('_', '-')}",
        view_func=lifecycle_view(_name, _step),
        methods=["POST"],
    )


@bp.post(f"{LOAN_URL}/payments")
def record_payment(loan_id: int):
    form = PaymentForm()

    def step(loan: Loan) -> tuple[str, str]:
        payment, created = payments.record_payment(
            db.session,
            loan,
            amount=form.amount.data,
            paid_on=form.paid_on.data,
            reference=form.reference.data,
            by=current_user._get_current_object(),
        )
        facts = {
            "amount": money(payment.amount),
            "date": day(payment.paid_on),
            "reference": payment.reference,
        }
        if created:
            return _(
                "Payment of %(amount)s on %(date)s recorded (reference %(reference)s).", **facts
            ), "success"
        return _(
            "The payment with reference %(reference)s (%(amount)s on %(date)s) was already "
            "recorded; it was not recorded again.",
            **facts,
        ), "info"

    return take_step(loan_id, "payment", form, step)


@bp.post(f"{LOAN_URL}/payments/<int(max={MAX_ID}):payment_id>/reverse")
@roles_required(Role.ADMIN)
def reverse_payment(loan_id: int, payment_id: int):
    payment = db.session.scalar(
        select(Payment).where(Payment.id == payment_id, Payment.loan_id == loan_id)
    )
    if payment is None:
        abort(404)
    form = ReversePaymentForm()

    def step(_loan: Loan) -> str:
        payments.reverse_payment(
            db.session, payment, reason=form.reason.data, by=current_user._get_current_object()
        )
        return _(
            "The payment with reference %(reference)s is reversed.", reference=payment.reference
        )

    return take_step(loan_id, f"reverse_{payment_id}", form, step)


# --- Helpers ----------------------------------------------------------------------------------


def take_step(
    loan_id: int, name: str, form: FlaskForm, step: Callable[[Loan], str | tuple[str, str]]
):
    """Validate `form`, run `step` (one service call) on the loan, commit once, flash what
    happened and go back to the loan page (Post/Redirect/Get).

    `step` returns the message to flash, worked out before the commit expires what it
    reads (with a category, "success" by default). Bad input is shown beside its field on
    the loan page again (422); a refusal about no field of the form (a step the loan's
    status does not allow, a stale page) is flashed, and nothing changes.
    """
    loan = db.get_or_404(Loan, loan_id)
    if not form.validate_on_submit():
        return render_detail(loan_id, {name: form}, status=422)
    try:
        outcome = step(loan)
        db.session.commit()
    except FieldError as error:
        db.session.rollback()
        if error.field not in form:
            flash(error.message, "error")
            return redirect(url_for("loans.detail", loan_id=loan_id))
        form[error.field].errors = [*form[error.field].errors, error.message]
        return render_detail(loan_id, {name: form}, status=422)
    except StaleDataError:
        db.session.rollback()
        flash(
            _(
                "Someone else changed this loan after you opened the page, so nothing was "
                "done. Check the loan as it is now and try again."
            ),
            "error",
        )
        return redirect(url_for("loans.detail", loan_id=loan_id))
    message, category = outcome if isinstance(outcome, tuple) else (outcome, "success")
    flash(message, category)
    return redirect(url_for("loans.detail", loan_id=loan_id))


def render_detail(loan_id: int, failed: dict[str, FlaskForm] | None = None, status: int = 200):
    """The loan page; `failed` holds a submitted form to show again with its errors."""
    loan = db.get_or_404(Loan, loan_id, options=loan_detail_options(), populate_existing=True)
    today = lender_today()
    forms = {
        "start": StartLoanForm(formdata=None, version=loan.version, disbursed_on=today),
        "refuse": RefuseLoanForm(formdata=None, version=loan.version),
        "withdraw": WithdrawLoanForm(formdata=None, version=loan.version),
        "write_off": WriteOffForm(formdata=None, version=loan.version),
        "payment": PaymentForm(formdata=None, paid_on=today),
        "reverse": ReversePaymentForm(formdata=None),
        **(failed or {}),
    }
    preview = None
    if loan.status is LoanStatus.PENDING:
        preview = schedule_preview(
            loan.amount, loan.annual_rate, loan.term_months, loan.product.repayment_method, today
        )
    page = render_template(
        "loans/detail.html",
        loan=loan,
        today=today,
        servicing=loan_servicing(loan, today),
        preview=preview,
        forms=forms,
        is_admin=current_user.role is Role.ADMIN,
        history=loan_history(
            db.session, loan.id, page=page_number("history_page"), per_page=per_page()
        ),
        contacts=loan_contacts(
            db.session, loan.id, page=page_number("contacts_page"), per_page=per_page(), as_of=today
        ),
    )
    return page, status


def loan_filters() -> LoanFilters:
    """The loans list's filters from its arguments: ?q=, ?status=, ?product=, the dates
    ?from= and ?to= (ISO, the lender's calendar, both included) and ?mine=1 (the current
    user's customers). A status or date that is none, or from after to, is a 400."""
    first, last = date_range()
    return LoanFilters(
        query=request.args.get("q", ""),
        status=status_arg(request.args.get("status")),
        product_id=request.args.get("product", type=int),
        created_from=lender_day_start(first) if first else None,
        created_until=lender_day_start(last + timedelta(days=1)) if last else None,
        manager_id=mine_manager_id(),
    )


def date_range() -> tuple[date | None, date | None]:
    """The days ?from= and ?to= of a list (see date_arg); from after to is a 400."""
    first, last = date_arg("from"), date_arg("to")
    if first and last and first > last:
        abort(
            400,
            description=_("The date range starts after it ends: “from” must not be after “to”."),
        )
    return first, last


def date_arg(name: str) -> date | None:
    """The date ?<name>= as YYYY-MM-DD; empty means none, anything else is a 400."""
    value = request.args.get(name, "")
    if not value:
        return None
    try:
        day = date.fromisoformat(value) if ISO_DATE.fullmatch(value) else None
    except ValueError:
        day = None
    if day is None or day.year < MIN_YEAR or day == date.max:
        abort(
            400,
            description=_(
                "“%(value)s” is not a date; use YYYY-MM-DD, e.g. 2025-05-01.", value=value[:40]
            ),
        )
    return day


def status_arg(value: str | None) -> LoanStatus | None:
    """The ?status= filter; empty means all, an unknown status is a 400 that says so."""
    if not value:
        return None
    try:
        return LoanStatus(value)
    except ValueError:
        abort(400, description=_("There is no loan status “%(status)s”.", status=value[:40]))
