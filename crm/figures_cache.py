"""Figures that take a scan of the ledger (the dashboard's), kept between requests.

Where: Redis when REDIS_URL is set, shared by every worker and host; else the memory of each
process (cachelib's SimpleCache). Redis failing is no error: the figures are computed as if
nothing were kept.

When an entry is good: every change to the data is audited (crm/audit), so the id of the last
audit event names the state of the data, with the latest time a derived table that is not
audited was computed (`derived`: the kept month ends). An entry computed from that state is
served as it is; one computed before a change is still served until it is FIGURES_MAX_AGE
seconds old, so that a busy day (a payment every second) costs one computation per that many
seconds, not one per page view, except to the reader who made one of those changes: everyone
expects to see their own change at once. The page says when its figures were computed.
"""

import logging
import pickle
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from cachelib import BaseCache, SimpleCache
from flask import Flask, current_app
from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from crm.clock import utc_now
from crm.models import AuditEvent

T = TypeVar("T")
EXTENSION = "crm.figures_cache"
#: A day: entries are named by the lender's day, and yesterday's are of no use.
TIMEOUT = 24 * 60 * 60
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Store:
    cache: BaseCache
    #: What the cache raises when it cannot answer (Redis away): the figures are computed.
    failures: tuple[type[Exception], ...] = ()


@dataclass(frozen=True)
class Kept(Generic[T]):
    figures: T
    #: The state of the data they were computed from (data_version).
    version: tuple
    computed_at: datetime


def register(app: Flask) -> None:
    url = app.config.get("REDIS_URL")
    if not url:
        app.extensions[EXTENSION] = Store(SimpleCache(default_timeout=TIMEOUT))
        return
    # Imported only with Redis to talk to: the client costs each worker some 4 MB.
    from cachelib import RedisCache
    from redis import Redis
    from redis.exceptions import RedisError

    client = Redis.from_url(url, **app.config["RATELIMIT_STORAGE_OPTIONS"])
    cache = RedisCache(client, key_prefix="crm:figures:", default_timeout=TIMEOUT)
    app.extensions[EXTENSION] = Store(cache, (RedisError, OSError))


def data_version(session: Session, derived: Sequence[InstrumentedAttribute]) -> tuple:
    """The id of the last audit event, which changes with every change to the data, and the
    latest value of each `derived` column (when a derived table was last computed): one query."""
    latest = [select(func.max(column)).scalar_subquery() for column in (AuditEvent.id, *derived)]
    return tuple(session.execute(select(*latest)).one())


def kept(
    session: Session,
    key: str,
    compute: Callable[[], T],
    derived: Sequence[InstrumentedAttribute] = (),
    reader_id: int | None = None,
) -> Kept[T]:
    """The figures kept under `key` while still good (see above) for the user `reader_id`,
    else `compute()`d and kept."""
    store: Store = current_app.extensions[EXTENSION]
    version = data_version(session, derived)
    now = utc_now()
    entry = _get(store, key)
    if entry is not None and (
        entry.version == version or _recent_and_not_own(session, entry, now, reader_id)
    ):
        return entry
    entry = Kept(figures=compute(), version=version, computed_at=now)
    _set(store, key, entry)
    return entry


def _recent_and_not_own(session: Session, entry: Kept, now: datetime, reader_id: int | None):
    """Computed less than FIGURES_MAX_AGE ago, and none of the changes since is the reader's:
    the audit events after the entry's last one, a handful, read by the primary key."""
    if (now - entry.computed_at).total_seconds() >= current_app.config["FIGURES_MAX_AGE"]:
        return False
    if reader_id is None:
        return True
    own = select(AuditEvent.id).where(
        AuditEvent.id > (entry.version[0] or 0), AuditEvent.actor_id == reader_id
    )
    return session.scalar(own.limit(1)) is None


def _get(store: Store, key: str) -> Kept | None:
    try:
        return store.cache.get(key)
    except (*store.failures, pickle.UnpicklingError, AttributeError, ImportError):
        # Redis away, or an entry of a release whose classes have changed: compute anew.
        logger.warning("Kept figures %s could not be read; computing them.", key, exc_info=True)
        return None


def _set(store: Store, key: str, entry: Kept) -> None:
    try:
        store.cache.set(key, entry)
    except store.failures:
        logger.warning("Figures %s could not be kept.", key, exc_info=True)
