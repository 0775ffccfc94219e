"""The AJAX picker with a "+" beside it, which adds the record it lacks in a dialog."""

from flask import url_for
from flask_admin.helpers import get_current_view
from flask_admin.model.widgets import AjaxSelect2Widget
from markupsafe import Markup


def creation_url(endpoint: str, **args: str) -> str | None:
    """The create form of the admin view `endpoint`, if the current user may add there."""
    current = get_current_view()
    if current is None:
        return None
    for view in current.admin._views:
        if view.endpoint == endpoint:
            if view.is_accessible() and view.can_create:
                return url_for(f"{endpoint}.create_view", **args)
            return None
    return None


class AddableAjaxSelect2Widget(AjaxSelect2Widget):
    """The AJAX picker with a "+" that adds a record (in a dialog) without leaving the form.

    The "+" opens the other view's create form with ?picker=<field>; once saved, that view
    sends the new record back here (admin/crm_picked.html), and the picker shows it. It is
    a plain link too, so without JavaScript it opens the form in a new tab.
    """

    def __init__(self, endpoint: str, title: str) -> None:
        super().__init__()
        self.endpoint = endpoint
        self.title = title

    def __call__(self, field, **kwargs) -> Markup:
        picker = super().__call__(field, **kwargs)
        url = creation_url(self.endpoint, picker=field.name)
        if url is None:
            return picker
        return Markup(
            '<div class="input-group crm-picker">{picker}<div class="input-group-append">'
            '<a class="btn btn-outline-secondary" href="{url}" target="_blank" '
            'data-crm-picker="{field}" title="{title}" aria-label="{title}">'
            '<i class="fa fa-plus"></i></a></div></div>'
        ).format(picker=picker, url=url, field=field.id, title=str(self.title))
