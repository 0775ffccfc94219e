"""crm.sessions: opening sessions (a token kept only as its hash), ending them, and which
ones count as open."""

from datetime import timedelta

from sqlalchemy import select

from crm.extensions import db
from crm.models import Role, SessionEnd, UserSession
from crm.sessions.queries import IdleLimits, open_session, open_sessions, token_hash
from crm.sessions.services import ENDED, end_sessions, start_session
from tests import factories

IDLE = IdleLimits(
    staff=timedelta(minutes=30), customer=timedelta(minutes=15), remembered=timedelta(days=7)
)
DAY = timedelta(hours=12)


def opened(user, **options) -> tuple[str, UserSession]:
    token = start_session(db.session, user, remember=False, lifetime=DAY, **options)
    record = db.session.scalar(
        select(UserSession).where(UserSession.token_hash == token_hash(token))
    )
    return token, record


def test_a_session_keeps_only_a_hash_of_its_random_token(clock, manager):
    token, record = opened(manager, ip_address="198.51.100.7", user_agent="x" * 300)

    assert len(token) >= 43
    row = db.session.execute(select(UserSession.__table__)).one()
    assert token not in [str(value) for value in row]
    assert (record.ip_address, len(record.user_agent)) == ("198.51.100.7", 255)
    assert record.expires_at - record.created_at == DAY
    assert open_session(db.session, token, idle=IDLE) is record
    assert open_session(db.session, token + "x", idle=IDLE) is None


def test_ending_a_users_sessions_spares_the_one_kept_and_other_users(clock, manager, admin_user):
    _, here = opened(manager)
    opened(manager)
    opened(manager)
    _, colleagues = opened(admin_user)
    clock.advance(hours=13)
    opened(manager)  # the three above have expired by now: nothing to end
    clock.advance(minutes=1)
    _, latest = opened(manager)

    ended = end_sessions(
        db.session, manager, reason=SessionEnd.PASSWORD_CHANGED, keep=latest, by=admin_user
    )

    assert ended == 1
    assert open_sessions(db.session, manager, idle=IDLE) == [latest]
    assert here.ended_at is None  # expired, not ended
    assert colleagues.ended_at is None
    (note,) = db.session.info[ENDED]
    assert (note.user_id, note.reason, note.count, note.by_id) == (
        manager.id,
        SessionEnd.PASSWORD_CHANGED,
        1,
        admin_user.id,
    )
    db.session.rollback()
    assert ENDED not in db.session.info


def test_a_session_of_a_deactivated_user_is_not_open(clock, manager):
    token, _ = opened(manager)
    manager.active = False
    assert open_session(db.session, token, idle=IDLE) is None


def test_a_customers_session_idles_out_sooner_than_staffs(clock, manager):
    customer = factories.UserFactory(role=Role.CUSTOMER, customer=factories.CustomerFactory())
    staff_token, _ = opened(manager)
    customer_token, _ = opened(customer)
    clock.advance(minutes=20)
    assert open_session(db.session, staff_token, idle=IDLE) is not None
    assert open_session(db.session, customer_token, idle=IDLE) is None
