"""The fields a file's columns can go to, the mapping of columns to fields that the file's
header row suggests, and the checks of a chosen mapping.

A header is recognised by its field's label in every language of the interface (the labels
the customer forms, the admin and the customers export show: crm.i18n.labels, one home for
each) and by the other names people give that column, compared without case, spaces or
punctuation: "Прізвище", "LAST NAME", "last_name" and "Last-name" are one header.
"""

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flask import current_app
from flask_babel import LazyString, force_locale
from flask_babel import gettext as _

from crm.i18n.labels import FIELD_LABELS
from crm.models import ImportKind
from crm.validation import FieldError

CUSTOMER_LABELS = FIELD_LABELS["customer"]
PAYMENT_LABELS = FIELD_LABELS["payment"]
TAX_ID_NAMES = ("рнокпп", "іпн", "інн", "ідентифікаційний код", "tax id", "tin", "inn", "ipn")


@dataclass(frozen=True)
class ImportField:
    """A field a column can go to: its name, its label, other names of such a column."""

    name: str
    label: LazyString
    other_names: tuple[str, ...] = ()
    required: bool = False


CUSTOMER_FIELDS = (
    ImportField(
        "last_name",
        CUSTOMER_LABELS["last_name"],
        ("прізвище", "surname", "family name"),
        required=True,
    ),
    ImportField(
        "first_name",
        CUSTOMER_LABELS["first_name"],
        ("ім'я", "імя", "firstname", "given name"),
        required=True,
    ),
    ImportField(
        "patronymic",
        CUSTOMER_LABELS["patronymic"],
        ("по батькові", "middle name", "secondname"),
    ),
    ImportField(
        "phone",
        CUSTOMER_LABELS["phone"],
        ("телефон", "тел", "номер телефону", "мобільний", "phone number", "mobile"),
        required=True,
    ),
    ImportField("email", CUSTOMER_LABELS["email"], ("e-mail", "ел. пошта", "електронна пошта")),
    ImportField(
        "birth_date",
        CUSTOMER_LABELS["birth_date"],
        ("дата народження", "birth date", "birthday", "dob"),
    ),
    ImportField("tax_id", CUSTOMER_LABELS["tax_id"], TAX_ID_NAMES),
    ImportField("address", CUSTOMER_LABELS["address"], ("адреса", "адреса проживання")),
)
PAYMENT_FIELDS = (
    ImportField(
        "paid_on",
        PAYMENT_LABELS["paid_on"],
        ("дата", "date", "дата платежу", "дата операції", "payment date", "value date"),
        required=True,
    ),
    ImportField("amount", PAYMENT_LABELS["amount"], ("сума", "sum", "сума платежу"), required=True),
    ImportField(
        "reference",
        PAYMENT_LABELS["reference"],
        ("референс", "ref", "номер документа", "№ документа", "document number", "transaction id"),
        required=True,
    ),
    ImportField(
        "loan",
        PAYMENT_LABELS["loan_id"],
        ("кредит", "номер кредиту", "loan number", "loan no", "loan id", "номер договору"),
    ),
    ImportField("tax_id", CUSTOMER_LABELS["tax_id"], TAX_ID_NAMES),
)
FIELDS: dict[ImportKind, tuple[ImportField, ...]] = {
    ImportKind.CUSTOMERS: CUSTOMER_FIELDS,
    ImportKind.PAYMENTS: PAYMENT_FIELDS,
}
#: Of the fields that find a payment's loan, at least one must be mapped.
LOAN_FINDERS = ("loan", "tax_id")

#: The field of each column, by position; None for a column left out.
ColumnFields = list[str | None]


def header_key(header: str) -> str:
    """A header as compared: case-folded, letters and digits only ("Ім’я" → "імя")."""
    return "".join(character for character in header.casefold() if character.isalnum())


def headers_hash(headers: Iterable[str]) -> str:
    """What a header row is remembered by: the same for the same headers, however typed."""
    joined = "\x1f".join(header_key(header) for header in headers)
    return hashlib.sha256(joined.encode()).hexdigest()


def field_names(kind: ImportKind) -> dict[str, ImportField]:
    return {field.name: field for field in FIELDS[kind]}


def _names_by_key(kind: ImportKind) -> dict[str, str]:
    """Every header recognised for a field of `kind`: the field's own name, its label in
    each language of the interface, its other names."""
    names: dict[str, str] = {}
    for field in FIELDS[kind]:
        spellings = [field.name, *field.other_names]
        for language in current_app.config["LANGUAGES"]:
            with force_locale(language):
                spellings.append(str(field.label))
        for spelling in spellings:
            names.setdefault(header_key(spelling), field.name)
    return names


def suggest_mapping(kind: ImportKind, headers: Sequence[str]) -> ColumnFields:
    """The field each header names, by position (None for one it does not); a field goes
    to the first column that names it."""
    names = _names_by_key(kind)
    taken: set[str] = set()
    mapping: ColumnFields = []
    for header in headers:
        field = names.get(header_key(header))
        mapping.append(field if field not in taken else None)
        if field is not None:
            taken.add(field)
    return mapping


def check_mapping(kind: ImportKind, mapping: Sequence[str | None], columns: int) -> ColumnFields:
    """`mapping` when it gives each of the `columns` a field of `kind` or None, no field
    twice, and every required field (for payments, also the loan or the tax id); raises
    FieldError on "mapping" saying what is wrong."""
    fields = field_names(kind)
    chosen = [name or None for name in mapping]
    if len(chosen) != columns or any(name not in fields for name in chosen if name):
        raise FieldError("mapping", _("Choose a field, or none, for each column."))
    named = [name for name in chosen if name]
    twice = sorted({name for name in named if named.count(name) > 1})
    if twice:
        labels = ", ".join(str(fields[name].label) for name in twice)
        raise FieldError(
            "mapping", _("Each field can take one column only: %(fields)s.", fields=labels)
        )
    missing = [field for field in fields.values() if field.required and field.name not in named]
    if missing:
        labels = ", ".join(str(field.label) for field in missing)
        raise FieldError(
            "mapping", _("Choose the columns of these fields: %(fields)s.", fields=labels)
        )
    if kind is ImportKind.PAYMENTS and not set(LOAN_FINDERS) & set(named):
        labels = ", ".join(str(fields[name].label) for name in LOAN_FINDERS)
        raise FieldError(
            "mapping",
            _("Choose the column that finds each payment's loan: %(fields)s.", fields=labels),
        )
    return chosen


def mapped_row(cells: Sequence[str], mapping: Sequence[str | None]) -> dict[str, str]:
    """A row's values by field; a row shorter than the header row has empty cells."""
    return {
        name: (cells[position] if position < len(cells) else "")
        for position, name in enumerate(mapping)
        if name
    }
