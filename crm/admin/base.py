"""What every admin view shares: who may open it, and writes that go through the services.

Flask-Admin's own create_model/update_model copy the form onto the model and only then call
on_model_change, so a service could neither build the record itself (apply_for_loan) nor see
the values before the change (a started loan's amount). Here the three writes hand the
form's data to the view's service hooks instead, and turn the services' errors into
messages beside the fields (FieldError), or a flash (a refused delete, a stale edit).

Every edit form carries the version of the record it was built from (a hidden `version`),
and an edit without it, or from an older version, is refused as stale. A refused form comes
back with 422, as on the staff site, and a `url` to return to that safe_next would refuse
is dropped before Flask-Admin redirects to it.
"""

import re
from collections.abc import Callable, Mapping
from typing import Any

from flask import abort, flash, redirect, request
from flask_admin import AdminIndexView, expose
from flask_admin.contrib.sqla import ModelView
from flask_babel import gettext as _
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import ImmutableMultiDict

from crm.admin.fields import ServiceCheckedConverter, VersionField
from crm.admin.language import DETAILS_FORMATTERS, LIST_FORMATTERS, SpeaksUserLanguage
from crm.admin.paging import page_rows
from crm.admin.rows import ListRows
from crm.auth.access import check_roles, has_role
from crm.auth.navigation import safe_next
from crm.customers.queries import any_apostrophe, search_terms
from crm.extensions import db
from crm.headers import allow_framing_by_own_pages
from crm.i18n.texts import lazy_text as _l
from crm.models import STAFF_ROLES, Role
from crm.validation import FieldError, parse_id, parse_version

#: Only admins: products, users, deletes of customers and loans.
ADMINS = frozenset({Role.ADMIN})
#: The start page's heading over the customers and the loans.
CUSTOMERS_AND_LOANS = _l("Customers and loans")
#: The `picker` argument names the form field a record created in a pop-up goes back to.
PICKER_NAME = re.compile(r"^[a-z_]{1,40}$")


class StaffOnly:
    """For admin views: open to `allowed_roles`; anyone else gets a 403, or the login page."""

    allowed_roles: frozenset[Role] = STAFF_ROLES

    def is_accessible(self) -> bool:
        return has_role(self.allowed_roles)

    def inaccessible_callback(self, name, **kwargs):
        return check_roles(self.allowed_roles)


class StaffIndexView(StaffOnly, SpeaksUserLanguage, AdminIndexView):
    """The admin's start page: the models it may open, grouped, each with an "Add" link."""

    @expose("/")
    def index(self):
        groups: dict[str, list[StaffModelView]] = {}
        for view in self.admin._views:
            if isinstance(view, StaffModelView) and view.is_accessible():
                groups.setdefault(str(view.index_group), []).append(view)
        return self.render("admin/crm_index.html", groups=groups)


