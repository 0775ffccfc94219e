"""The forms of the tasks pages. They read what was typed; crm/tasks/services.py checks it."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import Optional
from wtforms.widgets import DateInput

from crm.models.task import MAX_TASK_TITLE
from crm.validation import parse_id, parse_version


class TaskForm(FlaskForm):
    title = StringField(_l("Task"), render_kw={"maxlength": MAX_TASK_TITLE, "autofocus": True})
    # A browser date input sends 2025-03-09 whatever the language, so no local format here.
    due_on = DateField(_l("Due on"), validators=[Optional()], widget=DateInput())
    #: The choices are the active staff (set by the view); any id is read, and the service
    #: refuses one that is not active staff, beside the field.
    assignee_id = SelectField(_l("Assignee"), coerce=parse_id, validate_choice=False)
    submit = SubmitField(_l("Add the task"))


class TaskStateForm(FlaskForm):
    """Closing or reopening a task, from the version of it the list showed."""

    version = HiddenField()

    def expected_version(self) -> int:
        return parse_version(self.version.data)
