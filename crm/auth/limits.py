"""Guessing is slow: rate limits on the forms that check a secret.

`limit_guessing` decorates such a view (log-in, the second factor, re-authentication;
registration and password reset put it on theirs): its POSTs are counted per account and per
client address, each over a moving window. Every try counts, right or wrong: the count is
taken before the secret is checked and in one step in the store (Redis when REDIS_URL is set),
so parallel requests cannot slip in between a check and a count, a refused try costs no
password hash, and a right password inside the window is refused like a wrong one.

A refused try gets 429 with Retry-After (RATELIMIT_HEADERS_ENABLED) and, through the error
pages (crm/errors.py), a message in the user's language saying how long to wait; it is
logged as a `locked_out` security event.
"""

import hashlib
import math
import time
from collections.abc import Callable
from typing import TypeVar

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter import RequestLimit
from flask_limiter.util import get_remote_address
from flask_login import current_user

from crm.auth.events import refusal_event
from crm.extensions import limiter

View = TypeVar("View", bound=Callable)


def limit_guessing(
    scope: str,
    account: Callable[[], str],
    *,
    per_account: str = "GUESS_LIMIT_PER_ACCOUNT",
    per_address: str = "GUESS_LIMIT_PER_ADDRESS",
) -> Callable[[View], View]:
    """Limit the POSTs of a view that checks a secret.

    `scope` names the counters ("log_in", "register", …: each form counts on its own);
    `account()` says whose secret is tried (the e-mail typed, normalised; or "user:<id>");
    `per_account` and `per_address` name the settings that hold the limits.
    """

    def counter(kind: str, setting: str, key: Callable[[], str]):
        return limiter.shared_limit(
            lambda: current_app.config[setting],
            scope=f"{scope}/{kind}",
            key_func=key,
            methods=["POST"],
            error_message=wait_message,
            on_breach=lambda breached: _log_lockout(breached, scope, kind, account),
        )

    by_account = counter("account", per_account, lambda: _digest(account()))
    by_address = counter("address", per_address, get_remote_address)

    def decorate(view: View) -> View:
        return by_address(by_account(view))

    return decorate


def limit_guessing_per_user(scope: str) -> Callable[[View], View]:
    """limit_guessing for a logged-in user's own secret (their password before a change,
    their code): counted per user as codes are, and per address."""
    return limit_guessing(
        scope, lambda: f"user:{current_user.id}", per_account="CODE_LIMIT_PER_ACCOUNT"
    )


def wait_message() -> str:
    """What a refused try reads: how many minutes until the next one is let through."""
    try:
        # The window's own reset time: RequestLimit.reset_at rounds it up by a second.
        seconds = limiter.current_limit.window.reset_time - time.time()
    except Exception:  # the store failing here must not turn a 429 into a 500
        return _("Too many attempts in a short time. Wait a minute and try again.")
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many attempts. Try again in %(num)d minute.",
        "Too many attempts. Try again in %(num)d minutes.",
        minutes,
    )


def _digest(account: str) -> str:
    # The store's keys name no one (and stay short whatever was typed).
    return hashlib.sha256(account.encode()).hexdigest()


def _log_lockout(breached: RequestLimit, scope: str, kind: str, account: Callable[[], str]):
    refusal_event(
        "locked_out",
        scope=scope,
        limit=str(breached.limit),
        by=kind,
        account=account()[:254],
    )
