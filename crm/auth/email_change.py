"""A customer's new e-mail address (crm.links.services.email_change): the form, which asks
for the password and sends a link to the new address, and the link's page, which makes the
change. The personal account's profile page links to the form."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from crm.audit.context import act_as
from crm.auth import bp
from crm.auth.access import roles_required
from crm.auth.events import security_event
from crm.auth.forms import EmailChangeForm, LinkForm
from crm.auth.limits import limit_guessing_per_user
from crm.auth.navigation import home_for
from crm.auth.one_time import opened_link, refuse_use
from crm.auth.password_change import check_current_password
from crm.extensions import db
from crm.links.services.email_change import (
    check_email_change,
    confirm_email_change,
    request_email_change,
)
from crm.models import LinkPurpose, Role
from crm.validation import FieldError


@bp.route("/email", methods=["GET", "POST"])
@roles_required(Role.CUSTOMER)
@limit_guessing_per_user("change_email")
def change_email():
    user = current_user._get_current_object()
    form = EmailChangeForm()
    if form.validate_on_submit() and check_current_password(user, form.current_password):
        try:
            email = request_email_change(
                db.session, user, form.email.data, locale=str(get_locale())
            )
        except FieldError as error:
            db.session.rollback()
            form.email.errors.append(error.message)
        else:
            security_event(
                "email_change_requested", user_id=user.id, email=user.email, new_email=email
            )
            db.session.commit()
            flash(
                _(
                    "We have sent a link to %(email)s. Your address changes when you open "
                    "it; until then it stays %(current)s.",
                    email=email,
                    current=user.email,
                ),
                "info",
            )
            return redirect(url_for("auth.change_email"))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/email.html", form=form, current=user.email), status


@bp.route("/email/<token>", methods=["GET", "POST"])
def confirm_email(token: str):
    link = opened_link(LinkPurpose.EMAIL_CHANGE, token, lock=request.method == "POST")
    try:
        user = check_email_change(link)
    except FieldError as error:
        refuse_use(link, error)
    form = LinkForm()
    if form.validate_on_submit():
        # The link proves who they are, as a password would: the change is theirs.
        act_as(user)
        try:
            user, previous = confirm_email_change(db.session, link)
        except FieldError as error:
            refuse_use(link, error)
        security_event("email_changed", user_id=user.id, email=user.email, previous=previous)
        db.session.commit()
        flash(_("Your e-mail address is now %(email)s.", email=user.email), "success")
        if current_user.is_authenticated:
            return redirect(home_for(current_user))
        return redirect(url_for("auth.login"))
    return render_template(
        "auth/confirm_link.html",
        form=form,
        title=_("Confirm your new e-mail address"),
        lines=[
            _(
                "Your login's address changes from %(previous)s to %(email)s, and so does the "
                "address the lender writes to.",
                previous=user.email,
                email=link.email,
            )
        ],
    )
