"""The admin in the user's language where Flask-Admin's own catalogue does not reach.

Flask-Admin translates the words of its templates (with a mistake or two of its catalogue
put right by ours), but leaves English in three places:
its base.html writes `<html>` with no language and labels the navbar toggler "Toggle
navigation", both outside any block a template of ours could override; the scripts it
bundles (bootstrap-daterangepicker, select2) carry English month names, weekdays and
messages; and its type formatters show a yes/no column as "True" (details) or "name: true".
"""

from typing import Any

from babel import Locale
from babel.dates import get_day_names, get_month_names
from flask import current_app
from flask_admin import babel as admin_babel
from flask_admin.model.typefmt import BASE_FORMATTERS, DETAIL_FORMATTERS
from flask_babel import get_locale, pgettext
from flask_babel import gettext as _
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup, escape

from crm.i18n.texts import catalogue

#: The two pieces of Flask-Admin's base.html (2.2) that say nothing of the language, as
#: they appear in every page it renders. A record's text cannot imitate them: Jinja
#: escapes its quotes and angle brackets.
UNTAGGED_ROOT = "<html>"
ENGLISH_TOGGLER = 'aria-label="Toggle navigation"'
#: Flask-Admin's words that its own Ukrainian catalogue (2.2) gets wrong, which ours
#: translates instead: it gives "Cancel", on every create and edit form, in quote marks.
OUR_TRANSLATIONS = frozenset({"Cancel"})


def page_language() -> str:
    """The BCP 47 tag of the interface language ("uk", "en"), for `<html lang>`."""
    return str(get_locale() or "en").replace("_", "-")


def speak_page_language(html: str) -> str:
    """`html`, a page built on Flask-Admin's base.html, with its language and toggler label.

    Those two sit outside any block, so the alternative would be a copy of the whole
    vendor template (its script and style list included), which would silently fall behind
    the next Flask-Admin; here a changed base.html only leaves the page as it was, and
    tests/i18n/test_admin_language.py notices.
    """
    html = html.replace(UNTAGGED_ROOT, f'<html lang="{page_language()}">', 1)
    # TRANSLATORS: what a screen reader says of the button that opens the menu on a phone.
    label = escape(_("Toggle navigation"))
    return html.replace(ENGLISH_TOGGLER, f'aria-label="{label}"', 1)


def admin_gettext(string: str, **variables: Any) -> str:
    """Flask-Admin's `_gettext` for its templates: its own catalogue, but ours for the words
    in OUR_TRANSLATIONS. (Its catalogue cannot be overridden by ours through
    Admin(translations_path=…): Flask-Babel merges Flask-Admin's over it.) The catalogue is
    looked up once a request (crm.i18n.texts.catalogue): a list page writes some sixty
    texts, and Flask-Babel found it anew for each."""
    if string in OUR_TRANSLATIONS:
        return _(string, **variables)
    text = catalogue(admin_babel.domain).ugettext(string)
    return text % variables if variables else text


def widget_texts() -> dict[str, Any]:
    """Options for the bundled scripts, in the interface language (static/js/admin-widgets.js).

    `daterangepicker` is that plugin's `locale` option (version 1.3.22, bundled with
    Flask-Admin); `select2` holds the texts of its messages (version 3.5.2).
    """
    locale = get_locale() or Locale("en")
    # Stand-alone forms: a calendar's header says "березень 2025", not the "березня" of a date.
    months = get_month_names("wide", "stand-alone", locale)
    days = get_day_names("short", "stand-alone", locale)
    return {
        "daterangepicker": {
            "monthNames": [months[month] for month in range(1, 13)],
            # The picker counts weekdays from Sunday (0); Babel from Monday (0).
            "daysOfWeek": [days[(weekday - 1) % 7] for weekday in range(7)],
            "firstDay": (locale.first_week_day + 1) % 7,
            "applyLabel": _("Apply"),
            "cancelLabel": _("Cancel"),
            # The two ends of a "between" filter.
            "fromLabel": pgettext("date range", "From"),
            "toLabel": pgettext("date range", "To"),
        },
        # Only the messages our pickers can show: none limits the length or the count.
        "select2": {
            "noMatches": _("No matches found"),
            "searching": _("Searching…"),
            "inputTooShort": _("Type more characters to search"),
            "loadMore": _("Loading more results…"),
            "ajaxError": _("The search failed; try again."),
            # Read out by screen readers when the results arrive.
            "matches": _("Results are listed below; choose one with the arrow keys and Enter."),
        },
    }


#: widget_texts() as every admin page writes it, for each language: the month and day names and
#: the texts, and their JSON, cost an admin page 1.0 M instructions (3–5 %), the same ones
#: every time.
_WIDGET_TEXTS_WRITTEN: dict[str, Markup] = {}


def written_widget_texts() -> Markup:
    """widget_texts() as JSON that is safe in HTML, as the `tojson` filter writes it."""
    language = page_language()
    written = _WIDGET_TEXTS_WRITTEN.get(language)
    if written is None:
        written = htmlsafe_json_dumps(widget_texts(), dumps=current_app.json.dumps)
        _WIDGET_TEXTS_WRITTEN[language] = written
    return written


class SpeaksUserLanguage:
    """For admin views: every page rendered in the interface language, Flask-Admin's too."""

    def render(self, template: str, **kwargs: Any) -> str:
        kwargs.setdefault("widget_texts", written_widget_texts())
        # Flask-Admin sets `_gettext` itself, then lets the request's template arguments win.
        self._template_args["_gettext"] = admin_gettext  # type: ignore[attr-defined]
        return speak_page_language(super().render(template, **kwargs))  # type: ignore[misc]


def yes_no_icon(_view, value: bool, _name: str) -> Markup:
    """A yes/no column in a list: Flask-Admin's icons, titled in the interface language."""
    icon, title = ("fa-check-circle", _("Yes")) if value else ("fa-minus-circle", _("No"))
    return Markup('<span class="fa {}" title="{}"></span>').format(icon, title)


def yes_no(_view, value: bool, _name: str) -> str:
    """A yes/no column on a details page, where Flask-Admin would show "True"."""
    return _("Yes") if value else _("No")


LIST_FORMATTERS = {**BASE_FORMATTERS, bool: yes_no_icon}
DETAILS_FORMATTERS = {**DETAIL_FORMATTERS, bool: yes_no}
