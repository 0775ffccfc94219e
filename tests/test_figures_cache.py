"""Kept figures (crm/figures_cache.py): served while the data is unchanged, recomputed after a
change (at most FIGURES_MAX_AGE seconds later), and never an error when Redis is away."""

import uuid
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest

from crm.audit.context import Stamp
from crm.audit.recorder import add_event
from crm.extensions import db
from crm.figures_cache import kept
from crm.models import PortfolioMonthEnd
from tests import factories
from tests.conftest import REDIS_DOWN_URL, REDIS_URL
from tests.dashboard.test_routes import stat


class Counted:
    """A computation that returns how many times it ran."""

    def __init__(self) -> None:
        self.runs = 0

    def __call__(self) -> int:
        self.runs += 1
        return self.runs


def test_unchanged_data_is_computed_once(app):
    compute = Counted()

    first = kept(db.session, "k", compute)
    again = kept(db.session, "k", compute)

    assert (first.figures, again.figures, compute.runs) == (1, 1, 1)
    assert again.computed_at == first.computed_at


def test_a_change_is_seen_at_once_without_a_max_age(app):
    compute = Counted()
    kept(db.session, "k", compute)

    factories.CustomerFactory()

    assert kept(db.session, "k", compute).figures == 2


def test_after_a_change_the_figures_lag_at_most_max_age(app, clock):
    app.config["FIGURES_MAX_AGE"] = 60
    compute = Counted()
    kept(db.session, "k", compute)
    factories.CustomerFactory()

    clock.advance(seconds=59)
    within = kept(db.session, "k", compute).figures
    clock.advance(seconds=2)
    after = kept(db.session, "k", compute).figures

    assert (within, after) == (1, 2)


def test_within_max_age_a_readers_own_change_is_seen_at_once(app, clock, manager):
    app.config["FIGURES_MAX_AGE"] = 60
    compute = Counted()
    kept(db.session, "k", compute, reader_id=manager.id)
    factories.CustomerFactory()  # someone else's change (no actor: a test's)
    others = kept(db.session, "k", compute, reader_id=manager.id).figures
    stamp = Stamp(actor_id=manager.id, actor=manager.email, command=None, ip=None, request_id=None)
    add_event(db.session, action="test", entity="test", facts={}, stamp=stamp)
    db.session.commit()

    clock.advance(seconds=1)
    own = kept(db.session, "k", compute, reader_id=manager.id).figures

    assert (others, own) == (1, 2)


def test_computing_the_month_ends_again_is_a_change(app):
    compute = Counted()
    derived = (PortfolioMonthEnd.computed_at,)
    kept(db.session, "k", compute, derived)

    figures = dict.fromkeys(
        ("active_loans", "overdue_loans", "loans_par1", "loans_par30", "loans_par90"), 0
    )
    money = dict.fromkeys(
        ("outstanding", "overdue_amount", "par1_amount", "par30_amount", "par90_amount"),
        Decimal("0.00"),
    )
    db.session.add(PortfolioMonthEnd(as_of=date(2026, 1, 31), **figures, **money))
    db.session.commit()

    assert kept(db.session, "k", compute, derived).figures == 2


@pytest.fixture
def shared_key(redis_store) -> Iterator[str]:
    """A key for kept figures that no other test, nor a suite running beside this one on the
    same Redis, uses; deleted afterwards."""
    key = f"test-{uuid.uuid4().hex}"
    yield key
    redis_store.delete(f"crm:figures:{key}")


def figures_in(build_app, redis_url: str, key: str, compute: Counted) -> int:
    """The figures kept under `key`, as a worker (or host) with REDIS_URL set reads them."""
    with build_app(REDIS_URL=redis_url).app_context():
        return kept(db.session, key, compute).figures


def test_workers_sharing_redis_compute_once(app, build_app, redis_store, shared_key):
    compute = Counted()
    results = [figures_in(build_app, REDIS_URL, shared_key, compute) for _ in range(2)]

    assert results == [1, 1]
    assert redis_store.exists(f"crm:figures:{shared_key}")


def test_with_redis_down_the_figures_are_computed(app, build_app):
    compute = Counted()
    figures = [figures_in(build_app, REDIS_DOWN_URL, "test-down", compute) for _ in range(2)]

    assert figures == [1, 2]


def test_the_dashboard_says_when_its_figures_were_computed_and_follows_changes(staff_client):
    before = staff_client.get("/").get_data(as_text=True)
    factories.CustomerFactory()
    after = staff_client.get("/").get_data(as_text=True)

    assert 'id="figures-computed-at"' in before
    assert stat(after, "customers") == stat(before, "customers") + 1
