from flask import abort, redirect, request, session, url_for
from flask_login import current_user

from crm.auth.navigation import home_for, page_of, safe_next
from crm.extensions import db
from crm.i18n.locale import CHOSEN_BEFORE_LOG_IN, known, remember_in_browser
from crm.language import bp, services


@bp.post("/language")
def switch():
    """Switch the interface language; open to everyone, so the log-in page can offer it.

    A logged-in user's choice is saved with their login and follows them to any browser;
    the cookie remembers this browser's choice for the log-in page. A choice made before
    logging in is also kept in the session, so that the log-in saves it with the login
    (crm.auth.routes.complete_login) instead of the browser's earlier choices.
    """
    language = known(request.form.get("language"))
    if language is None:
        abort(400)
    if current_user.is_authenticated:
        services.save_language(db.session, current_user._get_current_object(), language)
        db.session.commit()
    else:
        session[CHOSEN_BEFORE_LOG_IN] = language
    fallback = home_for(current_user) if current_user.is_authenticated else url_for("auth.login")
    target = safe_next(request.form.get("next"))
    return remember_in_browser(redirect(page_of(target) if target else fallback), language)
