from flask import Response, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from crm import clock
from crm.audit.context import act_as
from crm.auth import bp
from crm.auth.access import ANY_ROLE, roles_required
from crm.auth.events import refusal_event, security_event
from crm.auth.forms import CodeForm, ConfirmForm, LoginForm, PasswordForm
from crm.auth.limits import limit_guessing, limit_guessing_per_user
from crm.auth.login_sessions import current_login_session, session_lifetime
from crm.auth.navigation import home_for, safe_next
from crm.auth.password_change import change_own_password, limit_password_guessing
from crm.auth.reauth import mark_reauthenticated
from crm.auth.services import check_login, login_email
from crm.extensions import db
from crm.i18n.locale import CHOSEN_BEFORE_LOG_IN, known, remember_in_browser
from crm.language.services import save_language
from crm.models import SessionEnd, User
from crm.second_factor.services import check_code, confirm_identity
from crm.sessions.services import end_session, end_sessions, start_session

#: The session key of a log-in whose password passed and whose code is awaited.
PENDING_LOGIN = "pending_login"


@bp.route("/login", methods=["GET", "POST"])
@limit_guessing("log_in", lambda: login_email(request.form.get("email", "")))
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        check = check_login(db.session, form.email.data, form.password.data)
        if check.user is not None:
            # A password hash brought up to today's parameters, changed by its owner.
            act_as(check.user)
            db.session.commit()
            remember, next_url = form.remember.data, request.args.get("next")
            if check.user.second_factor is not None:
                return start_second_step(check.user, remember=remember, next_url=next_url)
            return complete_login(check.user, remember=remember, next_url=next_url)
        refusal_event(
            "log_in_failed", email=login_email(form.email.data)[:254], reason=check.failure
        )
        form.password.errors.append(_("Wrong e-mail or password."))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


def complete_login(user: User, *, remember: bool, next_url: str | None) -> Response:
    """Log `user` in once their password (and second factor) has been checked: open a
    session on the server, give the browser its token, log the event, and go on to
    `next_url` when it is a local path, else to the user's home.

    Whatever the browser's session held before (a CSRF token, a half-finished step) is
    dropped, and a remember cookie of an earlier log-in is deleted unless `remember`. A
    language chosen on the log-in page is the one the user asked for now: it is saved with
    the login, over the one saved before.
    """
    token = start_session(
        db.session,
        user,
        remember=remember,
        lifetime=session_lifetime(remember),
        ip_address=request.remote_addr,
        user_agent=request.headers.get("User-Agent"),
    )
    chosen = known(session.get(CHOSEN_BEFORE_LOG_IN))
    if chosen is not None:
        save_language(db.session, user, chosen)
    security_event("log_in", user_id=user.id, email=user.email, remember=remember)
    db.session.commit()
    session.clear()
    if not remember and current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in (
        request.cookies
    ):
        session["_remember"] = "clear"
    user.session_token = token
    login_user(user, remember=remember)
    return redirect(safe_next(next_url) or home_for(user))


def start_second_step(user: User, *, remember: bool, next_url: str | None) -> Response:
    """The password passed; the code is asked for before the user is logged in."""
    session[PENDING_LOGIN] = {
        "user_id": user.id,
        "remember": bool(remember),
        # Only a local path goes into the cookie, and not one that would swell it past 4 kB.
        "next": next_url if next_url and len(next_url) <= 1000 and safe_next(next_url) else None,
        "since": clock.utc_now().timestamp(),
    }
    return redirect(url_for("auth.login_code"))


def pending_login() -> tuple[dict, User] | None:
    """The log-in waiting for its code and its user, if it is recent and the user still may."""
    pending = session.get(PENDING_LOGIN)
    if not isinstance(pending, dict) or not isinstance(pending.get("since"), int | float):
        return None
    age = clock.utc_now().timestamp() - pending["since"]
    if not 0 <= age <= current_app.config["SECOND_STEP_MAX_AGE"]:
        return None
    user_id = pending.get("user_id")
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.active or user.second_factor is None:
        return None
    return pending, user


