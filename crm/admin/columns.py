"""The columns that several admin views show: labelled and formatted the same everywhere.

A view adds its own columns to these (and may relabel one, as the loans' "Applied");
Flask-Admin labels the form fields from the same dictionary of labels.
"""

from crm.admin.formatters import formatted
from crm.i18n.formats import day, percent
from crm.i18n.texts import lazy_text as _l

COLUMN_LABELS = {
    "id": _l("Number"),
    "email": _l("E-mail"),
    "customer": _l("Customer"),
    "manager": _l("Manager"),
    "annual_rate": _l("Rate, % a year"),
    "category": _l("Category"),
    "active": _l("Active"),
    "created_at": _l("Created"),
}

COLUMN_FORMATTERS = {
    "annual_rate": formatted(percent),
    "created_at": formatted(day),
}
