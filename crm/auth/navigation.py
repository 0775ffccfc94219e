"""Where a user goes next: their home page, or a safe place to return to after a step."""

import re
from urllib.parse import urlsplit

from flask import current_app, url_for
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

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


def page_of(target: str) -> str:
    """`target` (a local path, see safe_next) when a GET answers there; else the nearest
    page above it that one does. A form whose post failed is shown again at the post's
    address (/loans/5/payments, which takes POST only), and going back there by GET (the
    language switch does) would be a 405: its page is the loan's, /loans/5."""
    path = urlsplit(target).path
    adapter = current_app.url_map.bind("localhost")
    climbed = False
    while path.strip("/"):
        try:
            adapter.match(path, method="GET")
        except MethodNotAllowed:
            climbed = True
        except NotFound:
            if not climbed:
                return target
        except RequestRedirect:
            return path if climbed else target
        else:
            return path if climbed else target
        path = path.rstrip("/").rsplit("/", 1)[0]
    return path or "/"


def home_for(user) -> str:
    return url_for("account.index") if user.role is Role.CUSTOMER else url_for("dashboard.index")
