"""The payments journal: every payment received, newest first, a page at a time."""

from flask import render_template, request

from crm.extensions import db
from crm.loans import bp
from crm.loans.queries.payments import PaymentFilters, payments_journal
from crm.loans.routes.loan import date_range
from crm.mine import mine_manager_id
from crm.paging import paginate
from crm.products.queries import product_names
from crm.validation import parse_id


@bp.get("/payments/")
def payments():
    filters = payment_filters()
    return render_template(
        "loans/payments.html",
        page=paginate(payments_journal(filters), capped=True),
        filters=filters,
        dates={key: request.args.get(key, "")[:10] for key in ("from", "to")},
        products=product_names(db.session),
    )


def payment_filters() -> PaymentFilters:
    """The journal's filters from its arguments, for the page and its export alike: the days
    paid ?from= and ?to= (ISO, both included; a bad date is a 400), ?product= (one that is no id is
    no filter) and ?mine=1 (the current user's customers)."""
    first, last = date_range()
    return PaymentFilters(
        paid_from=first,
        paid_until=last,
        product_id=parse_id(request.args.get("product")),
        manager_id=mine_manager_id(),
    )
