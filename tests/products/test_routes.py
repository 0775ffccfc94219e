from decimal import Decimal

from crm.extensions import db
from crm.lending.schedule import RepaymentMethod
from crm.models import ProductCategory, Role
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


# The page is kept by what it shows (crm.navbar.kept_page): each reader still gets their own.

BANNER = "crm-second-factor-banner"


def products_page(client) -> str:
    response = client.get("/products/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_changed_product_shows_at_once(staff_client):
    product = factories.ProductFactory(name="Споживчий")
    assert "Споживчий" in products_page(staff_client)

    product.name = "Споживчий плюс"
    db.session.commit()

    assert "Споживчий плюс" in products_page(staff_client)


def test_the_second_factor_banner_is_each_readers_own(logged_in, clock):
    without, enrolled = (factories.UserFactory(role=Role.MANAGER) for _ in range(2))
    browsers = {without: logged_in(without), enrolled: logged_in(enrolled)}
    factories.enrol_second_factor(enrolled, clock.now)

    for _ in range(2):
        assert BANNER in products_page(browsers[without])
        assert BANNER not in products_page(browsers[enrolled])


def test_a_flashed_message_shows_once_on_the_kept_page(staff_client):
    products_page(staff_client)
    with staff_client.session_transaction() as session:
        session["_flashes"] = [("success", "Product saved.")]

    assert "Product saved." in products_page(staff_client)
    assert "Product saved." not in products_page(staff_client)
