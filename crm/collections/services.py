"""The day's collections run: follow-up tasks for broken promises and for loans that entered a
worse delinquency bucket, and e-mail reminders to customers.

Running it twice for the same day adds nothing the second time: each task carries its origin
(Task.origin, unique) and each reminder its dedupe key (OutboxMessage.dedupe_key, unique).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from crm.collections.queries import (
    CATCH_UP,
    REMIND_BEFORE,
    Reminder,
    bucket_entries,
    existing_dedupe_keys,
    managers_of,
    reminders,
)
from crm.contacts.queries import broken_promises
from crm.i18n.formats import day
from crm.i18n.labels import BUCKET_LABELS
from crm.mail.services import mail_locale, queue_message, render_message
from crm.tasks.services import add_task

#: The kinds of reminder: the template under mail/collections/ and the days before (+) or
#: after (−) the due date it is sent on.
REMINDERS = {"due": REMIND_BEFORE, "late": -timedelta(days=1)}


@dataclass
class DailyRun:
    """What a run did (and what it could not do), for the command's summary."""

    as_of: date
    promise_tasks: int = 0
    bucket_tasks: int = 0
    reminders: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REMINDERS, 0))
    #: Installments to remind of whose customer has no e-mail.
    no_email: int = 0
    #: Follow-ups with nobody to give them to (no manager, nobody who started the loan).
    unassigned: int = 0


def run_daily(session: Session, as_of: date) -> DailyRun:
    """Do the day's run for `as_of` (the lender's date); flushes, never commits."""
    run = DailyRun(as_of=as_of)
    follow_up_broken_promises(session, run)
    follow_up_bucket_entries(session, run)
    remind_customers(session, run)
    return run


def follow_up_broken_promises(session: Session, run: DailyRun) -> None:
    """A task for the customer's manager (else the contact's author) per promise broken
    within the catch-up window, due on the run's day."""
    promises = broken_promises(session, run.as_of, due_since=run.as_of - CATCH_UP)
    managers = managers_of(session, {promise.customer_id for promise in promises})
    for promise in promises:
        assignee_id = managers.get(promise.customer_id) or promise.author_id
        if assignee_id is None:
            run.unassigned += 1
            continue
        with force_locale(mail_locale(None)):
            title = _(
                "Promise to pay of %(date)s on loan #%(loan)d is broken: call the customer",
                date=day(promise.due_on),
                loan=promise.loan_id,
            )
        # add_task adds nothing (None) for an origin an earlier run has used.
        task = add_task(
            session,
            title=title,
            due_on=run.as_of,
            assignee_id=assignee_id,
            created_by=None,
            today=run.as_of,
            customer_id=promise.customer_id,
            loan_id=promise.loan_id,
            interaction_id=promise.interaction_id,
            origin=f"promise:{promise.interaction_id}",
        )
        run.promise_tasks += task is not None


def follow_up_bucket_entries(session: Session, run: DailyRun) -> None:
    """A task per loan that entered a worse bucket within the catch-up window."""
    for entry in bucket_entries(session, run.as_of):
        if entry.assignee_id is None:
            run.unassigned += 1
            continue
        with force_locale(mail_locale(None)):
            title = _(
                "Loan #%(loan)d is overdue: %(bucket)s",
                loan=entry.loan_id,
                bucket=str(BUCKET_LABELS[entry.bucket]),
            )
        task = add_task(
            session,
            title=title,
            due_on=run.as_of,
            assignee_id=entry.assignee_id,
            created_by=None,
            today=run.as_of,
            customer_id=entry.customer_id,
            loan_id=entry.loan_id,
            origin=entry.origin,
        )
        run.bucket_tasks += task is not None


def remind_customers(session: Session, run: DailyRun) -> None:
    """E-mail customers whose installment falls due in REMIND_BEFORE, and those whose
    installment became late today; customers without an e-mail are counted, not reminded."""
    for kind, before in REMINDERS.items():
        due = reminders(session, run.as_of + before)
        candidates = [reminder for reminder in due if reminder.email is not None]
        run.no_email += len(due) - len(candidates)
        keys = {
            reminder.installment_id: f"reminder:{kind}:{reminder.installment_id}"
            for reminder in candidates
        }
        sent = existing_dedupe_keys(session, list(keys.values()))
        for reminder in candidates:
            key = keys[reminder.installment_id]
            if key not in sent:
                queue_reminder(session, kind, reminder, dedupe_key=key)
                run.reminders[kind] += 1


def queue_reminder(session: Session, kind: str, reminder: Reminder, *, dedupe_key: str) -> None:
    language = mail_locale(reminder.locale)
    subject, text, html = render_message(
        f"collections/{kind}",
        locale=language,
        name=reminder.customer_name,
        loan_id=reminder.loan_id,
        due_date=reminder.due_date,
        amount=reminder.amount,
        has_login=reminder.has_login,
    )
    queue_message(
        session,
        to=reminder.email,
        subject=subject,
        text=text,
        html=html,
        locale=language,
        dedupe_key=dedupe_key,
    )
