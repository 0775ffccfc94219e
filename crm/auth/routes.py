from flask import Response, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from crm.auth import bp
from crm.auth.access import ANY_ROLE, roles_required
from crm.auth.events import security_event
from crm.auth.forms import LoginForm, PasswordForm
from crm.auth.login_sessions import current_login_session, session_lifetime
from crm.auth.navigation import home_for, safe_next
from crm.auth.services import authenticate, set_password
from crm.extensions import db
from crm.models import SessionEnd, User
from crm.sessions.services import end_session, end_sessions, start_session
from crm.validation import FieldError


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(db.session, form.email.data, form.password.data)
        if user is not None:
            return complete_login(
                user, remember=form.remember.data, next_url=request.args.get("next")
            )
        form.password.errors.append(_("Wrong e-mail or password."))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


def complete_login(user: User, *, remember: bool, next_url: str | None) -> Response:
    """Log `user` in once their password (and second factor) has been checked: open a
    session on the server, give the browser its token, log the event, and go on to
    `next_url` when it is a local path, else to the user's home.

    Whatever the browser's session held before (a CSRF token, a half-finished step) is
    dropped, and a remember cookie of an earlier log-in is deleted unless `remember`.
    """
    token = start_session(
        db.session,
        user,
        remember=remember,
        lifetime=session_lifetime(remember),
        ip_address=request.remote_addr,
        user_agent=request.headers.get("User-Agent"),
    )
    db.session.commit()
    session.clear()
    if not remember and current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in (
        request.cookies
    ):
        session["_remember"] = "clear"
    user.session_token = token
    login_user(user, remember=remember)
    security_event("log_in", user_id=user.id, email=user.email, remember=remember)
    return redirect(safe_next(next_url) or home_for(user))


@bp.post("/logout")
def logout():
    record = current_login_session()
    if record is not None:
        user = current_user._get_current_object()
        end_session(db.session, record, reason=SessionEnd.LOG_OUT, by=user)
        db.session.commit()
        security_event("log_out", user_id=user.id, email=user.email)
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/logout-everywhere")
@roles_required(*ANY_ROLE)
def logout_everywhere():
    user = current_user._get_current_object()
    ended = end_sessions(db.session, user, reason=SessionEnd.LOG_OUT_EVERYWHERE, by=user)
    db.session.commit()
    security_event("sessions_ended_everywhere", user_id=user.id, email=user.email, sessions=ended)
    logout_user()
    flash(_("You have logged out on every device."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@roles_required(*ANY_ROLE)
def password():
    user = current_user._get_current_object()
    form = PasswordForm()
    if form.validate_on_submit():
        if not user.check_password(form.current_password.data):
            form.current_password.errors.append(_("This is not your current password."))
        else:
            try:
                set_password(
                    db.session, user, form.password.data, keep=current_login_session(), by=user
                )
            except FieldError as error:
                db.session.rollback()
                # The policy's message: set_password checks nothing else.
                form.password.errors.append(error.message)
            else:
                db.session.commit()
                security_event("password_changed", user_id=user.id, email=user.email, by=user.id)
                flash(_("Your password has been changed; your other sessions have ended."), "info")
                return redirect(home_for(user))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/password.html", form=form), status
