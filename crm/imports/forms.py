"""The admin's upload form. It reads what was sent; crm.imports.reading and the batch
services decide whether it is a file to import."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from crm.i18n.labels import IMPORT_KIND_LABELS


class UploadForm(FlaskForm):
    # Any value is read; crm.imports.services.batches.import_kind refuses another, beside it.
    kind = SelectField(
        _l("The file holds"),
        choices=[SelectChoice(kind.value, label) for kind, label in IMPORT_KIND_LABELS.items()],
        validate_choice=False,
    )
    file = FileField(_l("File"), validators=[FileRequired(_l("Choose the file to upload."))])
