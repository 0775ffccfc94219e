"""The texts of the templates in the request's language: `_()`, `ngettext()`, `pgettext()`
and `npgettext()` as Jinja's i18n extension calls them ("new style": variables as keywords,
escaped in HTML).

Flask-Babel's own callables find the catalogue anew for every text (its state on `g` three
times, and the locale's name), and Jinja's wrapper formats every text with `%`: ~11 µs a
text, and a page writes 50–150 of them. These keep the catalogue for the request's locale
(force_locale(), with which e-mails are written in the customer's language, changes the
locale and so the catalogue) and format only the texts that hold a `%`, which reads the
same: a text without one is unchanged by formatting. Their own arguments are positional, so
that a text's variables may be called `num` or `context`, as with Jinja's.
"""

from flask import Flask, g
from flask_babel import Domain, LazyString, get_translations
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from crm.i18n.locale import current_locale

#: Where a request keeps its locale and that locale's catalogue, on `g`.
KEPT = "crm_catalogue"


def register(app: Flask) -> None:
    """Replace the callables Flask-Babel installed (call after babel.init_app)."""
    app.jinja_env.globals.update(
        _=gettext, gettext=gettext, ngettext=ngettext, pgettext=pgettext, npgettext=npgettext
    )


def catalogue(domain: Domain | None = None):
    """The translations of the current locale, Flask-Babel's or `domain`'s (Flask-Admin's
    own), looked up once a request for each locale and domain."""
    translations = get_translations if domain is None else domain.get_translations
    locale = current_locale()
    if locale is None:
        return translations()
    state = g._get_current_object()
    where = KEPT if domain is None else f"{KEPT}_{id(domain)}"
    kept = getattr(state, where, None)
    if kept is None or kept[0] is not locale:
        kept = (locale, translations())
        setattr(state, where, kept)
    return kept[1]


def lazy_text(string: str) -> LazyString:
    """Flask-Babel's lazy_gettext (a text without variables) on the kept catalogue: the
    words for stored values are written in every row of a list."""
    return LazyString(_translated, string)


def _translated(string: str) -> str:
    return catalogue().ugettext(string)


def _written(context: Context, text: str, variables: dict) -> str:
    if context.eval_ctx.autoescape:
        # The catalogue's texts are ours, trusted as Jinja trusts them; the variables are
        # escaped by Markup's %.
        text = Markup(text)  # noqa: S704
    return text % variables if "%" in text else text


@pass_context
def gettext(context: Context, string: str, /, **variables) -> str:
    return _written(context, _translated(string), variables)


@pass_context
def ngettext(context: Context, singular: str, plural: str, num: int, /, **variables) -> str:
    variables.setdefault("num", num)
    return _written(context, catalogue().ungettext(singular, plural, num), variables)


@pass_context
def pgettext(context: Context, string_context: str, string: str, /, **variables) -> str:
    variables.setdefault("context", string_context)
    return _written(context, catalogue().upgettext(string_context, string), variables)


@pass_context
def npgettext(
    context: Context, string_context: str, singular: str, plural: str, num: int, /, **variables
) -> str:
    variables.setdefault("context", string_context)
    variables.setdefault("num", num)
    text = catalogue().unpgettext(string_context, singular, plural, num)
    return _written(context, text, variables)
