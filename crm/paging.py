"""One page of a list, numbered by the ?page= argument (or another one, for a second list
on the same page).

A deep page is read in two steps ("late row lookup"): first the ids of its rows, by the list's
order alone, which the database reads from an index without building the rows it skips; then
those rows with everything the page shows. Page 4 000 of the customers then costs about what
page 1 does, where OFFSET would build (and join) the 99 975 rows before it.
"""

from collections.abc import Callable, Sequence
from typing import TypeVar

from flask import abort, current_app, request
from flask_login import current_user
from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Query, lazyload
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

from crm.extensions import db
from crm.figures_cache import kept
from crm.models.lookups import looked_up_in, row_key

#: A list's ids as the staff site selects them, or as Flask-Admin queries them.
Keys = TypeVar("Keys", Select, Query)
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
    statement: Select,
    *,
    capped: bool = False,
    count_of: Select | None = None,
    sort_first: bool = False,
    total: int | None = None,
) -> Pagination:
    """PER_PAGE rows of `statement`; a page that is not a number is page 1, one past the end 404.

    `capped` counts at most COUNT_LIMIT rows (CappedPagination): for lists of a table that
    grows without end, such as the loans. `count_of` is counted instead of `statement`: the
    same rows without the costly columns a page shows (CountedPagination), capped or not.
    `sort_first`: the first page too reads its ids by the list's order alone, then its rows,
    for a list of thousands of rows scattered over its order (a search): the database would
    otherwise build and join every one of them before sorting.
    `total`: the list's length when it is known without counting (table_rows).
    """
    if capped:
        kind = CappedPagination
    elif count_of is not None:
        kind = CountedPagination
    else:
        kind = LatePagination
    return kind(
        select=statement,
        session=db.session(),
        page=page_number(),
        per_page=per_page(),
        count_of=count_of,
        sort_first=sort_first,
        total=total,
    )


def table_rows(model) -> int:
    """How many rows `model`'s table holds, kept as the dashboard's figures are
    (crm/figures_cache.py), for a list of the whole table: counting the 100 000 customers cost
    PostgreSQL 9 ms of CPU on every page of them (docs/PERFORMANCE.md). Until a change by
    someone else is FIGURES_MAX_AGE seconds old, the count may miss it, and a page read from
    the list's end may show the rows a place further or nearer it, as any page numbered by
    its offset does when rows are added before it."""
    return kept(
        db.session,
        f"table-rows:{model.__tablename__}",
        lambda: db.session.scalar(select(func.count()).select_from(model)),
        reader_id=current_user.id,
    ).figures


def paginate_picked(rows: Callable[[int, int], Select], *, count_of: Select) -> Pagination:
    """PER_PAGE rows of `rows(limit, offset)`, a statement that applies the page's LIMIT and
    OFFSET itself, and so can pick the page's rows before it works out their columns
    (crm.loans.queries.overdue.overdue_queue); `count_of` gives the total, as for paginate().
    """
    return PickedPagination(
        rows=rows,
        session=db.session(),
        page=page_number(),
        per_page=per_page(),
        count_of=count_of,
    )


def paginate_listed(ids: Sequence, rows: Callable[[Sequence], list]) -> Pagination:
    """PER_PAGE rows of a list whose order is already known, as its ids (a kept order:
    crm.loans.queue_order); `rows(ids)` gives the rows of a page's ids, in their order.
    The total is the list's length: no count is run."""
    return ListedPagination(ids=ids, rows=rows, page=page_number(), per_page=per_page())


class ListedPagination(Pagination):
    #: The list's length is known: nothing lies beyond the total (see CappedPagination).
    more = False

    def _query_items(self) -> list:
        start = self._query_offset
        return self._query_args["rows"](self._query_args["ids"][start : start + self.per_page])

    def _query_count(self) -> int:
        return len(self._query_args["ids"])


