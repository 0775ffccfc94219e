"""Registering for the personal account (crm.links.services.registration): the form, the
page that asks to check the e-mail (the same whatever the address typed belongs to), and
the link that completes the registration."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from crm.auth import bp
from crm.auth.events import security_event
from crm.auth.forms import LinkForm, RegistrationForm
from crm.auth.limits import limit_guessing
from crm.auth.navigation import home_for
from crm.auth.one_time import opened_link, refuse_use
from crm.auth.services import login_email
from crm.extensions import db
from crm.links.services.registration import complete_registration, request_registration
from crm.models import LinkPurpose
from crm.validation import FieldError


@bp.route("/register", methods=["GET", "POST"])
@limit_guessing(
    "register",
    lambda: login_email(request.form.get("email", "")),
    per_account="LINK_REQUEST_LIMIT_PER_ACCOUNT",
    per_address="LINK_REQUEST_LIMIT_PER_ADDRESS",
)
def register():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = RegistrationForm()
    if form.validate_on_submit():
        try:
            email = request_registration(
                db.session,
                form.data,
                form.password.data,
                locale=str(get_locale()),
                region=current_app.config["PHONE_REGION"],
            )
        except FieldError as error:
            db.session.rollback()
            form[error.field].errors.append(error.message)
        else:
            security_event("registration_requested", email=email)
            db.session.commit()
            return redirect(url_for("auth.registration_sent"))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/register.html", form=form), status


@bp.get("/register/sent")
def registration_sent():
    return render_template(
        "auth/message.html",
        title=_("Check your e-mail"),
        lines=[
            _(
                "We have sent a message to the address you gave. Open the link in it to "
                "complete your registration."
            ),
            _("No message? Look in the spam folder, or register again in a few minutes."),
        ],
    )


@bp.route("/register/<token>", methods=["GET", "POST"])
def confirm_registration(token: str):
    link = opened_link(LinkPurpose.REGISTER, token, lock=request.method == "POST")
    form = LinkForm()
    if form.validate_on_submit():
        try:
            user = complete_registration(db.session, link)
        except FieldError as error:
            refuse_use(link, error)
        security_event(
            "registration_completed",
            user_id=user.id,
            email=user.email,
            customer_id=user.customer_id,
        )
        db.session.commit()
        flash(_("Your registration is complete. Log in with your e-mail and password."), "success")
        return redirect(url_for("auth.login"))
    details = link.payload or {}
    return render_template(
        "auth/confirm_link.html",
        form=form,
        title=_("Complete your registration"),
        lines=[
            _(
                "%(name)s, confirm that %(email)s is your address to create your login to "
                "the personal account.",
                name=details.get("first_name"),
                email=link.email,
            )
        ],
    )
