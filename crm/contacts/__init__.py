"""Contacts with customers and their promises to pay: staff pages."""

from flask import Blueprint

from crm.auth.access import guard_blueprint

# The contact form belongs to a customer, so its address sits under the customer's.
bp = Blueprint("contacts", __name__, url_prefix="/customers")
guard_blueprint(bp)

from crm.contacts import routes  # noqa: E402, F401
