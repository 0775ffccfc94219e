"""Tasks: what a staff member must do by a date, their list, and the navbar's count."""

from flask import Blueprint

from crm.auth.access import guard_blueprint

bp = Blueprint("tasks", __name__, url_prefix="/tasks")
guard_blueprint(bp)

from crm.tasks import routes  # noqa: E402, F401
