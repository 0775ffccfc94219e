"""Labels of the columns that several admin views show, so that each reads the same everywhere.

A view adds its own columns' labels to these (and may relabel one, as the loans' "Applied");
Flask-Admin labels the form fields from the same dictionary.
"""

from flask_babel import lazy_gettext as _l

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
