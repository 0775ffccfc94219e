"""A new application taken on the staff site for a customer, with its schedule previewed
as the terms are typed (GET /loans/preview, as under the admin's loan form)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from crm.extensions import db
from crm.i18n.formats import product_choice
from crm.loans import bp
from crm.loans.forms import ApplicationForm
from crm.loans.services.applications import apply_for_loan
from crm.models import Customer, Product
from crm.products.queries import offered_products
from crm.validation import FieldError, parse_id


@bp.route("/new", methods=["GET", "POST"])
def new_application():
    """?customer_id=<id>: the customer applying; without one, or an unknown one, 404."""
    customer_id = parse_id(request.args.get("customer_id"))
    if customer_id is None:
        abort(404)
    customer = db.get_or_404(Customer, customer_id)
    form = ApplicationForm()
    form.product.choices = [SelectChoice("", _("Choose a product"))] + [
        SelectChoice(product.id, product_choice(product))
        for product in offered_products(db.session)
    ]
    if form.validate_on_submit():
        product = db.session.get(Product, form.product.data) if form.product.data else None
        try:
            loan = apply_for_loan(
                db.session, customer, product, form.amount.data, form.term_months.data
            )
            loan_id, number = loan.id, str(loan)
            db.session.commit()
        except FieldError as error:
            db.session.rollback()
            error.show_in(form)
        else:
            flash(_("Application %(number)s is saved.", number=number), "success")
            return redirect(url_for("loans.detail", loan_id=loan_id))
    status = 422 if form.is_submitted() else 200
    return render_template("loans/new.html", form=form, customer=customer), status
