"""The log-in's limits with REDIS_URL set: counted in the real Redis on 127.0.0.1:6379 (database
15), so that every worker and host shares them; and what happens when Redis is down.

Without a Redis there these tests skip with a reason, except under CI=true, where they fail
(.ci/run starts one). Each test tries its own e-mail from its own address and deletes the
counters it made.
"""

import hashlib
import uuid
from collections.abc import Callable, Iterator

import pytest

from crm.extensions import db
from tests.conftest import PASSWORD, REDIS_DOWN_URL, REDIS_URL

ACCOUNT_LIMIT = 10
WRONG_PASSWORD = "wrong-password"


@pytest.fixture
def unique() -> dict[str, str]:
    """An e-mail and a client address no other test (or parallel run) uses."""
    tag = uuid.uuid4().hex
    return {"email": f"{tag}@example.com", "address": f"2001:db8::{tag[:4]}:{tag[4:8]}"}


@pytest.fixture
def counters(redis_store, unique) -> Iterator[Callable[[], list[bytes]]]:
    """`counters()`: the Redis keys holding this test's counts (found by its account and its
    address); they are deleted after the test."""
    digest = hashlib.sha256(unique["email"].encode()).hexdigest()

    def ours() -> list[bytes]:
        return [
            key
            for key in redis_store.scan_iter(match="LIMITS:LIMITER/crm/*", count=1000)
            if digest.encode() in key or unique["address"].encode() in key
        ]

    yield ours
    leftovers = ours()
    if leftovers:
        redis_store.delete(*leftovers)


@pytest.fixture
def worker(build_app) -> Callable:
    """`worker(redis_url)`: an app as one gunicorn worker (or another host) builds it, with
    REDIS_URL set."""
    return lambda redis_url: build_app(REDIS_URL=redis_url)


def try_password(app, unique, password: str = WRONG_PASSWORD, client=None):
    with app.app_context():
        return (client or app.test_client()).post(
            "/auth/login",
            data={"email": unique["email"], "password": password},
            environ_base={"REMOTE_ADDR": unique["address"]},
        )


def test_counts_live_in_redis_and_another_worker_sees_them(app, worker, counters, unique):
    first, second = worker(REDIS_URL), worker(REDIS_URL)

    answers = [try_password(first, unique).status_code for _ in range(ACCOUNT_LIMIT)]
    keys = counters()
    refused = try_password(second, unique)

    assert answers == [422] * ACCOUNT_LIMIT
    assert len(keys) == 2, keys  # one count for the account, one for the address
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0


def test_the_right_password_inside_the_window_is_refused(app, worker, counters, unique, manager):
    manager.email = unique["email"]
    db.session.commit()
    shared = worker(REDIS_URL)
    browser = shared.test_client()
    for _ in range(ACCOUNT_LIMIT):
        try_password(shared, unique, client=browser)

    response = try_password(shared, unique, PASSWORD, client=browser)

    assert response.status_code == 429
    assert counters()
    with shared.app_context():
        assert browser.get("/").status_code == 302


def test_with_redis_down_the_limits_hold_in_memory_and_nothing_fails(app, worker, unique, caplog):
    down = worker(REDIS_DOWN_URL)

    answers = [try_password(down, unique).status_code for _ in range(ACCOUNT_LIMIT + 1)]

    assert answers == [422] * ACCOUNT_LIMIT + [429]
    assert "falling back to in-memory storage" in caplog.text
