"""The security headers (crm/headers.py) on every kind of response, and pages that carry no
inline script or style, which the Content-Security-Policy would refuse to run."""

import re
import secrets
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from config import ProductionConfig
from crm import create_app
from crm.demo.load import DEMO_PASSWORD, load_demo
from crm.extensions import db
from crm.models import User
from tests import factories
from tests.walk import walk

#: Directives every policy must hold, with exactly these sources.
REQUIRED = {
    "default-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "object-src": ["'none'"],
}
NONCE = re.compile(r"'nonce-([^']+)'")


def policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, "no Content-Security-Policy header"
    directives = {}
    for part in filter(str.strip, header.split(";")):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_protected(response, frame_ancestors: str = "'none'") -> None:
    """The policy and the other headers every response carries."""
    directives = policy(response)
    assert {name: directives.get(name) for name in REQUIRED} == {
        **REQUIRED,
        "frame-ancestors": [frame_ancestors],
    }
    for kind in ("script-src", "style-src"):
        sources = set(directives.get(kind, directives["default-src"]))
        assert not sources & {"'unsafe-inline'", "'unsafe-eval'", "*", "data:"}, kind
    assert response.headers["X-Frame-Options"] == (
        "DENY" if frame_ancestors == "'none'" else "SAMEORIGIN"
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers, "HSTS is for production"


def assert_not_stored(response) -> None:
    assert response.headers.get("Cache-Control") == "no-store"


@pytest.mark.parametrize(
    ("who", "path", "status"),
    [
        # Anonymous, but it holds a CSRF token, and the e-mail typed once a log-in fails.
        (None, "/auth/login", 200),
        ("manager", "/customers/", 200),
        ("customer_user", "/account/", 200),
        (None, "/no-such-page", 404),
        ("manager", "/no-such-page", 404),
    ],
    ids=["login-page", "staff-page", "personal-account", "error-anonymous", "error-logged-in"],
)
def test_a_page_has_the_headers_and_is_not_stored(client, login, request, who, path, status):
    factories.CustomerFactory()
    if who:
        login(request.getfixturevalue(who))

    response = client.get(path)

    assert response.status_code == status
    assert_protected(response)
    assert_not_stored(response)
    assert not NONCE.findall(response.headers["Content-Security-Policy"]), "no script used one"


def test_an_admin_page_has_the_headers_and_its_scripts_carry_the_nonce(admin_client):
    factories.CustomerFactory()

    first, second = admin_client.get("/admin/customer/"), admin_client.get("/admin/customer/")

    for response in (first, second):
        assert response.status_code == 200
        assert_protected(response)
        assert_not_stored(response)
        [nonce] = NONCE.findall(" ".join(policy(response)["script-src"]))
        tags = re.findall(r"<script\b[^>]*>", response.get_data(as_text=True))
        scripts = [tag for tag in tags if 'type="application/json"' not in tag]
        assert scripts
        assert all(f'nonce="{nonce}"' in tag for tag in scripts), scripts
    assert NONCE.findall(first.headers["Content-Security-Policy"]) != NONCE.findall(
        second.headers["Content-Security-Policy"]
    ), "a nonce is new on every response"


@pytest.mark.parametrize(
    "path",
    ["/static/css/crm.css", "/static/js/admin.js", "/admin/static/admin/js/helpers.js"],
)
def test_static_files_keep_their_caching(client, login, manager, path):
    login(manager)

    response = client.get(path)

    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert response.headers.get("ETag"), "browsers revalidate rather than fetch again"
    response.close()


def test_a_form_in_the_admins_add_dialog_may_be_framed_by_our_own_pages(admin_client):
    # The "+" beside a picker shows the other view's create form in a frame of this origin.
    framed = admin_client.get("/admin/customer/new/?picker=customer")
    alone = admin_client.get("/admin/customer/new/")
    listed = admin_client.get("/admin/customer/?picker=customer")

    assert_protected(framed, frame_ancestors="'self'")
    assert_protected(alone)
    assert_protected(listed)


def test_production_sends_strict_transport_security(tmp_path):
    config = type(
        "Prod",
        (ProductionConfig,),
        {
            "SECRET_KEY": secrets.token_urlsafe(48),
            "CRM_BASE_URL": "https://crm.example.com",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        },
    )
    client = create_app(config).test_client()

    response = client.get("/auth/login")

    hsts = response.headers.get("Strict-Transport-Security", "")
    max_age = re.search(r"max-age=(\d+)", hsts)
    assert max_age, hsts
    assert int(max_age[1]) >= 365 * 24 * 3600
    assert "includeSubDomains" in hsts


class _InlineScript(HTMLParser):
    """What the policy refuses in a page: inline scripts and styles, `on…` handlers,
    `javascript:` links and `style` attributes; and the page's links, to walk on."""

    URL_ATTRIBUTES = ("href", "src", "action", "formaction")

    def __init__(self) -> None:
        super().__init__()
        self.refused: list[str] = []
        self.links: list[str] = []
        self._script_tag = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        shown = self.get_starttag_text() or tag
        handlers = [name for name in attributes if name.startswith("on")]
        if handlers or "style" in attributes or tag == "style":
            self.refused.append(shown)
        if any(
            (attributes.get(name) or "").strip().lower().startswith("javascript:")
            for name in self.URL_ATTRIBUTES
        ):
            self.refused.append(shown)
        is_data = (attributes.get("type") or "").startswith("application/json")
        self._script_tag = (
            shown if tag == "script" and "src" not in attributes and not is_data else ""
        )
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])

    def handle_data(self, data):
        if self._script_tag and data.strip():
            self.refused.append(self._script_tag)

    def handle_endtag(self, tag):
        self._script_tag = ""


def inline_script(html: str) -> tuple[list[str], list[str]]:
    reader = _InlineScript()
    reader.feed(html)
    return reader.refused, reader.links


@pytest.fixture
def demo(app) -> dict[str, User]:
    load_demo(db.session, customers=6)
    db.session.commit()
    return {
        who: db.session.scalars(select(User).filter_by(email=f"{who}@demo.crm")).one()
        for who in ("admin", "customer")
    }


@pytest.mark.parametrize(
    ("who", "starts", "at_least"),
    [
        ("admin", ["/", "/admin/", "/search?q=a", "/search?q=%231"], 40),
        ("customer", ["/account/"], 5),
    ],
    ids=["admin", "customer"],
)
def test_no_page_carries_inline_script_or_style(client, login, demo, who, starts, at_least):
    """Every page the staff site, the admin (Flask-Admin's pages included) and the personal
    account link to: the policy would refuse what these tags carry, so a button would
    silently do nothing (or, for the admin's delete, act without asking)."""
    login(demo[who], DEMO_PASSWORD)

    pages = walk(client, starts, {}, inline_script)

    assert len(pages) >= at_least, sorted(pages)
    assert not any(pages.values()), "\n".join(
        f"{url}: {tags}" for url, tags in pages.items() if tags
    )
