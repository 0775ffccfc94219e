"""A forgotten password (crm.links.services.reset): the page that asks for a link (its
answer is the same whatever address was typed) and the link's page, which sets the new
password and ends every session of the login."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from crm.audit.context import act_as
from crm.auth import bp
from crm.auth.events import security_event
from crm.auth.forms import NewPasswordForm, ResetRequestForm
from crm.auth.limits import limit_guessing
from crm.auth.one_time import link_account, opened_link, refuse_use
from crm.auth.services import login_email
from crm.extensions import db
from crm.links.services.reset import check_reset, request_password_reset, reset_password
from crm.models import LinkPurpose
from crm.validation import FieldError


@bp.route("/reset", methods=["GET", "POST"])
@limit_guessing(
    "reset_password",
    lambda: login_email(request.form.get("email", "")),
    per_account="LINK_REQUEST_LIMIT_PER_ACCOUNT",
    per_address="LINK_REQUEST_LIMIT_PER_ADDRESS",
)
def request_reset():
    form = ResetRequestForm()
    if form.validate_on_submit():
        try:
            email = request_password_reset(db.session, form.email.data, locale=str(get_locale()))
        except FieldError as error:
            db.session.rollback()
            form.email.errors.append(error.message)
        else:
            # Which address was tried, never whether a login has it.
            security_event("password_reset_requested", email=email)
            db.session.commit()
            return redirect(url_for("auth.reset_sent"))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/reset.html", form=form), status


@bp.get("/reset/sent")
def reset_sent():
    return render_template(
        "auth/message.html",
        title=_("Check your e-mail"),
        lines=[
            _(
                "If the address you gave has a login, we have sent it a link to choose a new "
                "password. The link works for an hour."
            ),
            _("No message? Look in the spam folder, or ask for a new link in a few minutes."),
        ],
    )


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limit_guessing("reset_link", link_account)
def reset_password_page(token: str):
    link = opened_link(LinkPurpose.RESET, token, lock=request.method == "POST")
    try:
        user = check_reset(link)
    except FieldError as error:
        refuse_use(link, error)
    form = NewPasswordForm()
    if form.validate_on_submit():
        # The link proves who they are, as a password would: the change is theirs.
        act_as(user)
        try:
            user, ended = reset_password(db.session, link, form.password.data)
        except FieldError as error:
            db.session.rollback()
            form.password.errors.append(error.message)
        else:
            security_event("password_reset", user_id=user.id, email=user.email, sessions=ended)
            db.session.commit()
            flash(_("Your password has been changed. Log in with it."), "success")
            return redirect(url_for("auth.login"))
    status = 422 if form.is_submitted() else 200
    page = render_template(
        "auth/set_password.html",
        form=form,
        title=_("Choose a new password"),
        lines=[
            _(
                "The new password is for %(email)s. Every session of this login ends when it "
                "is saved.",
                email=link.email,
            )
        ],
    )
    return page, status
