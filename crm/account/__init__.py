"""The customer's personal account: their own loans only."""

from flask import Blueprint

from crm.auth.access import guard_blueprint
from crm.models import Role

bp = Blueprint("account", __name__, url_prefix="/account")
guard_blueprint(bp, roles=[Role.CUSTOMER])

from crm.account import routes  # noqa: E402, F401
