"""How a coverage case is written: the post (the fuzz test's route for the endpoint, unless
the case needs another), what is set up before it, and the events it must write.

A case is keyed by its endpoint, or by "endpoint (variant)" for a second scenario of the
same endpoint. Expectations are worked out just before the post, so that the befores they
read from the tables (`ctx.stored(...)`) are the values the post changes.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from crm.extensions import db
from crm.models import Installment, Payment, User
from tests.audit.expected import Event, stored
from tests.conftest import HandClock
from tests.factories import PASSWORD
from tests.fuzz.routes import Route, World
from tests.loans.conftest import DISBURSED

#: The date every payment of the cases is made on, as stored.
PAID_ON = DISBURSED.isoformat()
SECRET_INPUT = re.compile(r'<input[^>]*id="secret"[^>]*value="([A-Z2-7]{32})"')


@dataclass
class Ctx:
    """What a case works with: the app, the admin's browser, the records, the clock."""

    app: Flask
    client: FlaskClient
    world: World
    clock: HandClock
    #: A folder of the test's own, for the files a command reads.
    tmp_path: Path | None = None

    @property
    def now(self) -> str:
        """The time the app's clock stands at, as the trail stores it."""
        return self.clock.now.isoformat()

    def user(self, name: str = "admin") -> User:
        """The World's user `name` ("admin", "user", "spare_user")."""
        return db.session.get(User, getattr(self.world, name))

    def email(self, name: str = "admin") -> str:
        return self.user(name).email

    def stored(self, model: type, record_id: int, column: str) -> Any:
        """A column's current value, as the trail stores it."""
        return stored(db.session.get(model, record_id, populate_existing=True).__dict__[column])

    def installment(self, loan_id: int, number: int) -> int:
        return db.session.scalar(
            select(Installment.id).where(
                Installment.loan_id == loan_id, Installment.number == number
            )
        )

    def log_in_elsewhere(self, name: str = "user") -> FlaskClient:
        """A browser of its own where the user `name` logs in (a session to end)."""
        browser = self.app.test_client()
        response = browser.post(
            "/auth/login", data={"email": self.email(name), "password": PASSWORD}
        )
        assert response.status_code == 302, "the second log-in failed"
        return browser


@dataclass(frozen=True)
class Case:
    """One post and the events it writes."""

    #: The events, given the records as they are just before the post.
    expect: Callable[[Ctx], list[Event]]
    #: None: the fuzz test's route for the endpoint (tests/fuzz/routes.py POST_ROUTES).
    route: Route | None = None
    #: Run after the log-in, before the post; the form values it returns replace the route's.
    setup: Callable[[Ctx], Mapping[str, Any] | None] | None = None
    status: int = 302
    #: A gap in the application this case shows, until it is fixed (the test is xfail).
    known_gap: str | None = None


def endpoint_of(key: str) -> str:
    """The endpoint a case is of: "user.edit_view (role and password)" → "user.edit_view"."""
    return key.split(" (")[0]


def nothing(_ctx: Ctx) -> list[Event]:
    return []


def security_event(ctx: Ctx, action: str, about: str = "admin", *, actor: str = "", **facts):
    """A security event about the World's user `about` (their e-mail, and `facts`), by
    `actor` (by default `about` themselves)."""
    changes = {"email": [None, ctx.email(about)], **{key: [None, v] for key, v in facts.items()}}
    user_id = getattr(ctx.world, about)
    return Event(action, "user", user_id, changes, actor or about, customer_id=None, loan_id=None)


def user_event(ctx: Ctx, action: str, name: str, changes: dict) -> Event:
    """A change to the World's user `name`, by the admin."""
    user = ctx.user(name)
    return Event(action, "user", user.id, changes, customer_id=user.customer_id, loan_id=None)


def loan_event(ctx: Ctx, action: str, entity: str, entity_id: Any, loan: str, changes: dict):
    """An event of the World's loan `loan` ("pending", "active") or of one of its records."""
    loan_id = getattr(ctx.world, loan)
    return Event(
        action, entity, entity_id, changes, customer_id=ctx.world.customer, loan_id=loan_id
    )


def payment_id(loan_id: int, reference: str) -> int:
    return db.session.scalar(
        select(Payment.id).where(Payment.loan_id == loan_id, Payment.reference == reference)
    )


def owed(loan_id: int) -> str:
    """What the loan still owes, in full: the amount of the payment that finishes it."""
    total = db.session.scalar(
        select(
            func.sum(
                Installment.principal
                + Installment.interest
                - Installment.principal_paid
                - Installment.interest_paid
            )
        ).where(Installment.loan_id == loan_id)
    )
    return f"{total:.2f}"
