"""Logging a contact with a customer: from the card, the loan page or the overdue queue."""

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from crm.auth.navigation import safe_next
from crm.clock import lender_today
from crm.contacts import bp, services
from crm.contacts.forms import ContactForm
from crm.extensions import db
from crm.i18n.formats import money
from crm.i18n.labels import status_word
from crm.loans.queries.loans import customer_loans
from crm.models import Customer
from crm.models.interaction import MAX_PROMISE_DAYS
from crm.validation import MAX_ID, FieldError, parse_id


@bp.route(f"/<int(max={MAX_ID}):customer_id>/contacts/new", methods=["GET", "POST"])
def new(customer_id: int):
    """The contact form; ?loan_id= chooses the loan, ?next= is where to go back to after
    saving (a local path; the customer's card otherwise)."""
    customer = db.get_or_404(Customer, customer_id)
    loans = customer_loans(db.session, customer.id)
    preselected = preselected_loan(request.args.get("loan_id"), {loan.id for loan in loans})
    back = safe_next(request.args.get("next")) or url_for(
        "customers.detail", customer_id=customer.id
    )
    form = ContactForm(data={"loan_id": preselected})
    form.loan_id.choices = [SelectChoice("", _("No loan"))] + [
        SelectChoice(loan.id, loan_choice(loan)) for loan in loans
    ]
    if form.validate_on_submit():
        try:
            services.log_contact(
                db.session,
                customer,
                kind=form.kind.data,
                outcome=form.outcome.data,
                text=form.text.data,
                loan_id=form.loan_id.data,
                promise_amount=form.promise_amount.data,
                promise_due_on=form.promise_due_on.data,
                author=current_user._get_current_object(),
                today=lender_today(),
            )
            db.session.commit()
        except FieldError as error:
            db.session.rollback()
            error.show_in(form)
        else:
            flash(_("The contact is logged."), "success")
            return redirect(back)
    status = 422 if form.is_submitted() else 200
    today = lender_today()
    page = render_template(
        "contacts/new.html",
        customer=customer,
        form=form,
        back=back,
        today=today,
        max_promise_days=MAX_PROMISE_DAYS,
        latest_promise_day=today + timedelta(days=MAX_PROMISE_DAYS),
    )
    return page, status


def preselected_loan(value: str | None, customer_loan_ids: set[int]) -> int | None:
    """The ?loan_id= to choose in the form: none when empty, a 404 when it is not one of the
    customer's loans."""
    if not value:
        return None
    loan_id = parse_id(value)
    if loan_id not in customer_loan_ids:
        abort(404)
    return loan_id


def loan_choice(loan) -> str:
    """A loan as the drop-down names it: number, product, amount, status."""
    return _(
        "%(number)s · %(product)s · %(amount)s · %(status)s",
        number=str(loan),
        product=loan.product.name,
        amount=money(loan.amount),
        status=status_word(loan.status),
    )
