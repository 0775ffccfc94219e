from decimal import Decimal

from crm.lending.schedule import RepaymentMethod
from crm.models import ProductCategory
from tests import factories


def test_products_page_lists_the_products(client, login, manager):
    factories.ProductFactory(
        name="Авто під заставу",
        annual_rate=Decimal("15.5000"),
        category=ProductCategory.SECURED,
        description="Кредит під заставу авто.",
        min_amount=Decimal("50000.00"),
        max_amount=Decimal("500000.00"),
        min_term=12,
        max_term=60,
        repayment_method=RepaymentMethod.DIFFERENTIATED,
    )
    factories.ProductFactory(name="Архівний", active=False)
    login(manager)
    html = client.get("/products/").get_data(as_text=True)
    for text in (
        "Авто під заставу",
        "15.50 %",
        "Secured",
        "Кредит під заставу авто.",
        "UAH\u00a050,000.00",
        "UAH\u00a0500,000.00",
        "12 – 60",
        "Differentiated",
        "Архівний",
    ):
        assert text in html
    assert html.index("Авто під заставу") < html.index("Архівний"), "products on offer first"


def test_products_page_links_to_their_loans(client, login, manager):
    product = factories.ProductFactory()
    login(manager)
    assert f'href="/loans/?product={product.id}"' in client.get("/products/").get_data(as_text=True)
