"""Dashboard: staff pages."""

from flask import Blueprint

from crm.auth.access import guard_blueprint

bp = Blueprint("dashboard", __name__)
guard_blueprint(bp)

from crm.dashboard import routes  # noqa: E402, F401
