from flask import render_template
from flask_login import current_user

from crm.account import bp, queries
from crm.extensions import db


@bp.get("/")
def index():
    customer_id = current_user.customer_id
    return render_template(
        "account/index.html",
        customer=queries.own_customer(db.session, customer_id),
        loans=queries.own_loans(db.session, customer_id),
    )
