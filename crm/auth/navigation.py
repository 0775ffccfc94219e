"""Where a user goes next: their home page, or a safe place to return to after a step."""

import re
from urllib.parse import urlsplit

from flask import url_for

from crm.models import Role

#: What no address to return to holds: control characters (C0, DEL, C1; CR and LF would
#: split the Location header, and Werkzeug refuses to send them) and backslashes (which
#: browsers read as slashes, so "/\\evil.example" would leave the site).
UNSAFE_IN_TARGET = re.compile(r"[\x00-\x1f\x7f-\x9f\\]")


def safe_next(target: str | None) -> str | None:
    """A local path to go on to after log-in (or any step that returns the user somewhere);
    anything pointing off-site or holding an unsafe character is dropped (None), and the
    caller sends the user to their home instead."""
    if not target or UNSAFE_IN_TARGET.search(target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def home_for(user) -> str:
    return url_for("account.index") if user.role is Role.CUSTOMER else url_for("dashboard.index")
