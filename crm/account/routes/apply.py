"""Applying for a loan online, with the schedule and its cost previewed as the terms are
typed (the staff's preview engine, for the products on offer only)."""

from flask import (
    abort,
    flash,
    get_template_attribute,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from crm.account import bp, queries, services
from crm.account.forms import ApplyForm
from crm.clock import lender_today
from crm.extensions import db
from crm.i18n.formats import product_choice
from crm.loans.queries.preview import preview_data, preview_terms
from crm.loans.queries.servicing import schedule_preview
from crm.products.queries import offered_products
from crm.validation import FieldError


@bp.route("/apply", methods=["GET", "POST"])
def apply():
    customer = queries.own_customer(db.session, current_user.customer_id)
    if customer is None:
        abort(404)
    products = offered_products(db.session)
    form = ApplyForm()
    form.product_id.choices = [SelectChoice("", _("Choose a product"))] + [
        SelectChoice(product.id, product_choice(product)) for product in products
    ]
    if form.validate_on_submit():
        try:
            loan = services.apply_online(
                db.session,
                customer,
                product_id=form.product_id.data,
                amount=form.amount.data,
                term_months=form.term_months.data,
            )
            number = str(loan)
            db.session.commit()
        except FieldError as error:
            db.session.rollback()
            error.show_in(form)
        else:
            flash(
                _(
                    "Application %(number)s is sent. We will let you know our decision.",
                    number=number,
                ),
                "success",
            )
            return redirect(url_for("account.index"))
    status = 422 if form.is_submitted() else 200
    return render_template("account/apply.html", form=form, products=products), status


@bp.get("/preview")
def preview():
    """The schedule, totals and APRC of an application on the terms in the query string,
    disbursed today (?product=<id>&amount=<money>&term_months=<months>), for a product on
    offer: JSON as GET /loans/preview gives, with the table as HTML too; bad terms are a
    422 naming the field. It computes from the product alone and reads no one's records."""
    try:
        product, amount, term_months, rate = preview_terms(
            db.session,
            product_id=request.args.get("product"),
            amount=request.args.get("amount"),
            term_months=request.args.get("term_months", type=int),
            offered_only=True,
        )
    except FieldError as error:
        return jsonify(error=error.message, field=error.field), 422
    result = schedule_preview(amount, rate, term_months, product.repayment_method, lender_today())
    html = get_template_attribute("_macros/loans.html", "schedule_preview")(result)
    return jsonify(**preview_data(result), html=html)
