"""One page of a list, numbered by the ?page= argument (or another one, for a second list
on the same page)."""

from flask import abort, current_app, request
from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy import Select, func, select
from sqlalchemy.orm import lazyload

from crm.extensions import db

#: Far beyond any real list; a larger number would overflow the database's OFFSET.
MAX_PAGE = 1_000_000
#: A capped list (paginate(..., capped=True)) counts this many rows at most: counting all
#: of a big table on every page would cost more than the page, and nobody pages that far.
COUNT_LIMIT = 10_000


def page_number(argument: str = "page") -> int:
    """The page asked for by ?<argument>=; one that is not a number is page 1, one past
    MAX_PAGE a 404."""
    page = request.args.get(argument, 1, type=int)
    if page > MAX_PAGE:
        abort(404)
    return page


def per_page() -> int:
    """How many rows a page of a list shows."""
    return current_app.config["PER_PAGE"]


def paginate(
    statement: Select, *, capped: bool = False, count_of: Select | None = None
) -> Pagination:
    """PER_PAGE rows of `statement`; a page that is not a number is page 1, one past the end 404.

    `capped` counts at most COUNT_LIMIT rows (CappedPagination): for lists of a table that
    grows without end, such as the loans. `count_of` is counted instead of `statement`: the
    same rows without the costly columns a page shows (CountedPagination).
    """
    if count_of is not None:
        return CountedPagination(
            select=statement,
            session=db.session(),
            page=page_number(),
            per_page=per_page(),
            count_of=count_of,
        )
    if not capped:
        return db.paginate(statement, page=page_number(), per_page=per_page())
    return CappedPagination(
        select=statement, session=db.session(), page=page_number(), per_page=per_page()
    )


class CappedPagination(SelectPagination):
    """A page whose total stops at COUNT_LIMIT; `more` says there are rows beyond, and the
    pager still offers the next page while pages are full."""

    more: bool = False

    def _query_count(self) -> int:
        statement = self._query_args["select"].options(lazyload("*")).order_by(None)
        rows = statement.limit(COUNT_LIMIT + 1).subquery()
        total = self._query_args["session"].execute(select(func.count()).select_from(rows))
        total = total.scalar()
        self.more = total > COUNT_LIMIT
        return min(total, COUNT_LIMIT)

    @property
    def has_next(self) -> bool:
        return super().has_next or (self.more and len(self.items) == self.per_page)


class CountedPagination(SelectPagination):
    """A page whose total is counted from another statement with the same rows: the
    database then need not work out a page's columns for every row to count them."""

    def _query_count(self) -> int:
        rows = self._query_args["count_of"].order_by(None).subquery()
        return self._query_args["session"].execute(select(func.count()).select_from(rows)).scalar()
