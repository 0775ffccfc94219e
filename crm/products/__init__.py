"""Products: staff pages."""

from flask import Blueprint

from crm.auth.access import guard_blueprint

bp = Blueprint("products", __name__, url_prefix="/products")
guard_blueprint(bp)

from crm.products import routes  # noqa: E402, F401
