"""Fixtures for the command-line tests."""

from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from crm.extensions import db


@pytest.fixture
def rows_in(app) -> Callable[[type], int]:
    """`rows_in(User)`: how many rows a model's table holds."""

    def _rows_in(model: type) -> int:
        return db.session.scalar(select(func.count()).select_from(model))

    return _rows_in
