"""Security events: one JSON line each on the "crm.security" logger."""

import json
import logging

from crm.auth.events import security_event


def test_an_event_is_one_json_line_with_the_client_address(app, caplog):
    with (
        caplog.at_level(logging.INFO, logger="crm.security"),
        app.test_request_context("/auth/login", environ_base={"REMOTE_ADDR": "203.0.113.7"}),
    ):
        security_event("log_in_failed", email="olena@example.com", reason="wrong password")

    (record,) = [r for r in caplog.records if r.name == "crm.security"]
    line = json.loads(record.getMessage())
    assert line["event"] == "log_in_failed"
    assert line["email"] == "olena@example.com"
    assert line["reason"] == "wrong password"
    assert line["ip"] == "203.0.113.7"
    assert line["path"] == "/auth/login"
    assert "\n" not in record.getMessage()


def test_outside_a_request_the_event_has_no_address(app, caplog):
    with caplog.at_level(logging.INFO, logger="crm.security"):
        security_event("password_changed", user_id=7, by="system")

    (record,) = [r for r in caplog.records if r.name == "crm.security"]
    line = json.loads(record.getMessage())
    assert line == {"at": line["at"], "event": "password_changed", "user_id": 7, "by": "system"}


def test_an_event_is_stamped_with_the_apps_clock(app, caplog, clock):
    clock.advance(hours=3)
    with caplog.at_level(logging.INFO, logger="crm.security"):
        security_event("log_out", user_id=7)

    (record,) = [r for r in caplog.records if r.name == "crm.security"]
    assert json.loads(record.getMessage())["at"] == clock.now.isoformat(timespec="seconds")
