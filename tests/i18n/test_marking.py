"""Every text people read goes through gettext, so that the catalogue can translate it."""

import pytest

from tests.i18n.marking import unmarked_in_python, unmarked_in_templates


def listing(found) -> str:
    return "\n".join(map(str, found))


def test_every_template_text_is_marked_for_translation(app):
    found = unmarked_in_templates(app.jinja_env)

    assert not found, f"wrap these in {{{{ _('…') }}}}:\n{listing(found)}"


def test_every_message_in_python_goes_through_gettext():
    found = unmarked_in_python()

    assert not found, f"wrap these in _('…') or _l('…'):\n{listing(found)}"


@pytest.mark.parametrize(
    ("template", "unmarked"),
    [
        ("<p>Hello</p>", "Hello"),
        ('<a href="/" title="Open it">{{ _("Go") }}</a>', "Open it"),
        ('<input type="search" placeholder="Name or phone">', "Name or phone"),
        ('<button aria-label="Close">&times;</button>', "Close"),
        ('<input type="submit" value="Save">', "Save"),
        ("<td>{{ 'Yes' if paid else 'No' }}</td>", "Yes"),
        ("<span>{{ note or 'None' }}</span>", "None"),
        ("<p>{{ _('Hello') }} and welcome</p>", "… and welcome"),
        ("{{ ui.empty_row(3, 'No loans yet.') }}", "No loans yet."),
        ("{% set title = 'Overdue loans' %}<h1>{{ title }}</h1>", "Overdue loans"),
    ],
)
def test_the_template_check_finds_unmarked_texts(app, tmp_path, template, unmarked):
    (tmp_path / "page.html").write_text(template, encoding="utf-8")

    found = unmarked_in_templates(app.jinja_env, tmp_path)

    assert unmarked in [item.text for item in found]


@pytest.mark.parametrize(
    "template",
    [
        "<p>{{ _('Hello') }}</p>",
        "<p>{% trans count=3 %}Hello {{ count }}{% endtrans %}</p>",
        "<p>{{ ngettext('%(num)d loan', '%(num)d loans', 2) }}</p>",
        "<th>{{ pgettext('person', 'Name') }}</th>",
        "<a class=\"nav {{ 'active' if on }}\" href=\"{{ url_for('customers.index') }}\">#</a>",
        "<title>{% block title %}{% endblock %} · Credit CRM</title>",
        "<script>var text = 'not for people';</script>",
        "{% if field.type == 'BooleanField' %}<b>—</b>{% endif %}",
        "{{ ui.sort_header(_('Name'), 'name', sort, 'customers.index') }}",
        "{# A comment for developers. #}",
        "<td>{{ customer.email or '' }}</td>",
    ],
)
def test_the_template_check_lets_marked_texts_and_markup_pass(app, tmp_path, template):
    (tmp_path / "page.html").write_text(template, encoding="utf-8")

    assert unmarked_in_templates(app.jinja_env, tmp_path) == []


@pytest.mark.parametrize(
    ("code", "flagged"),
    [
        ('flash("Saved.", "success")', True),
        ('flash(f"Loan {loan.id} saved.", "success")', True),
        ('raise FieldError("amount", "Too much.")', True),
        ('abort(400, description="No such status.")', True),
        ('click.echo("Created " + email)', True),
        ('flash(_("Saved."), "success")', False),
        ('raise FieldError("amount", _("Too much."))', False),
        ("flash(error.message, 'error')", False),
        ("abort(404)", False),
    ],
)
def test_the_python_check_finds_literal_messages(tmp_path, code, flagged):
    package = tmp_path / "crm"
    package.mkdir()
    (package / "views.py").write_text(code + "\n", encoding="utf-8")

    assert bool(unmarked_in_python(package)) is flagged
