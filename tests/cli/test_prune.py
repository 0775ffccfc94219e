"""`flask --app wsgi users prune`: log-in sessions and e-mailed links that ended or expired
long enough ago are deleted, the ones still open or recently ended kept, and one system
event in the trail says how many went."""

from datetime import timedelta

from sqlalchemy import func, select

from crm.extensions import db
from crm.links.services.tokens import issue_link
from crm.models import AuditEvent, LinkPurpose, OneTimeLink, SessionEnd, UserSession
from crm.models.audit import SYSTEM
from crm.sessions.services import end_session, start_session
from tests import factories


def count(model) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


def open_session(user, days: int = 1) -> UserSession:
    start_session(db.session, user, remember=False, lifetime=timedelta(days=days))
    db.session.commit()
    return db.session.scalars(select(UserSession).order_by(UserSession.id.desc())).first()


def test_what_ended_long_ago_goes_and_the_rest_stays(app, runner, clock):
    user = factories.UserFactory()
    ended = open_session(user)
    end_session(db.session, ended, reason=SessionEnd.LOG_OUT, by=user)
    open_session(user, days=1)  # expired 31 days before the prune
    issue_link(db.session, LinkPurpose.REGISTER, email="old@example.com", payload={"x": 1})
    db.session.commit()
    clock.advance(days=32)
    still_open = open_session(user, days=1)
    fresh = issue_link(db.session, LinkPurpose.RESET, email=user.email, user=user)
    db.session.commit()

    result = runner.invoke(args=["users", "prune"])

    assert result.exit_code == 0, result.output
    assert "Deleted 2 sessions and 1 links" in result.output
    assert [row.id for row in db.session.scalars(select(UserSession))] == [still_open.id]
    assert count(OneTimeLink) == 1
    assert fresh
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "prune"))
    assert (event.actor, event.command, event.entity) == (SYSTEM, "users prune", "maintenance")
    assert event.changes == {"user_sessions": [None, 2], "one_time_links": [None, 1]}


def test_days_sets_how_long_ended_ones_are_kept(app, runner, clock):
    user = factories.UserFactory()
    end_session(db.session, open_session(user), reason=SessionEnd.LOG_OUT, by=user)
    db.session.commit()
    clock.advance(days=3)

    assert runner.invoke(args=["users", "prune", "--days", "7"]).exit_code == 0
    assert count(UserSession) == 1
    assert runner.invoke(args=["users", "prune", "--days", "2"]).exit_code == 0
    assert count(UserSession) == 0


def test_days_must_be_a_sensible_number(app, runner):
    result = runner.invoke(args=["users", "prune", "--days", "0"])

    assert result.exit_code == 2
    assert "--days" in result.output
