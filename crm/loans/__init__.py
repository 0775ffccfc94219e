"""Loans: staff pages."""

from flask import Blueprint

from crm.auth.access import guard_blueprint

bp = Blueprint("loans", __name__, url_prefix="/loans")
guard_blueprint(bp)

from crm.loans import routes  # noqa: E402, F401
