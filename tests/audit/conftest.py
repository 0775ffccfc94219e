"""Reading the audit trail back in tests."""

from collections.abc import Callable

import pytest
from sqlalchemy import select

from crm.extensions import db
from crm.models import AuditEvent
from tests.loans.conftest import active, pending  # noqa: F401 (loans to audit)


def all_events(**where: object) -> list[AuditEvent]:
    """The stored events, oldest first, those matching `where` (entity="loan", …) only."""
    db.session.rollback()
    statement = select(AuditEvent).filter_by(**where).order_by(AuditEvent.id)
    return list(db.session.scalars(statement))


@pytest.fixture
def events() -> Callable[..., list[AuditEvent]]:
    return all_events


@pytest.fixture
def last_event_id() -> Callable[[], int]:
    """The id of the newest event so far (0 when none): what came after it is new."""

    def _last() -> int:
        return db.session.scalar(select(db.func.max(AuditEvent.id))) or 0

    return _last
