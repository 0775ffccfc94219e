"""The customer's own details: phone number and language, and a new password (the current
one first). The e-mail address is shown, not changed here."""

from flask import flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from wtforms.fields.choices import SelectChoice

from crm.account import bp, queries, services
from crm.account.forms import ProfileForm
from crm.auth.forms import PasswordForm
from crm.auth.password_change import change_own_password, limit_password_guessing
from crm.extensions import db
from crm.i18n.locale import LANGUAGE_NAMES, languages
from crm.models import Customer
from crm.validation import FieldError


@bp.route("/profile", methods=["GET", "POST"])
def profile():
    user = current_user._get_current_object()
    customer = queries.own_customer(db.session, user.customer_id)
    form = profile_form(customer)
    if form.validate_on_submit():
        try:
            services.update_profile(
                db.session,
                user,
                customer,
                phone=form.phone.data,
                language=form.language.data,
                expected_version=form.expected_version(),
            )
            db.session.commit()
        except FieldError as error:
            db.session.rollback()
            form[error.field].errors.append(error.message)
        except StaleDataError:
            db.session.rollback()
            flash(_("Your details changed after you opened the page; nothing was saved."), "error")
            return redirect(url_for("account.profile"))
        else:
            flash(_("Your details are saved."), "success")
            return redirect(url_for("account.profile"))
    status = 422 if form.is_submitted() else 200
    return render_profile(customer, form, PasswordForm(formdata=None), status)


@bp.post("/password")
@limit_password_guessing
def password():
    user = current_user._get_current_object()
    form = PasswordForm()
    if change_own_password(user, form):
        return redirect(url_for("account.profile"))
    customer = queries.own_customer(db.session, user.customer_id)
    return render_profile(customer, profile_form(customer, submitted=False), form, 422)


def profile_form(customer: Customer | None, *, submitted: bool = True) -> ProfileForm:
    """The phone and language form, filled from the records (and from the post, when
    `submitted`). A login linked to no customer has no phone to show."""
    form = ProfileForm(
        **({} if submitted else {"formdata": None}),
        phone=customer.phone if customer else None,
        language=current_user.locale or str(get_locale()),
        version=customer.version if customer else None,
    )
    form.language.choices = [SelectChoice(code, LANGUAGE_NAMES[code][1]) for code in languages()]
    return form


def render_profile(
    customer: Customer | None, form: ProfileForm, password_form: PasswordForm, status: int
):
    page = render_template(
        "account/profile.html", customer=customer, form=form, password_form=password_form
    )
    return page, status
