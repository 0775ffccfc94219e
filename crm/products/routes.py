from crm.extensions import db
from crm.navbar import kept_page
from crm.products import bp, queries


@bp.get("/")
def index():
    products = queries.products_list(db.session)
    return kept_page("products/index.html", products, products=products)