class StaffModelView(StaffOnly, SpeaksUserLanguage, ModelView):
    """A model's list and forms, open to `allowed_roles`; each write to its own roles.

    Subclasses are configuration (Flask-Admin's column_*/form_* attributes and the role
    sets) plus three one-line hooks naming the services that write the model.
    """

    create_roles: frozenset[Role] | None = None
    edit_roles: frozenset[Role] | None = None
    delete_roles: frozenset[Role] | None = None
    #: The heading the model is listed under on the admin's start page.
    index_group: str = ""
    #: True where the search box looks in a case-folded search_text column.
    search_folded: bool = False

    model_form_converter = ServiceCheckedConverter
    # Flask-Admin's pages without their inline script (templates/admin/crm_lib.html).
    list_template = "admin/crm_list.html"
    create_template = "admin/crm_create.html"
    edit_template = "admin/crm_edit.html"
    details_template = "admin/crm_details.html"
    #: As the staff site's lists (PER_PAGE): a row of Flask-Admin's list costs about 0.6 ms to
    #: render, so 50 made its pages twice as slow as the staff site's (docs/PERFORMANCE.md).
    page_size = 25
    can_set_page_size = False
    can_view_details = True
    named_filter_urls = True
    column_type_formatters = LIST_FORMATTERS
    column_type_formatters_detail = DETAILS_FORMATTERS
    # One bulk click should not be able to delete a page of records past the delete rules.
    action_disallowed_list = ["delete"]

    @property
    def can_create(self) -> bool:
        return has_role(self.create_roles or self.allowed_roles)

    @property
    def can_edit(self) -> bool:
        return has_role(self.edit_roles or self.allowed_roles)

    @property
    def can_delete(self) -> bool:
        return has_role(self.delete_roles or self.allowed_roles)

    def _handle_view(self, name, **kwargs):
        if name in ("create_view", "picked_view") and request.args.get("picker"):
            # The "+" dialog of another admin form shows this one in a frame.
            allow_framing_by_own_pages()
        drop_unsafe_return_url()
        # Flask-Admin quietly redirects a write the view does not allow; a 403 says it.
        refused = super()._handle_view(name, **kwargs)
        if refused is not None:
            return refused
        allowed = {
            "create_view": lambda: self.can_create,
            "edit_view": lambda: self.can_edit,
            "delete_view": lambda: self.can_delete,
        }.get(name)
        if allowed is not None and not allowed():
            abort(403)
        return None

    def can_edit_record(self, record: Any) -> bool:
        """Whether the service would take any change to `record`; where it would refuse
        every one, the list and the details page offer no edit (a view says when)."""
        return True

    def can_delete_record(self, record: Any) -> bool:
        """Whether the service would delete `record`; where it would refuse, the list offers
        no delete button (a view says when, from what the list's rows hold)."""
        return True

    def render(self, template: str, **kwargs: Any) -> str:
        if template == self.list_template:
            # The rows are written by crm.admin.rows, not by Flask-Admin's blocks and row
            # actions: the delete asks first without an onclick handler, and the edit and the
            # delete show only on the rows the services would take them for.
            kwargs["list_rows"] = ListRows(
                self,
                kwargs["return_url"],
                columns=[name for name, _label in kwargs["list_columns"]],
                selectable=bool(kwargs["actions"]),
                delete_form=kwargs["delete_form"],
                can_edit=self.can_edit,
                can_delete=self.can_delete,
            )
        return super().render(template, **kwargs)

    def get_edit_form(self):
        form_class = super().get_edit_form()
        # The version the form is built from goes back with it (update_model).
        form_class.version = VersionField()
        return form_class

    @expose("/new/", methods=("GET", "POST"))
    def create_view(self):
        return refused_with_422(super().create_view())

    @expose("/edit/", methods=("GET", "POST"))
    def edit_view(self):
        record = self.get_one(request.args.get("id", "")) if request.method == "GET" else None
        if record is not None and not self.can_edit_record(record):
            flash(_("This record can no longer be changed; here is what it holds."), "info")
            return redirect(self.get_url(".details_view", id=self.get_pk_value(record)))
        return refused_with_422(super().edit_view())

    # The services behind the forms; each view names its own.
    def create_record(self, session: Session, data: Mapping[str, Any]) -> Any:
        raise NotImplementedError

    def update_record(
        self, session: Session, record: Any, data: Mapping[str, Any], expected_version: int
    ) -> Any:
        """Write `data` over `record` through the service, which raises StaleDataError
        unless the record is still at `expected_version` (see crm.validation.check_version)."""
        raise NotImplementedError

    def delete_record(self, session: Session, record: Any) -> None:
        raise NotImplementedError

    def create_model(self, form):
        record = self._save(form, lambda session, data: self.create_record(session, data))
        if record is None:
            return False
        self.after_model_change(form, record, True)
        return record

    def update_model(self, form, model) -> bool:
        # A form without its version (or with a mangled one) counts as stale.
        version = parse_version(form.data.get("version"))
        record = self._save(
            form, lambda session, data: self.update_record(session, model, data, version)
        )
        if record is None:
            return False
        self.after_model_change(form, record, False)
        return True

    def delete_model(self, model) -> bool:
        session = db.session
        try:
            self.delete_record(session, model)
            session.commit()
        except FieldError as error:
            session.rollback()
            flash(error.message, "error")
            return False
        except IntegrityError:
            session.rollback()
            flash(_("Other records still refer to this one, so it was not deleted."), "error")
            return False
        self.after_model_delete(model)
        return True

    def _save(self, form, write: Callable[[Session, Mapping[str, Any]], Any]) -> Any:
        """Run `write` with the form's data and commit; None, with the errors shown, if refused."""
        session = db.session
        try:
            record = write(session, form.data)
            session.commit()
        except FieldError as error:
            session.rollback()
            show_field_error(form, error, self.error_message(error))
            return None
        except StaleDataError:
            session.rollback()
            flash(
                _(
                    "Someone else saved this record while you were editing it, so your "
                    "changes were not saved. Open it again to see the current values."
                ),
                "error",
            )
            return None
        except IntegrityError:
            # Two saves racing past the uniqueness checks; the database keeps only one.
            session.rollback()
            flash(
                _(
                    "Another record with the same unique value was saved at the same moment. "
                    "Check the values and save again."
                ),
                "error",
            )
            return None
        except DataError:
            # What the checks let through but the database refuses (a NUL character).
            session.rollback()
            flash(_("A value cannot be stored as typed; check the fields and save again."), "error")
            return None
        return record

    def error_message(self, error: FieldError) -> str:
        """What the form says of a service's refusal (a view may add a link to it)."""
        return error.message

    def get_one(self, id):
        # A mangled ?id= is "no such record" (Flask-Admin says so), not a database error.
        number = parse_id(id)
        return None if number is None else super().get_one(str(number))

    def get_list(self, page, sort_column, sort_desc, search, filters, execute=True, page_size=None):
        # PostgreSQL refuses NUL in a string parameter; it is never part of a real search.
        search = (search or "").replace("\x00", "")
        if search and self.search_folded:
            # search_text is case-folded in Python (SQLite's LIKE folds ASCII only), and
            # phone numbers typed with spaces or dashes become one term.
            search = " ".join(any_apostrophe(term) for term in search_terms(search))
        return super().get_list(
            page, sort_column, sort_desc, search, filters, execute=execute, page_size=page_size
        )

    def _apply_pagination(self, query, page, page_size):
        size = page_size or self.page_size
        if not (page and size):
            return super()._apply_pagination(query, page, page_size)
        return page_rows(self.model, query, page, size)

    def get_save_return_url(self, model, is_created: bool = False) -> str:
        picker = request.args.get("picker", "")
        if is_created and PICKER_NAME.match(picker):
            return self.get_url(".picked_view", id=self.get_pk_value(model), picker=picker)
        return super().get_save_return_url(model, is_created=is_created)

    @expose("/picked/")
    def picked_view(self):
        """Where a record created from another form's "+" lands: hands it back to that form."""
        picker = request.args.get("picker", "")
        record = self.get_one(request.args.get("id", ""))
        if record is None or not PICKER_NAME.match(picker):
            abort(404)
        picked = {"field": picker, "id": str(self.get_pk_value(record)), "text": str(record)}
        return self.render("admin/crm_picked.html", picked=picked)


