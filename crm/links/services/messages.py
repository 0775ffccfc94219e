"""The e-mails of the one-time links' workflows (crm/templates/mail/auth/): rendered in the
recipient's language and put in the outbox in the caller's transaction."""

from datetime import timedelta

from sqlalchemy.orm import Session

from crm.mail.services import mail_locale, queue_message, render_message


def send(session: Session, template: str, *, to: str, locale: str | None, **context) -> None:
    """Queue the message `mail/auth/<template>` for `to`, in `locale` (see mail_locale: a
    language the interface does not speak, or none, gives the default one)."""
    language = mail_locale(locale)
    subject, text, html = render_message(f"auth/{template}", locale=language, **context)
    queue_message(session, to=to, subject=subject, text=text, html=html, locale=language)


def hours(duration: timedelta) -> int:
    """A link's lifetime as the e-mail states it, in whole hours (at least one)."""
    return max(1, round(duration.total_seconds() / 3600))
