"""The overdue queue: active loans past due, most overdue first, to work through."""

from dataclasses import dataclass
from datetime import timedelta

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from crm.auth.queries import staff_names
from crm.clock import lender_today, utc_now
from crm.extensions import db
from crm.lending.delinquency import BUCKET_DAYS, Bucket
from crm.loans import bp
from crm.loans.queries import overdue as queue
from crm.loans.queue_order import queue_page
from crm.validation import parse_id

#: "No contact in 7 days": the customers nobody has reached out to for this long.
QUIET_FOR = timedelta(days=7)


@bp.get("/overdue")
def overdue():
    as_of = lender_today()
    arguments = queue_arguments()
    filters = arguments.filters()
    page = queue_page(db.session, as_of, arguments.sort, filters, current_user.id)
    return render_template(
        "loans/overdue.html",
        page=page,
        as_of=as_of,
        sort=arguments.sort,
        bucket=arguments.bucket,
        manager_id=arguments.manager_id,
        no_contact=arguments.no_contact,
        promise_broken=arguments.promise_broken,
        my_id=current_user.id,
        buckets=list(BUCKET_DAYS),
        managers=staff_names(db.session),
    )


@dataclass(frozen=True)
class QueueArguments:
    """The queue's sort and filters as its arguments give them."""

    sort: str
    bucket: Bucket | None
    manager_id: int | None
    no_contact: bool
    promise_broken: bool

    def filters(self) -> dict:
        """The filters as crm.loans.queries.overdue takes them."""
        return {
            "bucket": self.bucket,
            "manager_id": self.manager_id,
            "not_contacted_since": utc_now() - QUIET_FOR if self.no_contact else None,
            "promise_broken": self.promise_broken,
        }


def queue_arguments() -> QueueArguments:
    """The queue's ?sort=, ?bucket=, ?manager=, ?no_contact=1 and ?promise=broken, read the
    same way for the page and its export; a value that is none of the filter's is a 400."""
    return QueueArguments(
        sort=queue.sort_key(request.args.get("sort")),
        bucket=bucket_arg(request.args.get("bucket")),
        manager_id=manager_arg(request.args.get("manager")),
        no_contact=flag_arg("no_contact"),
        promise_broken=flag_arg("promise", "broken"),
    )


def flag_arg(name: str, on: str = "1") -> bool:
    """A filter that is on (`on`) or off (empty); anything else is a 400."""
    value = request.args.get(name, "")
    if value not in ("", on):
        abort(
            400,
            description=_(
                "“%(value)s” is not a value of the filter %(name)s.", value=value[:40], name=name
            ),
        )
    return value == on


def bucket_arg(value: str | None) -> Bucket | None:
    """The ?bucket= filter: empty means all, anything but an overdue bucket is a 400."""
    if not value:
        return None
    try:
        bucket = Bucket(value)
    except ValueError:
        bucket = None
    if bucket not in BUCKET_DAYS:
        abort(
            400,
            description=_(
                "There is no overdue bucket “%(bucket)s”; use 1-30, 31-60, 61-90 or 90+.",
                bucket=value[:40],
            ),
        )
    return bucket


def manager_arg(value: str | None) -> int | None:
    """The ?manager= filter: empty means all, anything but a user id is a 400."""
    if not value:
        return None
    manager_id = parse_id(value)
    if manager_id is None:
        abort(400, description=_("There is no manager “%(manager)s”.", manager=value[:40]))
    return manager_id
