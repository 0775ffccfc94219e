"""The overview of the customer's loans, one loan's page with its schedule (also as a CSV
file), and withdrawing a pending application."""

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from crm.account import bp, queries
from crm.account.forms import WithdrawForm
from crm.account.schedule_csv import schedule_csv
from crm.clock import lender_today
from crm.exports.writers import FileFormat
from crm.extensions import db
from crm.lending.status import LoanStatus
from crm.loans.queries.servicing import loan_servicing, schedule_preview
from crm.loans.services import lifecycle
from crm.validation import MAX_ID, FieldError

LOAN_URL = f"/loans/<int(max={MAX_ID}):loan_id>"


@bp.get("/")
def index():
    customer_id = current_user.customer_id
    lines = queries.overview(db.session, customer_id, lender_today())
    pending = [line for line in lines if line.loan.status is LoanStatus.PENDING]
    return render_template(
        "account/index.html",
        customer=queries.own_customer(db.session, customer_id),
        lines=[line for line in lines if line.loan.status is not LoanStatus.PENDING],
        pending=pending,
        withdraw_form=WithdrawForm(formdata=None),
    )


@bp.get(LOAN_URL)
def loan(loan_id: int):
    record = own_loan_or_404(loan_id)
    today = lender_today()
    preview = None
    if record.status is LoanStatus.PENDING:
        preview = schedule_preview(
            record.amount,
            record.annual_rate,
            record.term_months,
            record.product.repayment_method,
            today,
        )
    return render_template(
        "account/loan.html",
        loan=record,
        line=queries.loan_line(record, today),
        servicing=loan_servicing(record, today),
        preview=preview,
        withdraw_form=WithdrawForm(formdata=None, version=record.version),
    )


@bp.get(f"{LOAN_URL}/schedule.csv")
def schedule(loan_id: int):
    record = own_loan_or_404(loan_id)
    servicing = loan_servicing(record, lender_today())
    if servicing is None:
        abort(404)
    return Response(
        schedule_csv(servicing),
        content_type=FileFormat.CSV.content_type,
        headers={
            "Content-Disposition": f'attachment; filename="loan-{record.id}-schedule.csv"',
        },
    )


@bp.post(f"{LOAN_URL}/withdraw")
def withdraw(loan_id: int):
    record = queries.own_loan_row(db.session, current_user.customer_id, loan_id)
    if record is None:
        abort(404)
    form = WithdrawForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        lifecycle.withdraw_loan(
            db.session,
            record,
            by=current_user._get_current_object(),
            expected_version=form.expected_version(),
        )
        db.session.commit()
    except FieldError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("account.loan", loan_id=loan_id))
    except StaleDataError:
        db.session.rollback()
        flash(
            _(
                "This application changed after you opened the page, so nothing was done. "
                "Check it as it is now and try again."
            ),
            "error",
        )
        return redirect(url_for("account.loan", loan_id=loan_id))
    flash(_("You have withdrawn application %(number)s.", number=f"#{loan_id}"), "success")
    return redirect(url_for("account.index"))


def own_loan_or_404(loan_id: int):
    record = queries.own_loan(db.session, current_user.customer_id, loan_id)
    if record is None:
        abort(404)
    return record
