"""The AJAX loaders behind the pickers: what a search for a customer or a product offers."""

from flask_admin.contrib.sqla.ajax import QueryAjaxModelLoader
from sqlalchemy import select

from crm.customers.queries import first_found
from crm.extensions import db
from crm.i18n.formats import phone
from crm.i18n.texts import lazy_text as _l
from crm.models import Customer, Product
from crm.validation import parse_id


class RecordLookup(QueryAjaxModelLoader):
    """A picker's loader that checks the id a form sends before the database sees it."""

    def get_one(self, pk):
        number = parse_id(pk)
        return None if number is None else super().get_one(number)


class CustomerLookup(RecordLookup):
    """Customers for a picker, found the way the staff search finds them (any alphabet's
    case, a phone typed with spaces), labelled with the phone to tell namesakes apart."""

    def get_list(self, term, offset=0, limit=10):
        return first_found(db.session, term, size=limit, offset=offset or 0)

    def format(self, model):
        if model is None:
            return None
        return model.id, f"{model.full_name} · {phone(model.phone)}"


class ProductLookup(RecordLookup):
    """Products on offer for a picker; a lender has a handful, matched in Python so that
    case folding works for Cyrillic names on SQLite too."""

    def get_list(self, term, offset=0, limit=10):
        folded = (term or "").casefold()
        offered = db.session.scalars(select(Product).where(Product.active).order_by(Product.name))
        matches = [product for product in offered if folded in product.name.casefold()]
        start = offset or 0
        return matches[start : start + limit]


def customer_lookup() -> CustomerLookup:
    """A form's `customer` picker: a new loader for each view that offers one."""
    return CustomerLookup(
        "customer", db, Customer, fields=["search_text"], placeholder=_l("Find a customer")
    )


def product_lookup() -> ProductLookup:
    """A form's `product` picker."""
    return ProductLookup("product", db, Product, fields=["name"], placeholder=_l("Pick a product"))
