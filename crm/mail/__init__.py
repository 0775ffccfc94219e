"""E-mail: an outbox written in the transaction of the change that causes a message
(crm.mail.services), delivered right after its commit (crm.mail.hooks) and by
`flask --app wsgi outbox deliver` (crm/cli/outbox.py, crm.mail.delivery)."""

import logging
from urllib.parse import urlsplit

from flask import Flask

logger = logging.getLogger("crm.mail")


def register(app: Flask) -> None:
    """Check the settings (RuntimeError says what is missing), bind the mail extension and
    deliver after each commit that queued messages."""
    from crm.extensions import mail
    from crm.mail import hooks

    check_settings(app.config)
    mail.init_app(app)
    hooks.listen()


def check_settings(config) -> None:
    base = urlsplit(config.get("CRM_BASE_URL") or "")
    if base.scheme not in ("http", "https") or not base.netloc:
        raise RuntimeError(
            "Set CRM_BASE_URL to the CRM's public address (https://crm.example.com): "
            "links in e-mails start with it"
        )
    if config.get("MAIL_SERVER") and not config.get("MAIL_DEFAULT_SENDER"):
        raise RuntimeError(
            'Set MAIL_DEFAULT_SENDER ("Credit CRM <noreply@example.com>") along with MAIL_SERVER'
        )
    if config.get("REQUIRE_SECRET_KEY") and not config.get("MAIL_SERVER"):
        # Production without a mail server: customers get no mail, and their one-time
        # links end up in the log, which should not be where they can be read.
        logger.warning("MAIL_SERVER is not set: e-mails are written to the log, not sent")
