"""Error pages: HTML for browsers, JSON {"error", "field"} for API clients."""

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Conflict, HTTPException

from crm.extensions import db

#: Werkzeug's names and standard descriptions are English; people read these instead.
TITLES = {
    400: _l("Bad request"),
    401: _l("Log in first"),
    403: _l("No access"),
    404: _l("Not found"),
    405: _l("Not allowed"),
    409: _l("Conflict"),
    410: _l("No longer valid"),
    413: _l("Too large"),
    422: _l("Cannot be processed"),
    429: _l("Too many requests"),
    500: _l("Server error"),
    503: _l("Unavailable"),
}
DESCRIPTIONS = {
    400: _l("The request could not be understood. Reload the page and try again."),
    401: _l("Log in to open this page."),
    403: _l("You do not have access to this page."),
    404: _l("There is no such page or record."),
    405: _l("This address does not take that kind of request."),
    409: _l("The request conflicts with the current state of the record."),
    410: _l("What this address led to is no longer there."),
    413: _l("What you sent is too large."),
    422: _l("The request could not be processed."),
    429: _l("Too many attempts in a short time. Wait a minute and try again."),
    500: _l("Something went wrong on our side. The error has been logged; please try again."),
    503: _l("The service is unavailable for a moment. Try again shortly."),
}
CSRF_DESCRIPTION = _l(
    "The form has expired or did not come from this site. Reload the page and try again."
)
STALE_DESCRIPTION = _l(
    "Someone else changed this record at the same moment, so nothing was saved. "
    "Open it again and repeat the change."
)


def wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return request.is_json or best == "application/json"


def describe(error: HTTPException) -> str:
    """The error's own (translated) description, or the standard one in the user's language."""
    if isinstance(error, CSRFError):
        return str(CSRF_DESCRIPTION)
    if error.code == 413 and error.description == type(error).description:
        # Said with the limit: the admin's import takes files up to it.
        megabytes = current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
        return _(
            "What you sent is larger than %(size)d MB, the most the CRM takes at once.",
            size=megabytes,
        )
    if error.description == type(error).description and error.code in DESCRIPTIONS:
        return str(DESCRIPTIONS[error.code])
    return error.description


def render_error(error: HTTPException):
    description = describe(error)
    if wants_json():
        body = {"error": description}
        field = getattr(error, "field", None)
        if field:
            body["field"] = field
        return jsonify(body), error.code
    title = TITLES.get(error.code, error.name)
    page = render_template("errors/error.html", error=error, title=title, description=description)
    return page, error.code


def render_stale(_error: StaleDataError):
    """A write that lost a race with another one (two saves of one record at once): 409.
    The forms catch the stale edits they expect; this is the answer for any other."""
    db.session.rollback()
    return render_error(Conflict(description=str(STALE_DESCRIPTION)))


def register(app: Flask) -> None:
    # Unhandled exceptions reach this handler as InternalServerError (an HTTPException);
    # under TESTING Flask re-raises them instead, so tests see the real traceback.
    app.register_error_handler(HTTPException, render_error)
    app.register_error_handler(StaleDataError, render_stale)
