"""Security events as one structured line each in the application log (logger
"crm.security"): log-ins and their failures, lockouts, log-outs, sessions ended by someone
else, password and second-factor changes, refused pages. One JSON object per line, so that a
log shipper can index them; the audit trail stores the same events in the database."""

import json
import logging

from flask import has_request_context, request

from crm.clock import utc_now

logger = logging.getLogger("crm.security")


def security_event(action: str, **fields: object) -> None:
    """Log `action` (log_in, log_in_failed, locked_out, log_out, session_ended, …) with its
    `fields` (e.g. email=, user_id=, reason=) and, inside a request, the client address
    and the path. Values that are not JSON types are written as text."""
    line = {"at": utc_now().isoformat(timespec="seconds"), "event": action, **fields}
    if has_request_context():
        line.setdefault("ip", request.remote_addr)
        line.setdefault("path", request.path)
    logger.info(json.dumps(line, ensure_ascii=False, default=str, sort_keys=True))
