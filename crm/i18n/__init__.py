"""Interface language: which one a request gets, the switch between them, and the helpers
that make sorting and typed numbers follow the language."""

from flask import Blueprint

bp = Blueprint("i18n", __name__)

from crm.i18n import routes  # noqa: E402, F401
