"""The second factor of staff logins: setting up an authenticator app, recovery codes, removal."""

from flask import Blueprint

from crm.auth.access import guard_blueprint

bp = Blueprint("second_factor", __name__, url_prefix="/second-factor")
guard_blueprint(bp)

from crm.second_factor import routes  # noqa: E402, F401
