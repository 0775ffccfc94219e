"""One page of a list, numbered by the ?page= argument (or another one, for a second list
on the same page)."""

from flask import abort, current_app, request
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from crm.extensions import db

#: Far beyond any real list; a larger number would overflow the database's OFFSET.
MAX_PAGE = 1_000_000


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


def paginate(statement: Select) -> Pagination:
    """PER_PAGE rows of `statement`; a page that is not a number is page 1, one past the end 404."""
    return db.paginate(statement, page=page_number(), per_page=per_page())
