"""The navbar's search: customers and loans found by whatever staff type (/search?q=)."""

from flask import Blueprint

from crm.auth.access import guard_blueprint

bp = Blueprint("search", __name__, url_prefix="/search")
guard_blueprint(bp)

from crm.search import routes  # noqa: E402, F401
