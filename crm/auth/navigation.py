"""Where a user goes next: their home page, or a safe place to return to after a step."""

from urllib.parse import urlsplit

from flask import url_for

from crm.models import Role


def safe_next(target: str | None) -> str | None:
    """A local path to go on to after log-in; anything pointing off-site is dropped."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


def home_for(user) -> str:
    return url_for("account.index") if user.role is Role.CUSTOMER else url_for("dashboard.index")
