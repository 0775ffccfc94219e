"""The schedule a loan would have, as the terms are typed (the staff and admin forms)."""

from flask import jsonify, render_template, request
from flask_babel import gettext as _

from crm.clock import lender_today
from crm.extensions import db
from crm.i18n.formats import parse_amount
from crm.loans import bp
from crm.loans.queries.servicing import schedule_preview
from crm.loans.services.applications import check_application
from crm.models import Loan, Product
from crm.validation import FieldError, parse_id


@bp.get("/preview")
def preview():
    """The schedule, totals and APRC of a loan on the terms in the query string, disbursed
    today: ?product=<id>&amount=<money>&term_months=<months>[&loan=<id>]. JSON, with the
    table as HTML too; bad terms are a 422 naming the field. With `loan`, a loan that keeps
    its product keeps the rate copied at application."""
    try:
        product, amount, term_months, rate = preview_terms()
    except FieldError as error:
        return jsonify(error=error.message, field=error.field), 422
    result = schedule_preview(amount, rate, term_months, product.repayment_method, lender_today())
    schedule, disclosure = result.schedule, result.disclosure
    return jsonify(
        method=schedule.method,
        annual_rate=schedule.annual_rate_percent,
        disbursed_on=schedule.disbursed_on.isoformat(),
        rows=[
            {
                "number": row.number,
                "due_date": row.due_date.isoformat(),
                "principal": row.principal,
                "interest": row.interest,
                "payment": row.payment,
                "balance": row.balance,
            }
            for row in schedule.rows
        ],
        totals={
            "principal": disclosure.total_principal,
            "interest": disclosure.total_interest,
            "payable": disclosure.total_payable,
        },
        aprc=disclosure.apr_percent,
        html=render_template("loans/_schedule_preview.html", preview=result),
    )


def preview_terms():
    """The product, amount, term and rate (percent a year) in the query string, checked
    against the product's limits; FieldError names the first bad one."""
    product_id = parse_id(request.args.get("product"))
    product = None if product_id is None else db.session.get(Product, product_id)
    if product is None:
        raise FieldError("product", _("Pick a product."))
    try:
        amount = parse_amount(request.args.get("amount"))
    except ValueError:
        raise FieldError(
            "amount", _("Type an amount such as %(example)s.", example="1234.56")
        ) from None
    amount, term_months = check_application(
        product, amount, request.args.get("term_months", type=int), new_product=False
    )
    rate = product.annual_rate
    loan_id = parse_id(request.args.get("loan"))
    if loan_id is not None:
        loan = db.session.get(Loan, loan_id)
        if loan is not None and loan.product_id == product.id:
            rate = loan.annual_rate
    return product, amount, term_months, rate
