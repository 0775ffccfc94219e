"""The templates' texts (crm/i18n/texts.py) read as Jinja's own i18n callables write them,
in the language of the moment: a locale forced within a request (an e-mail in the
customer's language) and the request's own after it."""

from flask_babel import force_locale

from crm.i18n.labels import STATUS_LABELS
from crm.lending.status import LoanStatus
from tests.i18n.conftest import UKRAINIAN


def rendered(app, source: str) -> str:
    return app.jinja_env.from_string(source).render()


def test_a_text_follows_a_locale_forced_within_the_request_and_the_request_s_after_it(app):
    with app.test_request_context("/", headers=UKRAINIAN):
        assert rendered(app, "{{ _('Customers') }}") == "Клієнти"
        with force_locale("en"):
            assert rendered(app, "{{ _('Customers') }}") == "Customers"
        assert rendered(app, "{{ _('Customers') }}") == "Клієнти"


def test_variables_are_filled_escaped_and_may_be_called_num_or_context(app):
    with app.test_request_context("/"):
        assert rendered(app, "{{ _('100 %% sure') }}") == "100 % sure"
        assert rendered(app, "{{ _('Hello, %(name)s', name='<b>') }}") == "Hello, &lt;b&gt;"
        plural = "{{ ngettext('%(num)s loan', '%(num)s loans', 3, num='three') }}"
        assert rendered(app, plural) == "three loans"
        assert rendered(app, "{{ ngettext('%(num)d day', '%(num)d days', 1) }}") == "1 day"
        assert rendered(app, "{{ pgettext('person', 'Name') }}") == "Name"
        assert rendered(app, "{{ npgettext('x', '%(num)d file', '%(num)d files', 2) }}") == (
            "2 files"
        )


def test_the_words_for_stored_values_are_read_in_the_language_of_the_moment(app):
    label = STATUS_LABELS[LoanStatus.ACTIVE]
    with app.test_request_context("/", headers=UKRAINIAN):
        assert str(label) == "Активний"
        with force_locale("en"):
            assert str(label) == "Active"
