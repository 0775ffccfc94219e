"""Log-in, log-out and the access rules every other blueprint uses; registration, password
resets, invitations and e-mail changes by one-time links."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")

from crm.auth import (  # noqa: E402, F401
    email_change,
    invitation,
    password_reset,
    registration,
    routes,
)