def pending_account() -> str:
    pending = session.get(PENDING_LOGIN)
    return f"user:{pending.get('user_id')}" if isinstance(pending, dict) else "user:none"


@bp.route("/login/code", methods=["GET", "POST"])
@limit_guessing("second_factor", pending_account, per_account="CODE_LIMIT_PER_ACCOUNT")
def login_code():
    waiting = pending_login()
    if waiting is None:
        session.pop(PENDING_LOGIN, None)
        flash(_("Log in again: the time for the code ran out."), "warning")
        return redirect(url_for("auth.login"))
    pending, user = waiting
    form = CodeForm()
    if form.validate_on_submit():
        used = check_code(db.session, user, form.code.data, at=clock.utc_now())
        if used is not None:
            log_code_used(user, used)
            db.session.commit()
            session.pop(PENDING_LOGIN, None)
            return complete_login(user, remember=pending["remember"], next_url=pending["next"])
        refusal_event("second_factor_failed", user_id=user.id, email=user.email, step="log_in")
        form.code.errors.append(_("That is not the code the app shows now."))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/code.html", form=form), status


def log_code_used(user: User, used: str | None) -> None:
    if used == "recovery_code":
        remaining = user.second_factor.unused_recovery_codes
        security_event("recovery_code_used", user_id=user.id, email=user.email, left=remaining)


@bp.route("/confirm", methods=["GET", "POST"])
@login_required
@limit_guessing_per_user("reauthenticate")
def confirm():
    """Re-authentication before a sensitive change (crm/auth/reauth.py)."""
    user = current_user._get_current_object()
    form = ConfirmForm()
    if user.second_factor is None:
        del form.code
    if form.validate_on_submit():
        code = form.code.data if "code" in form else None
        failure, used = confirm_identity(
            db.session, user, form.password.data, code, at=clock.utc_now()
        )
        if failure is None:
            log_code_used(user, used)
            db.session.commit()
            mark_reauthenticated(user.id)
            return redirect(safe_next(request.args.get("next")) or home_for(user))
        reject_confirmation(form, user, failure)
    status = 422 if form.is_submitted() else 200
    return render_template("auth/confirm.html", form=form), status


def reject_confirmation(form: ConfirmForm, user: User, failure: str) -> None:
    if failure == "password":
        refusal_event("reauthentication_failed", user_id=user.id, reason="wrong_password")
        form.password.errors.append(_("Wrong password."))
    else:
        refusal_event("second_factor_failed", user_id=user.id, email=user.email, step="confirm")
        form.code.errors.append(_("That is not the code the app shows now."))


@bp.post("/logout")
def logout():
    record = current_login_session()
    if record is not None:
        user = current_user._get_current_object()
        end_session(db.session, record, reason=SessionEnd.LOG_OUT, by=user)
        security_event("log_out", user_id=user.id, email=user.email)
        db.session.commit()
    return logged_out(_("You have logged out."))


@bp.post("/logout-everywhere")
@roles_required(*ANY_ROLE)
def logout_everywhere():
    user = current_user._get_current_object()
    ended = end_sessions(db.session, user, reason=SessionEnd.LOG_OUT_EVERYWHERE, by=user)
    security_event("sessions_ended_everywhere", user_id=user.id, email=user.email, sessions=ended)
    db.session.commit()
    return logged_out(_("You have logged out on every device."))


def logged_out(message: str) -> Response:
    """Log the user out and show the log-in page in the language they were using, not
    the one the browser asks for."""
    language = str(get_locale())
    logout_user()
    flash(message, "info")
    return remember_in_browser(redirect(url_for("auth.login")), language)


@bp.route("/password", methods=["GET", "POST"])
@roles_required(*ANY_ROLE)
@limit_password_guessing
def password():
    user = current_user._get_current_object()
    form = PasswordForm()
    if change_own_password(user, form):
        return redirect(home_for(user))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/password.html", form=form), status
