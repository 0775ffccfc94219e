"""The overdue queue: active loans past due, most overdue first, to work through."""

from flask import abort, render_template, request
from flask_babel import gettext as _

from crm.auth.queries import staff_names
from crm.clock import lender_today
from crm.extensions import db
from crm.lending.delinquency import BUCKET_DAYS, Bucket
from crm.loans import bp
from crm.loans.queries import overdue as queue
from crm.paging import paginate
from crm.validation import parse_id


@bp.get("/overdue")
def overdue():
    as_of = lender_today()
    sort = queue.sort_key(request.args.get("sort"))
    bucket = bucket_arg(request.args.get("bucket"))
    manager_id = manager_arg(request.args.get("manager"))
    page = paginate(queue.overdue_queue(as_of, sort=sort, bucket=bucket, manager_id=manager_id))
    return render_template(
        "loans/overdue.html",
        page=page,
        as_of=as_of,
        sort=sort,
        bucket=bucket,
        manager_id=manager_id,
        buckets=list(BUCKET_DAYS),
        managers=staff_names(db.session),
    )


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