class LatePagination(SelectPagination):
    """A page whose rows past the first page are looked up late (see above); past the middle
    of the list, their ids are read from its end, in the reverse order, so that the last page
    is read like the first."""

    _total: int | None = None
    #: Whether rows lie beyond the counted total (set by a capped count).
    more: bool = False

    def _query_items(self) -> list:
        statement = self._query_args["select"]
        key = row_key(statement)
        late = self._query_offset or self._query_args.get("sort_first")
        if not late or key is None:
            rows = statement.limit(self.per_page).offset(self._query_offset)
        else:
            page_keys = self._page_keys(statement, key).scalar_subquery()
            rows = statement.where(looked_up_in(key, page_keys))
        return list(self._query_args["session"].execute(rows).unique().scalars())

    def _page_keys(self, statement: Select, key: ColumnElement) -> Select:
        keys = statement.with_only_columns(key, maintain_column_froms=True)
        return page_keys(
            keys,
            statement._order_by_clauses,
            offset=self._query_offset,
            size=self.per_page,
            total=self._counted_total(),
        )

    def _counted_total(self) -> int | None:
        """The list's length; None when it is only known to be longer than COUNT_LIMIT."""
        total = self._query_count()
        return None if self.more else total

    def _query_count(self) -> int:
        # Counted once for the page (_page_keys) and its pager, unless paginate() was told.
        if self._total is None:
            known = self._query_args.get("total")
            self._total = self._count_rows() if known is None else known
        return self._total

    def _count_rows(self) -> int:
        return super()._query_count()


def page_keys(
    keys: Keys, order: Sequence[ColumnElement], *, offset: int, size: int, total: int | None
) -> Keys:
    """`keys` (a list's ids in the list's `order`) limited to the page of `size` rows from
    `offset`; past the middle of a list of `total` rows (None: not known), read from its end
    in the reverse order, so that the last page is read like the first."""
    if total is None or offset <= total // 2:
        return keys.limit(size).offset(offset)
    backwards = [_reversed(clause) for clause in order]
    rows_left = max(total - offset, 0)
    return (
        keys.order_by(None)
        .order_by(*backwards)
        .limit(min(size, rows_left))
        .offset(max(rows_left - size, 0))
    )


def _reversed(clause: ColumnElement) -> ColumnElement:
    """An ORDER BY term in the other direction (NULLS FIRST and LAST swapped with it)."""
    modifier = clause.modifier if isinstance(clause, UnaryExpression) else None
    if modifier is operators.nulls_first_op:
        return _reversed(clause.element).nulls_last()
    if modifier is operators.nulls_last_op:
        return _reversed(clause.element).nulls_first()
    if modifier is operators.desc_op:
        return clause.element.asc()
    if modifier is operators.asc_op:
        return clause.element.desc()
    return clause.desc()


class CappedPagination(LatePagination):
    """A page whose total stops at COUNT_LIMIT; `more` says there are rows beyond, and the
    pager still offers the next page while pages are full."""

    def _count_rows(self) -> int:
        statement = self._query_args["count_of"]
        if statement is None:
            statement = self._query_args["select"].options(lazyload("*"))
        rows = statement.order_by(None).limit(COUNT_LIMIT + 1).subquery()
        total = self._query_args["session"].execute(select(func.count()).select_from(rows))
        total = total.scalar()
        self.more = total > COUNT_LIMIT
        return min(total, COUNT_LIMIT)

    @property
    def has_next(self) -> bool:
        return super().has_next or (self.more and len(self.items) == self.per_page)


class CountedPagination(LatePagination):
    """A page whose total is counted from another statement with the same rows: the
    database then need not work out a page's columns for every row to count them."""

    def _count_rows(self) -> int:
        rows = self._query_args["count_of"].order_by(None).subquery()
        return self._query_args["session"].execute(select(func.count()).select_from(rows)).scalar()


class PickedPagination(CountedPagination):
    """A counted page whose statement takes the page's LIMIT and OFFSET as arguments."""

    def _query_items(self) -> list:
        statement = self._query_args["rows"](self.per_page, self._query_offset)
        return list(self._query_args["session"].scalars(statement))
