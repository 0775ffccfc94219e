"""What every template can use: the filters that write values for the user's language,
the words for stored values, the colours of the status badges, how audit events read, and a
url_for that keeps the layout's addresses."""

from collections.abc import Callable

from flask import Flask, request

from crm import navbar
from crm.audit import display as audit
from crm.i18n.formats import amount, day, money, number, percent, phone
from crm.i18n.labels import (
    BUCKET_LABELS,
    CATEGORY_LABELS,
    CONTACT_KIND_LABELS,
    CONTACT_OUTCOME_LABELS,
    PROMISE_STATE_LABELS,
    REPAYMENT_LABELS,
    ROW_STATE_LABELS,
    STATUS_LABELS,
    TIMELINE_GROUP_LABELS,
)
from crm.i18n.locale import LANGUAGE_NAMES, current_locale
from crm.lending.delinquency import Bucket
from crm.lending.promises import PromiseState
from crm.lending.status import LoanStatus

#: Bootstrap colour of each status badge.
STATUS_COLOURS = {
    LoanStatus.PENDING: "warning",
    LoanStatus.REFUSED: "danger",
    LoanStatus.WITHDRAWN: "secondary",
    LoanStatus.ACTIVE: "primary",
    LoanStatus.FINISHED: "success",
    LoanStatus.WRITTEN_OFF: "dark",
}

#: Bootstrap colour of each bucket's badge.
BUCKET_COLOURS = {
    Bucket.CURRENT: "success",
    Bucket.DPD_1_30: "warning",
    Bucket.DPD_31_60: "danger",
    Bucket.DPD_61_90: "danger",
    Bucket.DPD_OVER_90: "dark",
}

#: Bootstrap colour of each promise state's badge.
PROMISE_COLOURS = {
    PromiseState.OPEN: "info",
    PromiseState.KEPT: "success",
    PromiseState.BROKEN: "danger",
}
#: What the address of a static file is built from: its name, and for Flask-Admin's files
#: their version (`?v=`).
STATIC_FILE_VALUES = frozenset({"filename", "v"})


def list_args(**changes: object) -> dict[str, object]:
    """The page's query arguments with `changes` (a None drops one), for links to the same
    list sorted, paged or exported otherwise. Arguments that url_for() would take for its own
    (`endpoint`, `_method`, `_external`, …) are left out: passed on, they would break the link
    or the page (a 500 for `?_method=POST`)."""
    args = {
        key: value
        for key, value in request.args.to_dict().items()
        if key != "endpoint" and not key.startswith("_")
    }
    args.update(changes)
    return args


def kept_url_for(app: Flask) -> Callable[..., str]:
    """url_for for the templates, keeping the addresses built without values and those of
    static files (ours, and Flask-Admin's with their version: templates/admin/static.html):
    every page's layout writes some twenty of them (its links, styles and scripts), each
    ~20 µs to build, and they change only with the path the app is mounted at. Addresses with
    other values (a customer's, a page's) are built each time."""
    built: dict[tuple[str, str, object, object], str] = {}

    def url_for(endpoint: str, /, **values) -> str:
        fixed = not values or (_static(endpoint) and values.keys() <= STATIC_FILE_VALUES)
        if not fixed or endpoint.startswith("."):
            return app.url_for(endpoint, **values)
        key = (request.script_root, endpoint, values.get("filename"), values.get("v"))
        url = built.get(key)
        if url is None:
            url = built[key] = app.url_for(endpoint, **values)
        return url

    return url_for


def _static(endpoint: str) -> bool:
    """The app's static files, or a blueprint's (Flask-Admin's `admin.static`)."""
    return endpoint == "static" or endpoint.endswith(".static")


def register(app: Flask) -> None:
    app.jinja_env.globals["url_for"] = kept_url_for(app)
    navbar.register(app)
    app.add_template_filter(money)
    app.add_template_filter(amount)
    app.add_template_filter(number)
    app.add_template_filter(percent)
    app.add_template_filter(day)
    app.add_template_filter(phone)
    app.add_template_global(STATUS_COLOURS, "status_colours")
    app.add_template_global(STATUS_LABELS, "status_labels")
    app.add_template_global(CATEGORY_LABELS, "category_labels")
    app.add_template_global(REPAYMENT_LABELS, "repayment_labels")
    app.add_template_global(BUCKET_COLOURS, "bucket_colours")
    app.add_template_global(BUCKET_LABELS, "bucket_labels")
    app.add_template_global(ROW_STATE_LABELS, "row_state_labels")
    app.add_template_global(CONTACT_KIND_LABELS, "contact_kind_labels")
    app.add_template_global(CONTACT_OUTCOME_LABELS, "contact_outcome_labels")
    app.add_template_global(PROMISE_STATE_LABELS, "promise_state_labels")
    app.add_template_global(PROMISE_COLOURS, "promise_colours")
    app.add_template_global(TIMELINE_GROUP_LABELS, "timeline_group_labels")
    app.add_template_global(LANGUAGE_NAMES, "language_names")
    app.add_template_global(lambda: str(current_locale() or "en"), "current_locale")
    app.add_template_global(list_args)
    # templates/_macros/audit.html
    app.add_template_global(audit.action_label, "audit_action")
    app.add_template_global(audit.actor_label, "audit_actor")
    app.add_template_global(audit.record_name, "audit_record")
    app.add_template_global(audit.record_url, "audit_record_url")
    app.add_template_global(audit.changed_fields, "audit_changes")
