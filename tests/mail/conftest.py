"""Fixtures for the e-mail tests: the SMTP server (tests/mail/smtp.py), messages to queue,
and a page that queues one, as a registration will."""

from collections.abc import Callable

import pytest
from jinja2 import ChoiceLoader, DictLoader

from crm.extensions import db
from crm.mail.services import queue_message, render_message
from crm.models import OutboxMessage
from tests.mail.smtp import mailbox, smtp_server  # noqa: F401 (fixtures)

#: A message as a feature would write one: a greeting, a link, and the shared layout.
TEMPLATES = {
    "mail/greeting.txt": (
        '{% extends "mail/base.txt" %}'
        '{% set subject = _("Outbox") ~ ": " ~ name %}'
        "{% block body %}{{ name }}\n\n{{ link('account.index') }}{% endblock %}"
    ),
    "mail/greeting.html": (
        '{% extends "mail/base.html" %}'
        "{% block body %}<p>{{ name }}</p>"
        "<p><a href=\"{{ link('account.index') }}\">{{ _('Outbox') }}</a></p>{% endblock %}"
    ),
    "mail/no_subject.txt": "{{ name }}",
    "mail/no_subject.html": "<p>{{ name }}</p>",
}


@pytest.fixture
def app(app):
    """The suite's app, with the test messages among its templates."""
    app.jinja_env.loader = ChoiceLoader([DictLoader(TEMPLATES), app.jinja_env.loader])
    return app


@pytest.fixture
def queue(app) -> Callable[..., OutboxMessage]:
    """`queue(to=…, locale=…, name=…)`: the greeting, rendered and queued (not committed)."""

    def _queue(to: str = "taras@example.com", locale: str = "en", name: str = "Taras"):
        subject, text, html = render_message("greeting", locale=locale, name=name)
        return queue_message(
            db.session, to=to, subject=subject, text=text, html=html, locale=locale
        )

    return _queue


@pytest.fixture
def queuing_page(app) -> str:
    """A POST page that queues a greeting and commits, as a registration will: its path."""

    def queue_greeting():
        subject, text, html = render_message("greeting", locale="uk", name="Тарас")
        queue_message(
            db.session, to="taras@example.com", subject=subject, text=text, html=html, locale="uk"
        )
        db.session.commit()
        return "", 204

    app.add_url_rule("/test/queue-greeting", view_func=queue_greeting, methods=["POST"])
    return "/test/queue-greeting"
