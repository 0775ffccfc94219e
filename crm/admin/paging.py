"""The admin's pages of a long list, read as the staff site's are (crm/paging.py): a page's ids
first, by the list's order alone, then its rows; and past the middle of a whole table, from
its end in the reverse order, so that the last of the 12 000 pages of loans is read like the
first.

The admin shows only "next" for its big tables (no COUNT per page), so the length of a whole
table is the kept one (crm.paging.table_rows).
"""

from sqlalchemy.orm import Query

from crm.models.lookups import looked_up_in
from crm.paging import COUNT_LIMIT, page_keys, table_rows


def page_rows(model, query: Query, page: int, size: int) -> Query:
    """Page `page` (from 0) of `size` rows of `query`, a list of `model`."""
    key = model.__mapper__.primary_key[0]
    keys = query.enable_eagerloads(False).with_entities(key)
    offset = page * size
    total = _whole_table_rows(model, query, key) if offset > COUNT_LIMIT else None
    keys = page_keys(keys, query._order_by_clauses, offset=offset, size=size, total=total)
    return query.filter(looked_up_in(key, keys.scalar_subquery()))


def _whole_table_rows(model, query: Query, key) -> int | None:
    """How many rows `model`'s table holds, when `query` lists them all (no search, no
    filter) in an order that ends with the primary key, the same read either way; else None."""
    order = query._order_by_clauses
    if query.whereclause is not None or not order:
        return None
    last = order[-1]
    if not getattr(last, "element", last).compare(key):
        return None
    return table_rows(model)
