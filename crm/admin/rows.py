"""The rows of an admin list (admin/crm_list.html), written by one call a row.

Flask-Admin writes a row through three nested blocks, each button through a macro of its own
and each cell through the view's get_list_value called from the template, and builds each
button's address with url_for, quoting the page's own address into it every time. At 25 rows
that was a third of what the admin's list of customers cost, and more than the staff site's
whole list (docs/PERFORMANCE.md, rounds 7 and 8). Here what every row shares is set up once a
page: each kind of address is built once, with a stand-in where the id goes; the view's
permissions, the buttons' words (Flask-Admin's own) and the delete form's fixed inputs are
asked once; and a row is its cells' values, escaped, between tags written once. The values are
still the view's get_list_value, with its column formatters.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from crm.admin.language import admin_gettext

#: Stands in for a row's id in what is built once a page; url_for leaves it as it is.
ROW_ID = "crm-row-id"
#: The buttons' icons, with the classes Flask-Admin gives them.
EYE = "fa fa-eye glyphicon glyphicon-eye-open"
PENCIL = "fa fa-pencil glyphicon glyphicon-pencil"
TRASH = "fa fa-trash glyphicon glyphicon-trash"


@dataclass
class ListRows:
    """What a list page's rows need: `row(row)` writes one; `address(endpoint, row_id)` is a
    row's button's address; `can_edit` and `can_delete` say whether the user may edit and
    delete at all (each row may still refuse: the view's can_edit_record, can_delete_record).
    """

    view: Any
    return_url: str
    #: The names of the list's columns, in order.
    columns: list[str]
    #: A checkbox a row, for the actions ("With selected").
    selectable: bool
    delete_form: Any
    can_edit: bool
    can_delete: bool
    #: What is built once a page with the stand-in for the id, split where it stood.
    _built: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._view_title = escape(admin_gettext("View Record"))
        self._edit_title = escape(admin_gettext("Edit Record"))
        self._delete_title = escape(admin_gettext("Delete Record"))
        self._checkbox_title = escape(admin_gettext("Select record"))
        self._cell_starts = [f'<td class="col-{escape(name)}">' for name in self.columns]

    @pass_context
    def row(self, context: Context, row: Any) -> Markup:
        """The cells of `row`, its checkbox and buttons first, as Flask-Admin's list has them."""
        row_id = self.view.get_pk_value(row)
        written = []
        if self.selectable:
            written.append(
                '<td><input type="checkbox" name="rowid" class="action-checkbox" '
                f'value="{escape(row_id)}" title="{self._checkbox_title}" /></td>'
            )
        if self.view.column_display_actions:
            written.append(
                f'<td class="list-buttons-column">{self.buttons(context, row_id, row)}</td>'
            )
        value_of = self.view.get_list_value
        for start, name in zip(self._cell_starts, self.columns, strict=True):
            written.append(f"{start}{escape(value_of(context, row, name))}</td>")
        return Markup("".join(written))  # noqa: S704 (our tags and escaped values)

    def buttons(self, context: Context, row_id: Any, row: Any) -> str:
        """Details; edit where the service would change the row; delete where it would delete
        it, which static/js/admin.js asks about (data-crm-confirm) before the form is sent."""
        written = []
        if self.view.can_view_details:
            written.append(self._link(".details_view", row_id, self._view_title, EYE))
        if self.can_edit and self.view.can_edit_record(row):
            written.append(self._link(".edit_view", row_id, self._edit_title, PENCIL))
        if self.can_delete and self.view.can_delete_record(row):
            written.append(self._delete(context, row_id))
        return "".join(written)

    def address(self, endpoint: str, row_id: Any) -> str:
        """The address of `endpoint` for the row `row_id`, coming back to this page."""
        return self._with_id(
            endpoint,
            lambda id_: self.view.get_url(endpoint, id=id_, url=self.return_url),
            row_id,
            quote(str(row_id), safe=""),
        )

    def _with_id(self, key: str, build: Callable[[Any], str], row_id: Any, written_id: str) -> str:
        """`build(row_id)`, from what `build` gave once a page for the stand-in, with
        `written_id` (the id as it is written there) where the stand-in stood."""
        parts = self._built.get(key)
        if parts is None:
            parts = self._built[key] = build(ROW_ID).split(ROW_ID)
        if len(parts) != 2:
            # The page's own address holds the stand-in too (someone searched for it).
            return build(row_id)
        return written_id.join(parts)

    def _link(self, endpoint: str, row_id: Any, title: str, icon: str) -> str:
        address = escape(self.address(endpoint, row_id))
        return f'<a class="icon" href="{address}" title="{title}"><span class="{icon}"></span></a>'

    def _delete(self, context: Context, row_id: Any) -> str:
        return self._with_id(
            ".delete_view",
            lambda id_: self._delete_form(context, id_),
            row_id,
            str(escape(row_id)),
        )

    def _delete_form(self, context: Context, row_id: Any) -> str:
        """Flask-Admin's delete form of a row, with its inputs as its template writes them."""
        form = self.delete_form
        csrf_input = getattr(form, "csrf_token", None)
        make_token: Callable[[], str] | None = context.get("csrf_token")
        if csrf_input:
            csrf = str(csrf_input())
        elif make_token:
            csrf = f'<input type="hidden" name="csrf_token" value="{escape(make_token())}"/>'
        else:
            csrf = ""
        question = escape(admin_gettext("Are you sure you want to delete this record?"))
        action = escape(self.view.get_url(".delete_view"))
        return (
            f'<form class="icon" method="POST" action="{action}" data-crm-confirm="{question}">'
            f"{form.id(value=row_id)}{form.url(value=self.return_url)}{csrf}"
            f'<button type="submit" title="{self._delete_title}">'
            f'<span class="{TRASH}"></span></button></form>'
        )
