"""The language switch: saves a user's choice of interface language (open to everyone)."""

from flask import Blueprint

bp = Blueprint("language", __name__)

from crm.language import routes  # noqa: E402, F401
