"""The shipped gunicorn settings that the served benchmark depends on (docs/PERFORMANCE.md)."""

import runpy
from pathlib import Path

import pytest
from sqlalchemy import text

from crm.database import SOFT_HEAP_LIMIT
from crm.extensions import db

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def settings(monkeypatch, **environ) -> dict:
    for name in (
        "GUNICORN_KEEPALIVE",
        "GUNICORN_MAX_REQUESTS",
        "GUNICORN_THREADS",
        "MALLOC_ARENA_MAX",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_connections_close_after_each_response_by_default(monkeypatch):
    # A kept-alive connection stays with one worker: wrk's four all went to the same one.
    assert settings(monkeypatch)["keepalive"] == 0


def test_keepalive_comes_from_the_environment(monkeypatch):
    assert settings(monkeypatch, GUNICORN_KEEPALIVE="5")["keepalive"] == 5


def test_workers_are_forks_of_a_preloaded_app_recycled_rarely(monkeypatch):
    conf = settings(monkeypatch)
    assert conf["preload_app"] is True
    assert conf["max_requests"] == 100_000
    assert conf["control_socket_disable"] is True


def test_threads_share_two_malloc_arenas_and_workers_give_freed_memory_back(monkeypatch):
    # tests/test_memory.py shows what each does; the worker RSS target depends on both.
    conf = settings(monkeypatch)
    assert conf["malloc_arenas"] == 2
    assert conf["give_back_memory_every"] == 200
    assert settings(monkeypatch, MALLOC_ARENA_MAX="4")["malloc_arenas"] == 4


def test_sqlite_keeps_room_for_every_threads_page_cache(monkeypatch, app):
    """Past its soft heap limit SQLite frees pages before each allocation (crm/database.py):
    a worker's threads, each with SQLite's default page cache, must fit under it with room
    to spare."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's memory")
    threads = settings(monkeypatch)["threads"]
    with db.engine.connect() as connection:
        limit = connection.scalar(text("PRAGMA soft_heap_limit"))
        page_cache_kib = -connection.scalar(text("PRAGMA cache_size"))
    assert limit == SOFT_HEAP_LIMIT
    assert limit >= 2 * threads * page_cache_kib * 1024
