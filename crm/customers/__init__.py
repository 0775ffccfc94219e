"""Customers: staff pages."""

from flask import Blueprint

from crm.auth.access import guard_blueprint

bp = Blueprint("customers", __name__, url_prefix="/customers")
guard_blueprint(bp)

from crm.customers import routes  # noqa: E402, F401
