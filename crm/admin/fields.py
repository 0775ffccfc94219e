"""The admin's form fields, and the form builder that leaves uniqueness to the services."""

from collections.abc import Mapping
from enum import Enum
from typing import Any

from flask_admin.contrib.sqla.fields import QuerySelectField
from flask_admin.contrib.sqla.form import AdminModelConverter
from flask_admin.contrib.sqla.validators import Unique
from flask_admin.form import Select2Widget
from flask_admin.model.form import converts
from wtforms import HiddenField, SelectField
from wtforms.fields.choices import Choice, SelectChoice
from wtforms.validators import Length

from crm.admin.formatters import enum_labels
from crm.i18n.fields import DecimalInputField, WholeNumberField


class ServiceCheckedConverter(AdminModelConverter):
    """Flask-Admin's form builder, minus its own "Already exists." check on unique columns
    and its length check on the columns the view's services normalise (`form_normalised`),
    and reading numbers as the staff site does.

    The services check uniqueness (ignoring case, with a message naming the clash), so a
    second, case-sensitive check with a vaguer message would only disagree with them.
    WTForms' number fields read "1e309", "+12" and other scripts' digits as numbers; the
    CRM's own (crm/i18n/fields.py) take ASCII digits and the language's separators only.
    """

    @converts("Integer")
    def handle_integer_types(self, column, field_args, **extra):
        return WholeNumberField(**field_args)

    @converts("Numeric")
    def handle_decimal_types(self, column, field_args, **extra):
        return DecimalInputField(**field_args)

    def convert(self, model, mapper, name, *args, **kwargs):
        field = super().convert(model, mapper, name, *args, **kwargs)
        if field is not None and "validators" in getattr(field, "kwargs", {}):
            # The column's length limits the value the service stores, not what is typed
            # (+380 67 765 43 21 is 17 characters, +380677654321 13).
            normalised = name in getattr(self.view, "form_normalised", ())
            field.kwargs["validators"] = [
                validator
                for validator in field.kwargs["validators"]
                if not isinstance(validator, Unique)
                and not (normalised and isinstance(validator, Length))
            ]
        return field


class VersionField(HiddenField):
    """The version of the record an edit form was built from, sent back with the form.

    Flask-Admin builds the posted form over the record (`obj`), and WTForms keeps the
    record's value for a field the post lacks: a post without `version` would claim the
    record's current version and pass the check. Here a post without it has none (None),
    which the check refuses as stale."""

    def process_formdata(self, valuelist) -> None:
        self.data = valuelist[0] if valuelist else None


# Flask-Admin 2.2.1's select fields yield plain tuples and take tuple choices, both of
# which WTForms 3.3 deprecates with a warning on every form (an error in the test suite);
# these two fields speak WTForms 3.3 and keep Flask-Admin's select2 look.


class DropDownField(SelectField):
    """A drop-down of fixed choices (an enum's members), given as SelectChoice."""

    widget = Select2Widget()

    def __init__(self, *args, allow_blank: bool = False, **kwargs) -> None:
        # Flask-Admin passes allow_blank to the fields it builds; a fixed choice has no blank.
        super().__init__(*args, **kwargs)


class RecordSelectField(QuerySelectField):
    """A drop-down of a few records (staff members), from `query_factory`."""

    def iter_choices(self):
        for choice in super().iter_choices():
            yield choice if isinstance(choice, Choice) else Choice(*choice)


def enum_choices(enum_class: type[Enum], labels: Mapping[Enum, str]) -> dict[str, Any]:
    """form_args for a drop-down of an enum's members, shown by label, read back as members."""
    return {
        "choices": [SelectChoice(value, label) for value, label in enum_labels(enum_class, labels)],
        "coerce": enum_class,
    }
