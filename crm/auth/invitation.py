"""Accepting an invitation to the personal account (crm.links.services.invitation): the
customer sets a password through the link and is logged in."""

from flask import render_template, request
from flask_babel import gettext as _

from crm.auth import bp
from crm.auth.events import security_event
from crm.auth.forms import NewPasswordForm
from crm.auth.limits import limit_guessing
from crm.auth.one_time import link_account, opened_link, refuse_use
from crm.auth.routes import complete_login
from crm.extensions import db
from crm.links.services.invitation import accept_invitation, check_invitation
from crm.models import LinkPurpose
from crm.validation import FieldError


@bp.route("/invite/<token>", methods=["GET", "POST"])
@limit_guessing("accept_invitation", link_account)
def accept_invite(token: str):
    link = opened_link(LinkPurpose.INVITE, token, lock=request.method == "POST")
    try:
        customer = check_invitation(link)
    except FieldError as error:
        refuse_use(link, error)
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            user = accept_invitation(db.session, link, form.password.data)
        except FieldError as error:
            if error.field != "password":
                refuse_use(link, error)
            db.session.rollback()
            form.password.errors.append(error.message)
        else:
            security_event(
                "invitation_accepted",
                user_id=user.id,
                email=user.email,
                customer_id=customer.id,
            )
            return complete_login(user, remember=False, next_url=None)
    status = 422 if form.is_submitted() else 200
    page = render_template(
        "auth/set_password.html",
        form=form,
        title=_("Welcome to Credit CRM"),
        lines=[
            _(
                "Choose a password for your personal account. You will log in with "
                "%(email)s and this password.",
                email=link.email,
            )
        ],
    )
    return page, status
