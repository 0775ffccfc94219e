"""The second-factor pages of the staff site, and the rule that staff must have one when
STAFF_TOTP_REQUIRED is on."""

import segno
from flask import (
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from crm import clock
from crm.auth.events import security_event
from crm.auth.reauth import reauthentication_required
from crm.errors import wants_json
from crm.extensions import db
from crm.second_factor import bp
from crm.second_factor.forms import SetupForm
from crm.second_factor.services import enrol, new_secret, remove, renew_recovery_codes, setup_uri
from crm.validation import FieldError

#: The session key of the secret being set up, until the app's first code confirms it.
SETUP_SECRET = "second_factor_setup"  # noqa: S105 (a session key)
#: What a staff member who must still set up a second factor may open meanwhile.
OPEN_WITHOUT_SECOND_FACTOR = frozenset(
    {"static", "auth.login", "auth.logout", "auth.confirm", "language.switch", "health.healthz"}
)


def second_factor_missing() -> bool:
    """True for a staff member logged in without a second factor."""
    return bool(
        current_user.is_authenticated and current_user.is_staff and not current_user.second_factor
    )


@bp.before_app_request
def require_second_factor():
    """With STAFF_TOTP_REQUIRED on, staff without a second factor set one up before anything."""
    endpoint = request.endpoint or ""
    if endpoint in OPEN_WITHOUT_SECOND_FACTOR or endpoint.startswith(f"{bp.name}."):
        return None
    if not current_app.config["STAFF_TOTP_REQUIRED"] or not second_factor_missing():
        return None
    if wants_json():
        return jsonify(error=_("Set up a second factor first.")), 403
    return redirect(url_for("second_factor.index"))


@bp.app_context_processor
def reminder():
    return {"second_factor_missing": second_factor_missing}


@bp.get("/")
def index():
    factor = current_user.second_factor
    required = current_app.config["STAFF_TOTP_REQUIRED"]
    return render_template("second_factor/index.html", factor=factor, required=required)


@bp.route("/setup", methods=["GET", "POST"])
@reauthentication_required
def setup():
    user = current_user._get_current_object()
    if user.second_factor is not None:
        return redirect(url_for("second_factor.index"))
    secret = session.get(SETUP_SECRET) or new_secret()
    session[SETUP_SECRET] = secret
    form = SetupForm()
    if form.validate_on_submit():
        try:
            codes = enrol(db.session, user, secret, form.code.data, at=clock.utc_now())
        except FieldError as error:
            form.code.errors.append(error.message)
        else:
            security_event("second_factor_enrolled", user_id=user.id, email=user.email)
            db.session.commit()
            session.pop(SETUP_SECRET, None)
            return show_recovery_codes(codes, _("The second factor is on."))
    qr = segno.make(setup_uri(secret, user.email), error="m")
    svg = Markup(qr.svg_inline(scale=5, dark="#000", light="#fff", svgclass="crm-qr"))  # noqa: S704 (segno's own SVG)
    status = 422 if form.is_submitted() else 200
    return render_template("second_factor/setup.html", form=form, qr=svg, secret=secret), status


@bp.post("/recovery-codes")
@reauthentication_required(return_to="second_factor.index")
def recovery_codes():
    user = current_user._get_current_object()
    if user.second_factor is None:
        return redirect(url_for("second_factor.index"))
    codes = renew_recovery_codes(db.session, user)
    security_event("recovery_codes_renewed", user_id=user.id, email=user.email)
    db.session.commit()
    return show_recovery_codes(codes, _("New recovery codes; the old ones no longer work."))


@bp.post("/remove")
@reauthentication_required(return_to="second_factor.index")
def remove_factor():
    user = current_user._get_current_object()
    if user.second_factor is not None:
        remove(db.session, user)
        security_event("second_factor_removed", user_id=user.id, email=user.email, by=user.id)
        db.session.commit()
        flash(_("The second factor is off."), "info")
    return redirect(url_for("second_factor.index"))


def show_recovery_codes(codes: list[str], heading: str):
    # Shown this once: only their hashes are kept.
    return render_template("second_factor/codes.html", codes=codes, heading=heading)
