"""Reports and charts: the portfolio as of any date and the figures of a period (the staff
pages /reports/, each figure linking to the loans behind it), and the figures behind the
dashboard's charts."""

from flask import Blueprint

from crm.auth.access import guard_blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")
guard_blueprint(bp)

from crm.reports import routes  # noqa: E402, F401
