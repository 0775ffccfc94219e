"""Writing e-mails: a message rendered in the recipient's language, put in the outbox in
the transaction of the change that causes it. Sending is crm/mail/delivery.py's, after the
commit; a message whose transaction rolls back never existed.

A feature's service writes one like this (templates in crm/templates/mail/):

    subject, text, html = render_message("welcome", locale=user.locale, name=user.full_name)
    queue_message(session, to=user.email, subject=subject, text=text, html=html,
                  locale=mail_locale(user.locale))

Templates reach the app's pages through `link(endpoint, **values)`, an absolute address
under CRM_BASE_URL.
"""

import secrets
from email.utils import parseaddr
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from sqlalchemy.orm import Session

from crm.clock import utc_now
from crm.i18n.locale import known
from crm.models import OutboxMessage
from crm.models.outbox import MAX_SUBJECT
from crm.validation import clean_name, normalise_email

#: The key in Session.info of the ids of the messages the current transaction queued: they
#: are delivered right after its commit (crm/mail/hooks.py).
QUEUED = "crm.mail_queued"


def mail_locale(preferred: str | None) -> str:
    """The language to write to someone in: `preferred` when the interface speaks it, else
    the interface's first language (LANGUAGES)."""
    return known(preferred) or current_app.config["LANGUAGES"][0]


def absolute_url(endpoint: str, **values) -> str:
    """The address of a page of the CRM for a link in an e-mail: under CRM_BASE_URL (a path
    in it is kept), whatever request, if any, is being served."""
    base = urlsplit(current_app.config["CRM_BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme
    )
    return adapter.build(endpoint, values, force_external=True)


def render_message(template: str, *, locale: str | None, **context) -> tuple[str, str, str]:
    """(subject, text, html) of the message `template`, in `locale` (see mail_locale).

    `mail/<template>.txt` is the plain text and sets the subject (`{% set subject = … %}`);
    `mail/<template>.html` the HTML, usually extending mail/base.html. Both get `context`,
    `link` (absolute_url) and, the HTML, `subject`. They are rendered with the app's Jinja
    environment but outside any request: nothing of the current user or page leaks in.
    Raises LookupError when the text template sets no subject.
    """
    environment = current_app.jinja_env
    context = {**context, "link": absolute_url}
    with force_locale(mail_locale(locale)):
        text_template = environment.get_template(f"mail/{template}.txt")
        module = text_template.make_module(context)
        subject = " ".join(str(getattr(module, "subject", "")).split())
        if not subject:
            raise LookupError(f"mail/{template}.txt sets no subject")
        html = environment.get_template(f"mail/{template}.html").render(context, subject=subject)
    return subject, str(module).strip() + "\n", html


def queue_message(
    session: Session,
    *,
    to: str,
    subject: str,
    text: str,
    html: str,
    locale: str,
    dedupe_key: str | None = None,
) -> OutboxMessage:
    """Put a message for `to` in the outbox; it goes out once the caller's transaction
    commits: right after the commit (crm/mail/hooks.py), else by `flask outbox deliver`.

    Adds and flushes the row, never commits. The Message-ID is made here, once, so that
    every try carries the same. A `dedupe_key` ("reminder:due:123") marks a message that must
    go out once only: the caller checks it is not in the outbox yet, and its unique
    constraint refuses a second. Raises FieldError on `to` for an address that is not one,
    and on `subject` for an empty one, one longer than 255 characters or holding a control
    character (line breaks are folded into spaces).
    """
    recipient = normalise_email(to, "to", required=True)
    subject = clean_name(subject, "subject", max_length=MAX_SUBJECT)
    now = utc_now()
    message = OutboxMessage(
        recipient=recipient,
        subject=subject,
        text_body=text,
        html_body=html,
        locale=mail_locale(locale),
        message_id=new_message_id(),
        created_at=now,
        next_attempt_at=now,
        dedupe_key=dedupe_key,
    )
    session.add(message)
    session.flush()
    session.info.setdefault(QUEUED, []).append(message.id)
    return message


def new_message_id() -> str:
    """A Message-ID (RFC 5322) no other message has: random, at the sender's domain (or
    the CRM's host when no sender is configured), so that it names no server of ours."""
    sender = parseaddr(current_app.config.get("MAIL_DEFAULT_SENDER") or "")[1]
    domain = sender.rpartition("@")[2] or urlsplit(current_app.config["CRM_BASE_URL"]).hostname
    return f"<{secrets.token_hex(16)}@{domain or 'localhost'}>"
