"""Which interface language a request or a command gets.

Order for a request: the logged-in user's saved choice, this browser's last choice (a
cookie, so the log-in page remembers it too), the best match in the browser's
Accept-Language, and finally the first of LANGUAGES. Commands follow the shell's locale
variables, as other command-line tools do (unless COMMAND_LANGUAGE says otherwise), and speak
the source language (English) when those name no language of the interface.
"""

import os

from babel import Locale
from flask import Response, current_app, g, has_request_context, request
from flask_babel import get_locale
from flask_login import current_user

#: The cookie that keeps an anonymous visitor's (or this browser's last) choice.
COOKIE_NAME = "crm_language"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60

#: The session key of a language chosen before logging in (on the log-in page): it wins
#: over the language saved with the login, and is saved in its place.
CHOSEN_BEFORE_LOG_IN = "language_chosen_before_log_in"

#: Each language by its own name; the switcher shows the short one.
LANGUAGE_NAMES = {
    "uk": ("УКР", "Українська"),
    "en": ("ENG", "English"),
}


def current_locale() -> Locale | None:
    """Flask-Babel's get_locale(), for the texts and numbers a page writes by the hundred.

    get_locale() finds Flask-Babel's state on `g` through three lookups of the context-local
    proxy (~5 µs); this reads the locale get_locale() keeps there (and force_locale() sets)
    through one, and asks get_locale() only while none is kept yet."""
    try:
        state = g._get_current_object()
    except RuntimeError:  # outside an app context, as get_locale() answers there
        return None
    kept = getattr(getattr(state, "_flask_babel", None), "babel_locale", None)
    return kept if kept is not None else get_locale()


def languages() -> list[str]:
    return list(current_app.config["LANGUAGES"])


def known(language: str | None) -> str | None:
    """`language` if the interface speaks it, else None (stale or forged values are ignored)."""
    return language if language in languages() else None


def select_locale() -> str:
    """Flask-Babel's locale selector."""
    if not has_request_context():
        return command_locale()
    return request_locale()


def request_locale() -> str:
    if current_user.is_authenticated:
        saved = known(current_user.locale)
        if saved:
            return saved
    chosen = known(request.cookies.get(COOKIE_NAME))
    if chosen:
        return chosen
    return request.accept_languages.best_match(languages()) or languages()[0]


def remember_in_browser(response: Response, language: str) -> Response:
    """Keep `language` as this browser's choice (the cookie the log-in page reads)."""
    response.set_cookie(
        COOKIE_NAME,
        language,
        max_age=COOKIE_MAX_AGE,
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
        httponly=True,
        samesite="Lax",
    )
    return response


def command_locale() -> str:
    """COMMAND_LANGUAGE, or the shell's (LANGUAGE, LC_ALL, LC_MESSAGES, LANG, as gettext reads
    them), or the source language."""
    configured = current_app.config.get("COMMAND_LANGUAGE")
    if configured:
        return configured
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if not value:
            continue
        for entry in value.split(":"):
            language = known(entry.split(".")[0].split("_")[0].split("-")[0].lower())
            if language:
                return language
        # The first variable that is set decides, as in gettext; "C" means the source language.
        break
    return current_app.config["BABEL_DEFAULT_LOCALE"]
