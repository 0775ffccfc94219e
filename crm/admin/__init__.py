"""Flask-Admin at /admin, built per app (never at import time)."""

from flask import Flask
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme

from crm.admin.audit import AuditAdmin
from crm.admin.base import StaffIndexView
from crm.admin.customers import CustomerAdmin
from crm.admin.imports import ImportView
from crm.admin.loans import LoanAdmin
from crm.admin.outbox import outbox_view
from crm.admin.products import ProductAdmin
from crm.admin.users import UserAdmin
from crm.extensions import db
from crm.headers import csp_nonce
from crm.i18n.texts import lazy_text as _l
from crm.models import AuditEvent, Customer, Loan, Product, User


def init_admin(app: Flask) -> Admin:
    """A new Admin and new views for `app`: views hold per-app blueprints, so tests that
    build many apps in one process each get their own."""
    admin = Admin(
        name="Credit CRM",
        index_view=StaffIndexView(name=_l("Admin")),
        # The default swatch loads no web fonts (the machines are offline); crm.css and
        # admin/crm_master.html make it look like the staff site.
        theme=Bootstrap4Theme(swatch="default", fluid=True, base_template="admin/crm_master.html"),
        # Flask-Admin writes the nonce on its script tags; the policy names it (crm/headers.py).
        csp_nonce_generator=csp_nonce,
    )
    admin.add_view(CustomerAdmin(Customer, db, name=_l("Customers")))
    admin.add_view(LoanAdmin(Loan, db, name=_l("Loans")))
    admin.add_view(ProductAdmin(Product, db, name=_l("Products")))
    admin.add_view(UserAdmin(User, db, name=_l("Users")))
    admin.add_view(
        AuditAdmin(AuditEvent, db, name=_l("Audit trail"), endpoint="audit_trail", url="audit")
    )
    admin.add_view(outbox_view())
    admin.add_view(ImportView(name=_l("Imports"), endpoint="imports", url="imports"))
    admin.init_app(app)
    return admin