def refused_with_422(response):
    """Flask-Admin shows a refused form again with 200; a post answered with the form (a
    page, not a redirect) was refused, so it says so with 422, as the staff site does."""
    if request.method == "POST" and isinstance(response, str):
        return response, 422
    return response


def drop_unsafe_return_url() -> None:
    """Flask-Admin returns to the `url` in the query string or the form after a step, and
    its own check lets CR and LF through (a 500 when the redirect is built). A `url` that
    safe_next refuses is dropped from the request here, so the view returns to its list."""
    current = request._get_current_object()
    for source in ("args", "form"):
        values = getattr(current, source)
        if all(safe_next(target) is not None for target in values.getlist("url")):
            continue
        kept = [(key, value) for key, value in values.items(multi=True) if key != "url"]
        # Werkzeug caches these on the request; setting one replaces the cached value.
        setattr(current, source, ImmutableMultiDict(kept))
        current.__dict__.pop("values", None)


def show_field_error(form, error: FieldError, message: str | None = None) -> None:
    """Put the service's message (or `message`, the view's words for it) beside its field;
    one the form lacks goes into a flash."""
    message = error.message if message is None else message
    if error.field in form:
        field = form[error.field]
        field.errors = [*field.errors, message]
        flash(_("The record was not saved: see the messages beside the fields."), "error")
    else:
        flash(message, "error")
