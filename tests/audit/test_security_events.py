"""Security events are stored in the trail as well as logged: who tried what, from where,
and why it was refused; a refusal keeps nothing else of its request."""

from datetime import timedelta

from crm.extensions import db
from crm.models.audit import ANONYMOUS
from tests import factories
from tests.factories import PASSWORD


def test_a_failed_log_in_keeps_the_email_tried_and_the_reason(client, manager, events):
    client.environ_base["REMOTE_ADDR"] = "198.51.100.4"
    response = client.post("/auth/login", data={"email": manager.email, "password": "nope"})
    assert response.status_code == 422

    [event] = events(action="log_in_failed")
    assert (event.actor, event.actor_id, event.entity_id) == (ANONYMOUS, None, None)
    assert event.changes == {"email": [None, manager.email], "reason": [None, "wrong_password"]}
    assert event.ip == "198.51.100.4"


def test_a_log_in_and_a_log_out_are_the_users_own(client, login, manager, events):
    login(manager)
    client.post("/auth/logout")

    logged = [(event.action, event.actor_id, event.entity_id) for event in events(entity="user")]
    assert ("log_in", manager.id, manager.id) in logged
    assert ("log_out", manager.id, manager.id) in logged


def test_a_refused_page_is_recorded_with_who_asked(staff_client, manager, events):
    response = staff_client.get("/admin/user/")
    assert response.status_code == 403

    [event] = events(action="access_refused")
    assert (event.actor, event.entity_id) == (manager.email, manager.id)
    assert event.changes["path"] == [None, "/admin/user/"]


def test_a_refused_write_keeps_only_the_refusal(staff_client, manager, events, active):
    before = len(events())
    response = staff_client.post(
        f"/loans/{active.id}/write-off", data={"version": active.version, "reason": "Gone"}
    )
    assert response.status_code == 403

    new = events()[before:]
    assert [event.action for event in new] == ["access_refused"]


def test_a_lockout_is_recorded(client, manager, events):
    for _ in range(11):
        client.post("/auth/login", data={"email": manager.email, "password": "nope"})

    [lockout, *_] = events(action="locked_out")
    assert lockout.actor == ANONYMOUS
    assert lockout.changes["account"] == [None, manager.email]


def test_sessions_an_admin_ends_are_recorded_in_that_transaction(app, admin_user, events):
    from crm.models import SessionEnd
    from crm.sessions.services import end_sessions, start_session

    user = factories.UserFactory()
    start_session(db.session, user, remember=False, lifetime=timedelta(days=1))
    db.session.commit()
    end_sessions(db.session, user, reason=SessionEnd.ENDED_BY_ADMIN, by=admin_user)
    db.session.commit()

    [event] = events(action="session_ended")
    assert event.entity_id == user.id
    assert event.changes["reason"] == [None, "ended_by_admin"]
    assert event.changes["by"] == [None, admin_user.id]


def test_a_password_change_is_recorded_without_the_password(client, login, manager, events):
    login(manager)
    new = "Another-Long-Passphrase-42"
    response = client.post(
        "/auth/password", data={"current_password": PASSWORD, "password": new, "confirm": new}
    )
    assert response.status_code == 302

    [event] = events(action="password_changed")
    assert event.actor_id == manager.id
    assert new not in str([e.changes for e in events()])


def test_guessing_the_current_password_is_recorded_and_limited(client, login, manager, events):
    login(manager)
    wrong = {"current_password": "guess", "password": "x" * 20, "confirm": "x" * 20}
    answers = [client.post("/auth/password", data=wrong).status_code for _ in range(12)]

    assert answers[0] == 422
    assert answers[-1] == 429
    refused = events(action="reauthentication_failed")
    assert refused
    assert all(event.entity_id == manager.id for event in refused)
