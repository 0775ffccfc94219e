"""Reading credit products."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.models import Product

#: Built once: the products page and the admin's list of loans read them on every view, and
#: building a statement costs about as much as running one of these.
_PRODUCTS = select(Product).order_by(Product.active.desc(), Product.name)
_PRODUCT_NAMES = select(Product.id, Product.name).order_by(Product.name)


def products_list(session: Session) -> list[Product]:
    """Every product, the ones on offer first; a lender has a handful, so no paging."""
    return list(session.scalars(_PRODUCTS))


def product_names(session: Session) -> list[tuple[int, str]]:
    """(id, name) of every product, for filter drop-downs."""
    return [(row.id, row.name) for row in session.execute(_PRODUCT_NAMES)]


def offered_products(session: Session) -> list[Product]:
    """The products open to new applications, by name."""
    return list(session.scalars(select(Product).where(Product.active).order_by(Product.name)))
