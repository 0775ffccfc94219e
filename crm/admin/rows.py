"""The buttons of an admin list's rows (admin/crm_lib.html, row_buttons), set up once a page.

Flask-Admin renders each button of each row through a macro of its own, looked up by name, and
builds each address with url_for, quoting the page's own address into it every time: three
buttons on 25 rows were 75 macro calls and 75 url_for calls, a fifth of what the admin's list
of customers cost (docs/PERFORMANCE.md). Here each kind of address is built once a page, with
a stand-in where the id goes, and the view's permissions and the buttons' words (Flask-Admin's
own) are asked once.
"""

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from crm.admin.language import admin_gettext

#: Stands in for a row's id in the addresses built once a page; url_for leaves it as it is.
ROW_ID = "crm-row-id"


@dataclass
class RowButtons:
    """What a list page's rows need for their buttons: `address(endpoint, row_id)`, and
    whether the user may edit and delete at all (each row may still refuse)."""

    view: Any
    return_url: str
    can_edit: bool
    can_delete: bool
    _addresses: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.view_title = admin_gettext("View Record")
        self.edit_title = admin_gettext("Edit Record")
        self.delete_title = admin_gettext("Delete Record")
        self.delete_question = admin_gettext("Are you sure you want to delete this record?")

    def address(self, endpoint: str, row_id: Any) -> str:
        """The address of `endpoint` for the row `row_id`, coming back to this page."""
        parts = self._addresses.get(endpoint)
        if parts is None:
            built = self.view.get_url(endpoint, id=ROW_ID, url=self.return_url)
            parts = self._addresses[endpoint] = built.split(ROW_ID)
        if len(parts) != 2:
            # The page's own address holds the stand-in too (someone searched for it).
            return self.view.get_url(endpoint, id=row_id, url=self.return_url)
        return quote(str(row_id), safe="").join(parts)
