"""Reading credit products."""

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from crm.models import Product

#: Built once: the products page and the admin's list of loans read them on every view, and
#: building a statement costs about as much as running one of these.
_PRODUCTS = select(
    Product.id,
    Product.name,
    Product.annual_rate,
    Product.category,
    Product.min_amount,
    Product.max_amount,
    Product.min_term,
    Product.max_term,
    Product.repayment_method,
    Product.description,
    Product.active,
).order_by(Product.active.desc(), Product.name)
_PRODUCT_NAMES = select(Product.id, Product.name).order_by(Product.name)


def products_list(session: Session) -> tuple[Row, ...]:
    """Every product as the products page shows it, the ones on offer first; a lender has a
    handful, so no paging. Rows, not objects: the page is kept by what it shows (the rows
    compare and hash as tuples), and building six objects cost as much as reading them."""
    return tuple(session.execute(_PRODUCTS))


def product_names(session: Session) -> list[tuple[int, str]]:
    """(id, name) of every product, for filter drop-downs."""
    return [(row.id, row.name) for row in session.execute(_PRODUCT_NAMES)]


def offered_products(session: Session) -> list[Product]:
    """The products open to new applications, by name."""
    return list(session.scalars(select(Product).where(Product.active).order_by(Product.name)))
