"""The layout's navbar (templates/_navbar.html), rendered once for each language, role and
section and kept: a request fills in only its own values. The admin's main menu (kept_menu)
and user menu (admin_user_menu) are kept the same way.

Rendering it took a quarter of a light page's instructions (its links, some twenty texts,
the language switch; products 12.0 -> 8.9 M instructions a request without it, callgrind,
docs/PERFORMANCE.md), and it is the same on every page but for a handful of values: the
user's name, the CSRF token, the page's path (where the language switch comes back to) and
the count of tasks due. The kept navbar holds a mark where each of those goes; the marks
cannot come from anything a user typed, as the kept navbar is rendered from none of it.

A whole page is kept the same way (kept_page) where it shows the same to all of its readers
but for those values: the products, whose layout and rows were half of the page's cost.
"""

import re
from collections.abc import Callable
from typing import TypeVar

from flask import Flask, current_app, g, get_template_attribute, render_template, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from crm.i18n.locale import current_locale

EXTENSION = "crm.navbar"
#: How many navbars and badges an app keeps: a few per language and role, and the counts of
#: tasks due its staff have.
KEEP_AT_MOST = 1000
T = TypeVar("T")
#: The request's own values, and the mark that stands for each in a kept navbar.
VALUES = ("display_name", "csrf", "next_path", "tasks_badge")
MARKS = {name: Markup(f"\x00{name}\x00") for name in VALUES}  # noqa: S704 (ours, no input)
MARK = re.compile("\x00([a-z_]+)\x00")
#: Set on `g` while a page is rendered to be kept: the navbar then leaves its marks in it.
KEEPING_PAGE = "crm_keeping_page"
#: The personal account's pages, and the menu item each one marks.
ACCOUNT_ITEMS = {
    "account.index": "account.index",
    "account.loan": "account.index",
    "account.apply": "account.apply",
    "account.profile": "account.profile",
}


def register(app: Flask) -> None:
    app.extensions[EXTENSION] = {}
    app.add_template_global(navbar)
    app.add_template_global(kept_menu)
    app.add_template_global(admin_user_menu)


def navbar(tasks: bool = True) -> Markup:
    """The navbar for this request; `tasks=False` leaves out the count of tasks due (error
    pages: the database may be what failed)."""
    signed_in, staff, active = _reader()
    key = (str(current_locale()), request.script_root, signed_in, staff, active)
    pieces = _kept(key, "_navbar.html", signed_in=signed_in, staff=staff, active=active)
    if g.get(KEEPING_PAGE):
        return _joined(
            pieces, {**MARKS, "tasks_badge": MARKS["tasks_badge"] if staff and tasks else ""}
        )
    return _filled(pieces, _tasks_badge() if staff and tasks else "")


def kept_page(template: str, shown: tuple, **context: object) -> Markup | str:
    """`template` rendered as render_template would, kept for all readers of the same
    language, role, section and `shown` (what the page shows: its rows as read for this
    request, so a kept page is never out of date); each request fills in its own values.

    Only for a template that reads nothing of the request or its user but `context` and
    the layout (its navbar, and the banner that asks staff to set up a second factor). A
    request with messages to flash gets the page rendered anew."""
    _signed_in, staff, active = _reader()
    if session.get("_flashes"):
        return render_template(template, **context)
    banner = staff and not current_user.second_factor
    key = ("page", template, str(current_locale()), request.script_root, staff, active, banner)
    key += (shown,)
    pieces = _keep(key, lambda: _rendered_with_marks(template, context))
    return _filled(pieces, _tasks_badge() if staff else "")


def _rendered_with_marks(template: str, context: dict) -> list[str]:
    setattr(g, KEEPING_PAGE, True)
    try:
        return MARK.split(render_template(template, **context))
    finally:
        g.pop(KEEPING_PAGE)


def _reader() -> tuple[bool, bool, str | None]:
    """Whether the reader is signed in, is staff, and the section the menu marks."""
    signed_in = current_user.is_authenticated
    staff = signed_in and current_user.is_staff
    return signed_in, staff, _active(staff)


def admin_user_menu() -> Markup:
    """The admin's language switch and user menu (admin/_user_menu.html) for this request,
    kept as the navbar is: the same on every admin page but for the request's own values."""
    key = ("admin-user-menu", str(current_locale()), request.script_root)
    return _filled(_kept(key, "admin/_user_menu.html"))


def _filled(pieces: list[str], tasks_badge: Markup | str = "") -> Markup:
    """The kept `pieces` with this request's values where their marks were."""
    signed_in = current_user.is_authenticated
    values = {
        "display_name": escape(current_user.display_name) if signed_in else "",
        "csrf": escape(generate_csrf()),
        "next_path": escape(request.full_path.rstrip("?")),
        "tasks_badge": tasks_badge,
    }
    return _joined(pieces, values)


def _joined(pieces: list[str], values: dict[str, Markup | str]) -> Markup:
    """The kept `pieces` with `values` (escaped, or the marks again) where their marks were."""
    # The pieces alternate: kept text, the name of a value, kept text, …
    joined = (values[piece] if index % 2 else piece for index, piece in enumerate(pieces))
    return Markup("".join(joined))  # noqa: S704 (kept text and escaped values)


def kept_menu(*parts: str, caller: Callable[[], str]) -> Markup:
    """What a `{% call kept_menu(…) %}` block renders, rendered once for each of `parts`,
    language, role and mount path and kept: the admin's main menu (admin/crm_master.html),
    whose items depend on the user's role alone, and which Flask-Admin rendered for every
    page (two million instructions of an admin list: each item asked whether the user may
    see it, and was built an address and translated)."""
    role = current_user.role if current_user.is_authenticated else None
    key = ("menu", str(current_locale()), request.script_root, role, *parts)
    return _keep(key, lambda: Markup(caller()))  # noqa: S704 (rendered by a template)


def _active(staff: bool) -> str | None:
    """The section (a staff page's blueprint) or the account page the menu marks."""
    endpoint = request.endpoint or ""
    if staff:
        return endpoint.partition(".")[0]
    return ACCOUNT_ITEMS.get(endpoint)


def _kept(key: tuple, template: str, **context: object) -> list[str]:
    """`template` rendered with a mark for each of the request's own values, kept under `key`
    as pieces: kept text, the name of a value, kept text, …"""
    return _keep(key, lambda: MARK.split(render_template(template, **context, **MARKS)))


def _tasks_badge() -> Markup | str:
    due = current_user.login_session.tasks_due
    if not due.due:
        return ""
    return _keep(
        ("tasks", str(current_locale()), due),
        lambda: get_template_attribute("_navbar.html", "tasks_badge")(due),
    )


def _keep(key: tuple, render: Callable[[], T]) -> T:
    """What `render` gives, kept under `key` for this app: at most KEEP_AT_MOST things (the
    counts of tasks due vary), and nothing while templates are reloaded on change
    (development)."""
    kept: dict[tuple, object] = current_app.extensions[EXTENSION]
    found = kept.get(key)
    if found is None:
        found = render()
        if len(kept) < KEEP_AT_MOST and not current_app.jinja_env.auto_reload:
            kept[key] = found
    return found
