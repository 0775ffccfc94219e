"""`flask --app wsgi outbox deliver`: once for cron, or as a worker until it is told to stop."""

import os
import signal

from flask_babel import refresh
from sqlalchemy import select

from crm.extensions import db
from crm.mail import delivery
from crm.models import OutboxMessage, OutboxStatus


def test_once_sends_what_is_due_in_rounds_and_says_how_it_went(app, runner, queue, mailbox):
    app.config["MAIL_BATCH"] = 2
    for number in range(5):
        queue(to=f"customer{number}@example.com")
    queue(to="gone@example.com")
    mailbox.handler.refused.add("gone@example.com")
    db.session.info.clear()  # not delivered after the commit: left to the command
    db.session.commit()

    result = runner.invoke(args=["outbox", "deliver", "--once"])

    assert result.exit_code == 0, result.output
    assert result.output == "Sent: 5, logged: 0, failed: 1 (given up: 1), waiting: 0.\n"
    assert len(mailbox.messages) == 5


def test_once_without_a_mail_server_logs_the_messages(app, runner, queue):
    queue()
    db.session.info.clear()
    db.session.commit()

    result = runner.invoke(args=["outbox", "deliver", "--once"])

    assert result.output == "Sent: 0, logged: 1, failed: 0 (given up: 0), waiting: 0.\n"
    assert db.session.scalars(select(OutboxMessage.status)).all() == [OutboxStatus.LOGGED]


def test_the_worker_finishes_its_round_and_stops_on_sigterm(
    app, runner, queue, mailbox, monkeypatch
):
    queue()
    db.session.info.clear()
    db.session.commit()
    rounds, deliver_waiting = [], delivery.deliver_waiting

    def round_then_sigterm(**arguments):
        rounds.append(deliver_waiting(**arguments))
        os.kill(os.getpid(), signal.SIGTERM)
        return rounds[-1]

    monkeypatch.setattr(delivery, "deliver_waiting", round_then_sigterm)
    before = signal.getsignal(signal.SIGTERM)

    result = runner.invoke(args=["outbox", "deliver", "--interval", "1"])

    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Delivering the outbox every 1 s; Ctrl+C stops.",
        "Sent: 1, logged: 0, failed: 0 (given up: 0), waiting: 0.",
        "Stopped.",
    ]
    assert len(rounds) == 1
    assert len(mailbox.messages) == 1
    assert signal.getsignal(signal.SIGTERM) is before, "the shell's handler is back"


def test_a_failing_round_does_not_stop_the_worker(app, runner, monkeypatch, caplog):
    calls = []

    def failing_round(**_arguments):
        calls.append(1)
        if len(calls) == 2:
            os.kill(os.getpid(), signal.SIGINT)
        raise RuntimeError("the database is away")

    monkeypatch.setattr(delivery, "deliver_waiting", failing_round)

    result = runner.invoke(args=["outbox", "deliver", "--interval", "1"])

    assert result.exit_code == 0, result.output
    assert len(calls) == 2, "the second round came after the first one failed"
    assert "A round of the outbox failed" in caplog.text


def test_help_speaks_the_language_of_the_shell(app, runner):
    app.config["COMMAND_LANGUAGE"] = None
    shell = {"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""}

    refresh()
    ukrainian = runner.invoke(args=["outbox", "deliver", "--help"], env={**shell, "LANG": "uk_UA"})
    refresh()
    english = runner.invoke(args=["outbox", "deliver", "--help"], env={**shell, "LANG": "C"})

    assert ukrainian.exit_code == english.exit_code == 0
    english_words, ukrainian_words = (
        " ".join(result.output.split()) for result in (english, ukrainian)
    )
    assert "--once Send what is due now and exit (for cron)." in english_words
    assert (
        "--once Надіслати те, що настав час надіслати, і завершитися (для cron)." in ukrainian_words
    )
    assert "Send" not in ukrainian_words
