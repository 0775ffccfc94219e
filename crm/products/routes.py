from flask import render_template

from crm.extensions import db
from crm.products import bp, queries


@bp.get("/")
def index():
    return render_template("products/index.html", products=queries.products_list(db.session))
