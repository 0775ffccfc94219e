"""Log-in, log-out and the access rules every other blueprint uses."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")

from crm.auth import routes  # noqa: E402, F401
