"""Reading credit products."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.models import Product


def products_list(session: Session) -> list[Product]:
    """Every product, the ones on offer first; a lender has a handful, so no paging."""
    statement = select(Product).order_by(Product.active.desc(), Product.name)
    return list(session.scalars(statement))


def product_names(session: Session) -> list[tuple[int, str]]:
    """(id, name) of every product, for filter drop-downs."""
    return [
        (row.id, row.name)
        for row in session.execute(select(Product.id, Product.name).order_by(Product.name))
    ]


def offered_products(session: Session) -> list[Product]:
    """The products open to new applications, by name."""
    return list(session.scalars(select(Product).where(Product.active).order_by(Product.name)))
