from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user

from crm.auth.navigation import home_for, safe_next
from crm.extensions import db
from crm.i18n.locale import COOKIE_MAX_AGE, COOKIE_NAME, known
from crm.language import bp, services


@bp.post("/language")
def switch():
    """Switch the interface language; open to everyone, so the log-in page can offer it.

    A logged-in user's choice is saved with their login and follows them to any browser;
    the cookie remembers this browser's choice for the log-in page.
    """
    language = known(request.form.get("language"))
    if language is None:
        abort(400)
    if current_user.is_authenticated:
        services.save_language(db.session, current_user._get_current_object(), language)
        db.session.commit()
    fallback = home_for(current_user) if current_user.is_authenticated else url_for("auth.login")
    response = redirect(safe_next(request.form.get("next")) or fallback)
    response.set_cookie(
        COOKIE_NAME,
        language,
        max_age=COOKIE_MAX_AGE,
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
        httponly=True,
        samesite="Lax",
    )
    return response
