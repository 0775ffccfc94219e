"""One page of a list, numbered by the ?page= argument."""

from flask import abort, current_app, request
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from crm.extensions import db

#: Far beyond any real list; a larger number would overflow the database's OFFSET.
MAX_PAGE = 1_000_000


def paginate(statement: Select) -> Pagination:
    """PER_PAGE rows of `statement`; a page that is not a number is page 1, one past the end 404."""
    page = request.args.get("page", 1, type=int)
    if page > MAX_PAGE:
        abort(404)
    return db.paginate(statement, page=page, per_page=current_app.config["PER_PAGE"])
