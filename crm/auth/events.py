"""Security events: log-ins and their failures, lockouts, log-outs, sessions ended by
someone else, password and second-factor changes, refused pages.

Each is stored in the audit trail (crm.models.AuditEvent, entity "user") and written as one
JSON line to the application log (logger "crm.security"), so that a log shipper can index
them too. An event that accompanies a change is stored in the change's transaction: call
security_event() before the commit. A refused attempt changes nothing but the trail:
refusal_event() drops whatever the request had begun and commits the event alone.
"""

import json
import logging
from typing import Any

from flask import has_request_context, request
from sqlalchemy.orm import Session

from crm.audit.context import current_stamp
from crm.audit.recorder import add_event
from crm.clock import utc_now
from crm.extensions import db

logger = logging.getLogger("crm.security")


def security_event(action: str, **facts: object) -> None:
    """Store and log `action` (log_in, log_out, password_changed, …) with its `facts`
    (user_id=, email=, reason=, …) in the request's transaction; the caller commits."""
    store_security_event(db.session, action, facts)
    log_security_event(action, facts)


def refusal_event(action: str, **facts: object) -> None:
    """Store and log a refused attempt (log_in_failed, locked_out, access_refused, …):
    nothing else the request began is kept, and the event is committed now."""
    db.session.rollback()
    security_event(action, **facts)
    db.session.commit()


def store_security_event(session: Session, action: str, facts: dict[str, Any]) -> None:
    """Add the event to `session`. The user it concerns (user_id=) is the actor while
    nobody is logged in yet (a log-in); the other facts become its `changes`. An event
    about a customer (customer_id=: an invitation, a registration) is also in that
    customer's history."""
    user_id = facts.get("user_id")
    stamp = current_stamp(
        actor_id=user_id, actor=str(facts["email"]) if user_id and "email" in facts else None
    )
    add_event(
        session,
        action=action,
        entity="user",
        entity_id=user_id,
        customer_id=facts.get("customer_id"),
        facts={key: value for key, value in facts.items() if key != "user_id"},
        stamp=stamp,
    )


def log_security_event(action: str, facts: dict[str, Any]) -> None:
    """One JSON line: the time, the event, its facts and, in a request, the client's
    address and the path."""
    line = {"at": utc_now().isoformat(timespec="seconds"), "event": action, **facts}
    if has_request_context():
        line.setdefault("ip", request.remote_addr)
        line.setdefault("path", request.path)
    logger.info(json.dumps(line, ensure_ascii=False, default=str, sort_keys=True))
