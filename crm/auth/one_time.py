"""The pages behind one-time links (crm/links/): opening a link, and the answer to one that
opens nothing, which is the same for every kind of link:

- 404 for a link that never existed (altered, cut short, made for another purpose);
- 410 for one that did but works no more (used, expired, replaced by a newer one);
- 409 for one that works, but whose work cannot be done any more (the address it was
  meant for belongs to someone else by now, say).

Each refusal is the security event link_refused, with the address the link was sent to
when there is one.
"""

from typing import NoReturn

from flask import abort, request
from flask_babel import lazy_gettext as _l

from crm.auth.events import refusal_event
from crm.extensions import db
from crm.links.services.tokens import LinkProblem, open_link
from crm.models import LinkPurpose, OneTimeLink
from crm.validation import FieldError

#: The status and message of each link that opens nothing.
REFUSALS = {
    LinkProblem.INVALID: (
        404,
        _l(
            "This link is not valid. Open it from the e-mail again, or copy the whole "
            "address from it."
        ),
    ),
    LinkProblem.EXPIRED: (410, _l("This link has expired. Ask for a new one.")),
    LinkProblem.USED: (410, _l("This link was already used.")),
    LinkProblem.VOID: (
        410,
        _l("This link has been replaced by a newer one. Use the latest e-mail you received."),
    ),
}


def link_account() -> str:
    """Whose secret a post to a link's page tries, for its rate limit: the link's."""
    return f"link:{(request.view_args or {}).get('token', '')}"


def opened_link(purpose: LinkPurpose, token: str, *, lock: bool = False) -> OneTimeLink:
    """The open link of `purpose` the token from the address opens; any other answer is
    the refusal page. `lock` before using it (crm.links.services.tokens.open_link)."""
    found = open_link(db.session, purpose, token, lock=lock)
    if found.problem is None:
        return found.link
    status, message = REFUSALS[found.problem]
    refusal_event(
        "link_refused",
        email=found.link.email if found.link is not None else None,
        purpose=purpose.value,
        reason=found.problem.value,
    )
    abort(status, description=str(message))


def refuse_use(link: OneTimeLink, error: FieldError) -> NoReturn:
    """The link opened, but its work cannot be done (the service says why): nothing of it
    is kept, and the page says why (409)."""
    refusal_event("link_refused", email=link.email, purpose=link.purpose.value, reason="conflict")
    abort(409, description=error.message)
