"""A real server (gunicorn on a fresh SQLite file) and Debian's Chromium driven by Playwright.

Chromium comes from Debian (`apt-get install chromium`), never from `playwright install`.
Without it the browser tests skip with a reason, except under CI=true, where they fail.

Every browser context the tests open listens for Content-Security-Policy violations (the
`securitypolicyviolation` event in every frame, and Chromium's console messages about the
policy); `visit()` checks after each page, and a test with any violation left fails.
"""

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, expect

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: How long an `expect` waits for the state it asks for. It returns as soon as the state is
#: there; Playwright's 5 s default was too short for a page of a live server sharing two busy
#: cores with the database suites of a CI run (a log-in's dashboard once took longer).
expect.set_options(timeout=20_000)

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"
#: Runs in every frame before the page's own scripts: hands each violation to the test.
REPORT_VIOLATIONS = """
window.addEventListener('securitypolicyviolation', function (event) {
  window.__cspViolation([event.effectiveDirective, event.blockedURI,
                         event.sourceFile + ':' + event.lineNumber, event.sample].join(' | '));
}, true);
"""


def pytest_collection_modifyitems(items):
    browser_items = [item for item in items if "browser" in item.keywords]
    if not browser_items or Path(CHROMIUM).exists():
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(f"CI=true but {CHROMIUM} is missing: apt-get install chromium")
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (apt-get install chromium)")
    for item in browser_items:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1366, "height": 900}, "locale": "en-GB"}


@pytest.fixture
def csp_violations() -> list[str]:
    """The policy violations the test's pages reported, each with the page it happened on."""
    return []


def watch_csp(context: BrowserContext, violations: list[str]) -> None:
    def report(source, violation: str) -> None:
        violations.append(f"{source['frame'].url}: {violation}")

    def console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            violations.append(f"{message.page.url if message.page else '?'}: {message.text}")

    context.expose_binding("__cspViolation", report)
    context.add_init_script(REPORT_VIOLATIONS)
    context.on("console", console)


def assert_no_csp_violations(pages: list[Page], violations: list[str]) -> None:
    """None so far; a round trip to each page first lets the reports on their way arrive."""
    for page in pages:
        page.evaluate("0")
    assert violations == [], "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def new_context(new_context, csp_violations) -> Iterator[Callable[..., BrowserContext]]:
    """pytest-playwright's contexts (so `context` and `page` too), watched for violations;
    the test fails on any left when it ends."""
    contexts: list[BrowserContext] = []

    def watched(**kwargs) -> BrowserContext:
        context = new_context(**kwargs)
        watch_csp(context, csp_violations)
        contexts.append(context)
        return context

    yield watched
    assert_no_csp_violations(
        [page for context in contexts for page in context.pages], csp_violations
    )


@pytest.fixture
def visit(page: Page, csp_violations) -> Callable[[str], None]:
    """`visit(url)`: open the page, and fail on any policy violation so far."""

    def _visit(url: str) -> None:
        page.goto(url)
        assert_no_csp_violations([page], csp_violations)

    return _visit


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def flask(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


@pytest.fixture(scope="session")
def live_env(tmp_path_factory) -> dict[str, str]:
    """The environment of the live server (its database among it): `flask(live_env, …)` runs
    a command, such as the day's collections run, against the database the browser sees."""
    database = tmp_path_factory.mktemp("live") / "crm.sqlite3"
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "CRM_CONFIG": "development",
        # Random: a key written in the code is refused (crm/secret_key.py).
        "SECRET_KEY": secrets.token_urlsafe(32),
        # The flows check that one user's change reaches another's dashboard; how long kept
        # figures may lag behind is tests/test_figures_cache.py's.
        "FIGURES_MAX_AGE": "0",
        # The suite logs each demo account in again and again from one address, faster on a
        # quick machine than 10 in 15 minutes; the limits themselves are tests/auth's.
        "GUESS_LIMIT_PER_ACCOUNT": "1000 per 15 minutes",
        "GUESS_LIMIT_PER_ADDRESS": "1000 per 15 minutes",
    }


@pytest.fixture(scope="session")
def live_server(live_env) -> Iterator[str]:
    """The base URL of gunicorn serving a migrated database with a little demo data (and
    its month ends computed, as `make run` does)."""
    env = live_env
    database = Path(env["DATABASE_URL"].removeprefix("sqlite:///"))
    flask(env, "db", "upgrade")
    flask(env, "demo", "load", "--customers", "40")
    flask(env, "reports", "month-ends")
    port = free_port()
    log = (database.parent / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "--no-control-socket",
            "-w", "1", "--threads", "4", "-b", f"127.0.0.1:{port}", "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{base_url}/healthz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError(f"gunicorn did not start; see {log.name}")
            time.sleep(0.2)
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def shot(page, name: str, *, full_page: bool = True) -> Path:
    """Save a screenshot of `page` into docs/screenshots/ (the README shows them)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


@pytest.fixture
def screenshot(page):
    """`screenshot(name)` saves the test's page into docs/screenshots/."""
    return lambda name, **options: shot(page, name, **options)
