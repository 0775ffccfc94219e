"""The forms of the one-time links are rate-limited as the log-in is (crm/auth/limits.py):
per address typed (or link, or login) and per client address; a refused try is a 429 with
Retry-After, and sends nothing."""

from tests import factories
from tests.conftest import PASSWORD
from tests.links.conftest import NEW_PASSWORD, REGISTRATION, link_in

#: config.py: LINK_REQUEST_LIMIT_PER_ACCOUNT, …_PER_ADDRESS, GUESS_…, CODE_LIMIT_PER_ACCOUNT.
PER_EMAIL, PER_CLIENT, PER_LINK, PER_LOGIN = 5, 20, 10, 5


def statuses(post, times: int) -> list[int]:
    return [post(number).status_code for number in range(times)]


def test_registrations_of_one_address_are_limited(client, mailbox):
    answers = statuses(lambda _n: client.post("/auth/register", data=REGISTRATION), PER_EMAIL + 1)

    assert answers == [302] * PER_EMAIL + [429]
    assert len(mailbox.messages) == PER_EMAIL
    refused = client.post("/auth/register", data=REGISTRATION)
    assert 0 < int(refused.headers["Retry-After"]) <= 3600


def test_registrations_from_one_client_are_limited(client, mailbox):
    def register(number: int):
        data = {**REGISTRATION, "email": f"someone{number}@example.com"}
        return client.post("/auth/register", data=data)

    assert statuses(register, PER_CLIENT + 1) == [302] * PER_CLIENT + [429]
    other_client = client.post(
        "/auth/register",
        data={**REGISTRATION, "email": "elsewhere@example.com"},
        environ_base={"REMOTE_ADDR": "203.0.113.9"},
    )
    assert other_client.status_code == 302


def test_reset_requests_for_one_address_are_limited(client, mailbox, manager):
    def ask(_number: int):
        return client.post("/auth/reset", data={"email": manager.email.upper()})

    assert statuses(ask, PER_EMAIL + 1) == [302] * PER_EMAIL + [429]
    assert len(mailbox.messages) == PER_EMAIL


def test_tries_at_an_invitations_password_are_limited(app, staff_client, mailbox):
    customer = factories.CustomerFactory()
    staff_client.post(f"/customers/{customer.id}/invite")
    link = link_in(mailbox.messages[0], "/auth/invite/")
    browser = app.test_client()

    answers = statuses(
        lambda _n: browser.post(link, data={"password": "short", "confirm": "short"}), PER_LINK
    )
    right = browser.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    assert answers == [422] * PER_LINK
    assert right.status_code == 429


def test_tries_at_a_reset_links_password_are_limited(client, mailbox, manager):
    client.post("/auth/reset", data={"email": manager.email})
    link = link_in(mailbox.messages[0], "/auth/reset/")

    answers = statuses(
        lambda _n: client.post(link, data={"password": "short", "confirm": "short"}), PER_LINK + 1
    )

    assert answers == [422] * PER_LINK + [429]


def test_e_mail_changes_are_limited_per_login(client, login, customer_user, mailbox):
    login(customer_user)

    def ask(number: int):
        data = {"current_password": PASSWORD, "email": f"new{number}@example.com"}
        return client.post("/auth/email", data=data)

    assert statuses(ask, PER_LOGIN + 1) == [302] * PER_LOGIN + [429]
    assert len(mailbox.messages) == PER_LOGIN


def test_a_lockout_is_a_security_event(client, mailbox, security_log):
    statuses(lambda _n: client.post("/auth/register", data=REGISTRATION), PER_EMAIL + 1)

    [locked] = security_log("locked_out")
    assert (locked["scope"], locked["by"], locked["account"]) == (
        "register",
        "account",
        REGISTRATION["email"],
    )
