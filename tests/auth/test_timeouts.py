"""Sessions end after a while without a request (staff 30 min, customers 15 min), 12 hours
after the log-in in any case, and a remembered one after 30 days; the clock is the tests'
own (the `clock` fixture), moved by hand."""

STAFF_PAGE, ACCOUNT_PAGE = "/customers/", "/account/"


def status(client, path: str = STAFF_PAGE) -> int:
    return client.get(path).status_code


def test_a_staff_session_ends_after_30_minutes_without_a_request(clock, logged_in, manager):
    client = logged_in(manager)
    clock.advance(minutes=29)
    assert status(client) == 200
    clock.advance(minutes=29)
    assert status(client) == 200  # each request starts the count again
    clock.advance(minutes=31)

    response = client.get(STAFF_PAGE, follow_redirects=True)

    assert response.request.path == "/auth/login"
    assert "Your session has ended. Log in again." in response.get_data(as_text=True)


def test_a_customer_session_ends_after_15_minutes_without_a_request(
    clock, logged_in, customer_user
):
    client = logged_in(customer_user)
    clock.advance(minutes=14)
    assert status(client, ACCOUNT_PAGE) == 200
    clock.advance(minutes=16)
    assert status(client, ACCOUNT_PAGE) == 302


def test_the_idle_limits_are_settings(app, clock, logged_in, manager):
    app.config["STAFF_IDLE_TIMEOUT"] = app.config["STAFF_IDLE_TIMEOUT"] / 3
    client = logged_in(manager)
    clock.advance(minutes=11)
    assert status(client) == 302


def test_no_session_outlives_12_hours_however_busy(clock, logged_in, manager):
    client = logged_in(manager)
    for _ in range(35):
        clock.advance(minutes=20)
        assert status(client) == 200
    clock.advance(minutes=20)  # 12 hours after the log-in
    assert status(client) == 302


def test_a_remembered_session_outlives_the_idle_limits_but_not_30_days(clock, logged_in, manager):
    client = logged_in(manager, remember=True)
    for days in (6, 6, 6, 6, 5):
        clock.advance(days=days)
        assert status(client) == 200
    clock.advance(days=1)  # 30 days after the log-in
    assert status(client) == 302


def test_a_remembered_session_ends_after_a_week_without_a_request(clock, logged_in, manager):
    client = logged_in(manager, remember=True)
    clock.advance(days=7, minutes=1)
    assert status(client) == 302


def test_last_seen_is_written_at_most_once_a_minute(clock, logged_in, manager, count_queries):
    client = logged_in(manager)

    def writes(requests: int) -> int:
        with count_queries() as log:
            for _ in range(requests):
                status(client)
        return sum(s.lstrip().upper().startswith("UPDATE USER_SESSIONS") for s in log.statements)

    assert writes(3) == 0
    clock.advance(seconds=59)
    assert writes(1) == 0
    clock.advance(seconds=2)
    assert writes(3) == 1
