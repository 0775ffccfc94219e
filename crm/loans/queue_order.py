"""The overdue queue's pages, its order kept between requests as the dashboard's figures are.

Sorting the queue by amount or by the next action, or filtering it by broken promises, works
out that value for every overdue loan before it can pick a page (at 100 000 customers, 6 300
loans: 24–36 ms of SQL), and the page's count did it again. The order is kept as the loans'
ids (crm/figures_cache.py: good while the data is unchanged, and for FIGURES_MAX_AGE seconds
after others' changes, never after the reader's own); a page then works out its columns for
its 25 loans only, and the total is the list's length.
"""

from collections.abc import Sequence
from datetime import date

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import Session

from crm.figures_cache import kept
from crm.loans.queries import overdue as queries
from crm.loans.queries.overdue import OverdueLoan
from crm.paging import paginate_listed, paginate_picked


def queue_page(
    session: Session, as_of: date, sort: str, filters: dict, reader_id: int | None
) -> Pagination:
    """The requested page of the queue on `as_of` sorted by `sort` and filtered by `filters`
    (as overdue_queue() takes them), for the staff member `reader_id`."""
    if filters.get("not_contacted_since") is not None:
        # "No contact since" moves with the clock: a loan joins the list when its customer's
        # last contact grows a week old, with no change to the data. Nothing to keep, so the
        # page is picked and counted, which costs less than ordering the whole list.
        return paginate_picked(
            lambda limit, offset: queries.overdue_queue(
                as_of, sort=sort, limit=limit, offset=offset, **filters
            ),
            count_of=queries.overdue_rows(as_of, **filters),
        )
    order = queue_order(session, as_of, sort, filters, reader_id)
    return paginate_listed(order, lambda loan_ids: page_rows(session, as_of, loan_ids, filters))


def queue_order(
    session: Session, as_of: date, sort: str, filters: dict, reader_id: int | None
) -> list[int]:
    """The ids of the queue's loans in its order, kept (see above)."""
    named = ":".join(f"{name}={value}" for name, value in sorted(filters.items()))
    key = f"overdue:{as_of.isoformat()}:{queries.sort_key(sort)}:{named}"

    def compute() -> list[int]:
        return list(session.scalars(queries.queue_order(as_of, sort=sort, **filters)))

    return kept(session, key, compute, reader_id=reader_id).figures


def page_rows(
    session: Session, as_of: date, loan_ids: Sequence[int], filters: dict
) -> list[OverdueLoan]:
    """The queue's rows for `loan_ids`, in that order; a loan that has since left the queue
    (paid, or no longer meeting `filters`) is left out."""
    if not loan_ids:
        return []
    picked = session.scalars(queries.picked_rows(as_of, loan_ids, **filters))
    rows = {row.loan_id: row for row in picked}
    return [rows[loan_id] for loan_id in loan_ids if loan_id in rows]
