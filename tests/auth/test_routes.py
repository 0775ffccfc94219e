import pytest

from crm.models import Role
from tests import factories
from tests.conftest import PASSWORD


def test_login_page_renders(client):
    response = client.get("/auth/login")
    assert response.status_code == 200
    assert b'name="email"' in response.data
    assert b'name="password"' in response.data


def test_manager_logs_in_and_lands_on_dashboard(client, manager):
    response = client.post("/auth/login", data={"email": manager.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_ignores_email_case_and_spaces(client, manager):
    response = client.post(
        "/auth/login", data={"email": f"  {manager.email.upper()} ", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_wrong_password_says_so_by_the_field(client, manager):
    response = client.post("/auth/login", data={"email": manager.email, "password": "nope"})
    assert response.status_code == 422
    assert b"Wrong e-mail or password." in response.data
    assert b"is-invalid" in response.data


def test_inactive_user_cannot_log_in(client):
    user = factories.UserFactory(role=Role.MANAGER, active=False)
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/customers/?q=a", "/customers/?q=a"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_next_redirects_only_to_local_paths(client, manager, next_url, expected):
    response = client.post(
        "/auth/login",
        query_string={"next": next_url},
        data={"email": manager.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == expected


#: Targets that would split the Location header or hide a control character in it.
CONTROL_CHARACTER_TARGETS = [
    "/x\r\nX-Injected: 1",
    "/x\nSet-Cookie: a=b",
    "/x\ry",
    "/x\x00",
    "/x\ty",
    "/x\x1b[2J",
    "/x\x7f",
    "/x\x85y",
]


@pytest.mark.parametrize("next_url", CONTROL_CHARACTER_TARGETS)
def test_next_with_control_characters_is_dropped_after_log_in(client, manager, next_url):
    response = client.post(
        "/auth/login",
        query_string={"next": next_url},
        data={"email": manager.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "X-Injected" not in response.headers


def test_next_with_control_characters_is_dropped_for_a_customer_too(client, customer_user):
    response = client.post(
        "/auth/login?next=/x%0D%0AX-Injected:%201",
        data={"email": customer_user.email, "password": PASSWORD},
    )
    assert (response.status_code, response.headers["Location"]) == (302, "/account/")


def test_logout_needs_post_and_ends_the_session(client, manager, login):
    login(manager)
    assert client.get("/auth/logout").status_code == 405
    assert client.post("/auth/logout").status_code == 302
    assert client.get("/").status_code == 302


def test_anonymous_json_client_gets_401(client):
    response = client.get("/", headers={"Accept": "application/json"})
    assert response.status_code == 401
    assert response.json == {"error": "Authentication required."}


@pytest.mark.parametrize("email", ["a\x00b@example.com", "\x00", "user@example.com\x1b"])
def test_an_email_with_control_characters_is_refused_not_looked_up(client, manager, email):
    # PostgreSQL refuses a NUL in a query: looking it up was a 500 there.
    response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 422
    assert b"Not a valid e-mail address." in response.data
