"""`flask --app wsgi outbox …`: sending the e-mail outbox (crm/mail/delivery.py).

Messages are normally sent right after the commit that wrote them; `outbox deliver` sends
whatever still waits: run it from cron with --once (every minute or so), or without it as a
worker that keeps going until Ctrl+C or SIGTERM (it finishes the round it is in first).
"""

import logging
import signal
import threading

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.i18n.commands import option
from crm.mail.delivery import Round, deliver_due, pending_count

logger = logging.getLogger("crm.mail")

outbox = AppGroup("outbox", help=_l("The e-mail outbox."))


@outbox.command(
    "deliver",
    help=_l(
        "Send the e-mails that are due, and try failed ones again later. Without --once it "
        "keeps running; Ctrl+C or SIGTERM stops it."
    ),
)
@option("--once", is_flag=True, help=_l("Send what is due now and exit (for cron)."))
@option(
    "--interval",
    type=click.IntRange(1, 3600),
    default=5,
    show_default=True,
    help=_l("Seconds the worker waits between rounds."),
)
def deliver_command(once: bool, interval: int) -> None:
    if once:
        click.echo(summary(deliver_due()))
        return
    run_worker(interval)


def run_worker(interval: int) -> None:
    """Deliver what is due every `interval` seconds until a signal asks to stop."""
    stopping = threading.Event()
    previous = {
        number: signal.signal(number, lambda _number, _frame: stopping.set())
        for number in (signal.SIGINT, signal.SIGTERM)
    }
    click.echo(_("Delivering the outbox every %(num)d s; Ctrl+C stops.", num=interval))
    try:
        while not stopping.is_set():
            try:
                done = deliver_due(stop=stopping.is_set)
            except Exception:
                # The database may be away for a moment: the next round tries again.
                logger.exception("A round of the outbox failed")
            else:
                if done.claimed:
                    click.echo(summary(done))
            stopping.wait(interval)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    click.echo(_("Stopped."))


def summary(done: Round) -> str:
    return _(
        "Sent: %(sent)d, logged: %(logged)d, failed: %(failed)d (given up: %(given_up)d), "
        "waiting: %(waiting)d.",
        sent=done.sent,
        logged=done.logged,
        failed=done.retrying + done.failed,
        given_up=done.failed,
        waiting=pending_count(),
    )
