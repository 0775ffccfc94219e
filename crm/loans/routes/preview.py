"""The schedule a loan would have, as the terms are typed (the staff and admin forms)."""

from flask import get_template_attribute, jsonify, request

from crm.clock import lender_today
from crm.extensions import db
from crm.loans import bp
from crm.loans.queries.preview import preview_data, preview_terms
from crm.loans.queries.servicing import schedule_preview
from crm.validation import FieldError


@bp.get("/preview")
def preview():
    """The schedule, totals and APRC of a loan on the terms in the query string, disbursed
    today: ?product=<id>&amount=<money>&term_months=<months>[&loan=<id>]. JSON, with the
    table as HTML too; bad terms are a 422 naming the field. With `loan`, a loan that keeps
    its product keeps the rate copied at application."""
    try:
        product, amount, term_months, rate = preview_terms(
            db.session,
            product_id=request.args.get("product"),
            amount=request.args.get("amount"),
            term_months=request.args.get("term_months", type=int),
            loan_id=request.args.get("loan"),
        )
    except FieldError as error:
        return jsonify(error=error.message, field=error.field), 422
    result = schedule_preview(amount, rate, term_months, product.repayment_method, lender_today())
    html = get_template_attribute("_macros/loans.html", "schedule_preview")(result)
    return jsonify(**preview_data(result), html=html)
