"""The coverage cases of log-in and sessions, passwords, the second factor and the
language. The admin (the fuzz test's log_in, password confirmed) posts unless a route is
`anonymous`."""

import pyotp
from werkzeug.security import generate_password_hash

from crm.extensions import db
from tests import factories
from tests.audit.cases import SECRET_INPUT, Case, Ctx, nothing, security_event, user_event
from tests.audit.expected import Event
from tests.factories import PASSWORD
from tests.fuzz.routes import Route

CODE_PAGE = "/auth/login/code"


def enrol_admin(ctx: Ctx) -> tuple[str, list[str]]:
    """The admin's authenticator app, set up a minute ago: (secret, recovery codes)."""
    secret, codes = factories.enrol_second_factor(ctx.user("admin"), ctx.clock.now)
    ctx.clock.advance(minutes=1)
    return secret, codes


def password_step(ctx: Ctx) -> None:
    """The admin's e-mail and password on the log-in page: the code is asked for next."""
    response = ctx.client.post("/auth/login", data={"email": ctx.email(), "password": PASSWORD})
    assert response.headers["Location"] == CODE_PAGE


def code_from_the_app(ctx: Ctx) -> dict:
    secret, _codes = enrol_admin(ctx)
    password_step(ctx)
    return {"code": pyotp.TOTP(secret).at(ctx.clock.now)}


def recovery_code(ctx: Ctx) -> dict:
    _secret, codes = enrol_admin(ctx)
    password_step(ctx)
    return {"code": codes[0]}


def code_of_a_new_factor(ctx: Ctx) -> dict:
    """The setup page's secret, and the first code of the app that scanned it."""
    page = ctx.client.get("/second-factor/setup").get_data(as_text=True)
    secret = SECRET_INPUT.search(page).group(1)
    return {"code": pyotp.TOTP(secret).at(ctx.clock.now)}


def older_hash(ctx: Ctx) -> None:
    """The admin's password hashed with other parameters than today's: a log-in hashes it
    again (crm.auth.services.check_login)."""
    admin = ctx.user("admin")
    admin.password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    db.session.commit()


def logged_in_with_a_new_hash(ctx: Ctx) -> list[Event]:
    return [
        user_event(ctx, "update", "admin", {"password_hash": ["***", "***"]}),
        security_event(ctx, "log_in", remember=True),
    ]


def enrolled(ctx: Ctx) -> None:
    enrol_admin(ctx)


def password_changed(ctx: Ctx) -> list[Event]:
    return [
        user_event(ctx, "update", "admin", {"password_hash": ["***", "***"]}),
        security_event(ctx, "password_changed", by=ctx.world.admin),
    ]


def logged_in_with_code(ctx: Ctx) -> list[Event]:
    return [security_event(ctx, "log_in", remember=False)]


def logged_in_with_recovery_code(ctx: Ctx) -> list[Event]:
    return [
        security_event(ctx, "recovery_code_used", left=9),
        security_event(ctx, "log_in", remember=False),
    ]


ACCOUNT_CASES: dict[str, Case] = {
    "auth.login": Case(lambda ctx: [security_event(ctx, "log_in", remember=True)]),
    "auth.login (an older hash)": Case(
        logged_in_with_a_new_hash,
        setup=older_hash,
    ),
    "auth.login_code": Case(
        logged_in_with_code, Route(CODE_PAGE, anonymous=True), setup=code_from_the_app
    ),
    "auth.login_code (recovery code)": Case(
        logged_in_with_recovery_code, Route(CODE_PAGE, anonymous=True), setup=recovery_code
    ),
    # A confirmation changes nothing but the browser's session (crm/auth/reauth.py).
    "auth.confirm": Case(nothing),
    "auth.logout": Case(lambda ctx: [security_event(ctx, "log_out")]),
    "auth.logout_everywhere": Case(
        lambda ctx: [security_event(ctx, "sessions_ended_everywhere", sessions=1)]
    ),
    "auth.password": Case(password_changed),
    "second_factor.setup": Case(
        lambda ctx: [security_event(ctx, "second_factor_enrolled")],
        setup=code_of_a_new_factor,
        status=200,
    ),
    "second_factor.recovery_codes": Case(
        lambda ctx: [security_event(ctx, "recovery_codes_renewed")], setup=enrolled, status=200
    ),
    "second_factor.remove_factor": Case(
        lambda ctx: [security_event(ctx, "second_factor_removed", by=ctx.world.admin)],
        setup=enrolled,
    ),
    "language.switch": Case(
        lambda ctx: [user_event(ctx, "update", "admin", {"locale": [None, "en"]})]
    ),
    "language.switch (anonymous)": Case(
        nothing, Route("/language", {"language": "en"}, anonymous=True)
    ),
}
