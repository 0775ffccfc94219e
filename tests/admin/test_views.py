"""The admin's forms and lists, driven through real requests."""

import json
import re
from datetime import date
from decimal import Decimal
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from config import TestingConfig
from crm import create_app
from crm.extensions import db
from crm.lending.status import LoanStatus
from crm.loans.services.applications import update_application
from crm.models import Customer, Loan, Product, Role, User
from tests import factories
from tests.conftest import RollbackClient, csrf_token
from tests.factories import PASSWORD


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def field_block(html: str, name: str) -> str:
    """The form-group of the field called `name` in a Flask-Admin form."""
    for block in html.split('<div class="form-group')[1:]:
        if f'name="{name}"' in block:
            return block
    raise AssertionError(f"no field {name!r} in the form")


def field_errors(html: str, name: str) -> list[str]:
    """The messages shown beside a field (Flask-Admin lists them under the input)."""
    block = field_block(html, name)
    feedback = re.search(r'<div class="invalid-feedback">(.*?)</div>', block, re.S)
    if not feedback:
        return []
    return [unescape(item.strip()) for item in re.findall(r"<li>(.*?)</li>", feedback[1], re.S)]


def flashes(html: str) -> str:
    return unescape(" ".join(re.findall(r'<div class="alert[^"]*">(.*?)</div>', html, re.S)))


# Customers


def customer_form(**changes) -> dict:
    return {
        "last_name": "  Коваль ",
        "first_name": "Олена",
        "patronymic": "",
        "phone": "050 123 45 67",
        "email": "",
        "birth_date": "1990-05-17",
        "tax_id": "",
        "address": "",
        "manager": "__None",
        **changes,
    }


def test_customer_create_form_has_the_documented_fields(client, login, manager):
    login(manager)
    html = client.get("/admin/customer/new/").get_data(as_text=True)
    for name in (
        "last_name",
        "first_name",
        "patronymic",
        "phone",
        "email",
        "birth_date",
        "tax_id",
        "address",
        "manager",
    ):
        assert f'name="{name}"' in html
    assert "search_text" not in html
    # A manager's new customer is theirs unless they pick someone else.
    assert f'<option selected value="{manager.id}">' in html


def test_manager_creates_a_customer_through_the_form(client, login, manager):
    login(manager)
    response = client.post("/admin/customer/new/", data=customer_form(manager=manager.id))
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/admin/customer/"
    customer = db.session.scalars(select(Customer)).one()
    assert customer.last_name == "Коваль"
    assert customer.phone == "+380501234567"
    assert customer.birth_date == date(1990, 5, 17)
    assert customer.manager_id == manager.id


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"last_name": ""}, "last_name", "This field is required."),
        ({"first_name": "   "}, "first_name", "This field is required."),
        ({"phone": "12"}, "phone", "Not a"),
        ({"email": "olena@"}, "email", "Not a valid e-mail address."),
        ({"tax_id": "123"}, "tax_id", "The tax id is 10 digits."),
        ({"birth_date": "2999-01-01"}, "birth_date", "cannot be in the future"),
        ({"birth_date": "17.05.1990"}, "birth_date", "Type a date such as 2025-03-09."),
        ({"email": "TAKEN@example.com"}, "email", "Another customer already has this e-mail"),
        ({"tax_id": "3999999999"}, "tax_id", "Another customer already has this tax id."),
    ],
)
def test_bad_customer_input_is_shown_beside_its_field(
    client, login, manager, changes, field, message
):
    factories.CustomerFactory(email="taken@example.com", tax_id="3999999999")
    login(manager)
    response = client.post("/admin/customer/new/", data=customer_form(**changes))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert count(Customer) == 1
    assert any(message in error for error in field_errors(html, field)), field_errors(html, field)


def test_manager_edits_a_customer(client, login, manager):
    customer = factories.CustomerFactory(last_name="Стара")
    login(manager)
    html = client.get(f"/admin/customer/edit/?id={customer.id}").get_data(as_text=True)
    assert 'value="Стара"' in html
    response = client.post(
        f"/admin/customer/edit/?id={customer.id}",
        data=customer_form(last_name="Нова", phone="+380671112233", email=customer.email),
    )
    assert response.status_code == 302
    customer = db.session.get(Customer, customer.id)
    assert (customer.last_name, customer.phone) == ("Нова", "+380671112233")


def test_customer_with_loans_is_not_deleted(client, login, admin_user):
    loan = factories.LoanFactory()
    login(admin_user)
    response = client.post(
        "/admin/customer/delete/", data={"id": loan.customer_id}, follow_redirects=True
    )
    assert "has 1 loan and cannot be deleted" in flashes(response.get_data(as_text=True))
    assert db.session.get(Customer, loan.customer_id) is not None


def test_admin_deletes_a_customer_without_loans(client, login, admin_user):
    customer = factories.CustomerFactory()
    login(admin_user)
    response = client.post("/admin/customer/delete/", data={"id": customer.id})
    assert response.status_code == 302
    assert db.session.get(Customer, customer.id) is None


def test_customer_search_folds_case_for_any_alphabet(client, login, manager):
    factories.CustomerFactory(last_name="Шевчук", first_name="Ірина")
    factories.CustomerFactory(last_name="Бойко", first_name="Андрій")
    login(manager)
    html = client.get("/admin/customer/", query_string={"search": "ШЕВЧУК"}).get_data(as_text=True)
    assert "Шевчук" in html
    assert "Бойко" not in html


def test_customer_list_filters_by_manager(client, login, manager):
    factories.CustomerFactory(last_name="Мій", manager=manager)
    factories.CustomerFactory(last_name="Чужий")
    login(manager)
    html = client.get(
        "/admin/customer/", query_string={"flt0_manager_equals": manager.id}
    ).get_data(as_text=True)
    assert "Мій" in html
    assert "Чужий" not in html


# Products


def product_form(**changes) -> dict:
    return {
        "name": "Автокредит",
        "annual_rate": "13.9",
        "category": "secured",
        "description": "",
        "min_amount": "10000",
        "max_amount": "1000000",
        "min_term": "6",
        "max_term": "84",
        "repayment_method": "annuity",
        "active": "y",
        **changes,
    }


def test_admin_creates_and_edits_a_product(client, login, admin_user):
    login(admin_user)
    html = client.get("/admin/product/new/").get_data(as_text=True)
    assert '<option value="secured">Secured</option>' in html
    assert '<option value="differentiated">Differentiated</option>' in html
    assert client.post("/admin/product/new/", data=product_form()).status_code == 302
    product = db.session.scalars(select(Product)).one()
    assert product.annual_rate == Decimal("13.9")
    assert product.active
    response = client.post(
        f"/admin/product/edit/?id={product.id}",
        data=product_form(annual_rate="14.5", category="unsecured", active=""),
    )
    assert response.status_code == 302
    db.session.refresh(product)
    assert product.annual_rate == Decimal("14.5")
    assert product.category.value == "unsecured"
    assert not product.active


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"name": "ГОТІВКА"}, "name", "Another product already has this name."),
        ({"annual_rate": "250"}, "annual_rate", "between 0 and 200"),
        ({"annual_rate": "abc"}, "annual_rate", "Type a number such as 18.5."),
        ({"min_amount": "0"}, "min_amount", "greater than zero"),
        ({"min_amount": "5000", "max_amount": "4000"}, "max_amount", "cannot be less"),
        ({"max_amount": "100.123"}, "max_amount", "at most 2 decimal places"),
        ({"min_term": "0"}, "min_term", "between 1 and 360"),
        ({"max_term": "400"}, "max_term", "between 1 and 360"),
        ({"min_term": "24", "max_term": "12"}, "max_term", "cannot be shorter"),
        ({"category": "bail"}, "category", "Invalid Choice"),
    ],
)
def test_bad_product_input_is_shown_beside_its_field(
    client, login, admin_user, changes, field, message
):
    factories.ProductFactory(name="Готівка")
    login(admin_user)
    response = client.post("/admin/product/new/", data=product_form(**changes))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert count(Product) == 1
    assert any(message in error for error in field_errors(html, field)), field_errors(html, field)


def test_product_with_loans_is_not_deleted(client, login, admin_user):
    loan = factories.LoanFactory()
    login(admin_user)
    response = client.post(
        "/admin/product/delete/", data={"id": loan.product_id}, follow_redirects=True
    )
    assert "cannot be deleted; untick Active" in flashes(response.get_data(as_text=True))
    assert db.session.get(Product, loan.product_id) is not None


# Loans


@pytest.fixture
def product(app):
    return factories.ProductFactory(
        name="Готівка",
        annual_rate=Decimal("19.9"),
        min_amount=Decimal("1000"),
        max_amount=Decimal("50000"),
        min_term=3,
        max_term=24,
    )


@pytest.fixture
def customer(app):
    return factories.CustomerFactory(last_name="Шевченко")


def loan_form(borrower, offer, **changes) -> dict:
    return {
        "customer": borrower.id,
        "product": offer.id,
        "amount": "5000",
        "term_months": "12",
        **changes,
    }


def test_manager_creates_a_pending_loan_at_the_products_rate(
    client, login, manager, customer, product
):
    login(manager)
    response = client.post("/admin/loan/new/", data=loan_form(customer, product))
    assert response.status_code == 302
    loan = db.session.scalars(select(Loan)).one()
    assert loan.status is LoanStatus.PENDING
    assert loan.annual_rate == Decimal("19.9")
    assert (loan.customer_id, loan.amount, loan.term_months) == (customer.id, Decimal("5000"), 12)


def test_loan_form_picks_customer_and_product_by_ajax_not_a_select(client, login, manager):
    factories.CustomerFactory.create_batch(3)
    login(manager)
    html = client.get("/admin/loan/new/").get_data(as_text=True)
    customer_field = field_block(html, "customer")
    assert 'data-role="select2-ajax"' in customer_field
    assert 'data-url="/admin/loan/ajax/lookup/?name=customer"' in customer_field
    assert "<option" not in customer_field
    assert 'data-url="/admin/loan/ajax/lookup/?name=product"' in field_block(html, "product")
    for absent in ('name="status"', 'name="annual_rate"', 'name="decided_by"'):
        assert absent not in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"amount": "999.99"}, "amount", "Готівка lends from 1000"),
        ({"amount": "50000.01"}, "amount", "Готівка lends from 1000"),
        ({"amount": "0"}, "amount", "greater than zero"),
        ({"amount": "5000.555"}, "amount", "at most 2 decimal places"),
        ({"amount": "lots"}, "amount", "Type an amount such as 1,234.56."),
        ({"term_months": "2"}, "term_months", "for 3 to 24 months"),
        ({"term_months": "25"}, "term_months", "for 3 to 24 months"),
        ({"customer": ""}, "customer", "This field is required."),
        ({"product": ""}, "product", "This field is required."),
    ],
)
def test_bad_loan_input_is_shown_beside_its_field(
    client, login, manager, customer, product, changes, field, message
):
    login(manager)
    response = client.post("/admin/loan/new/", data=loan_form(customer, product, **changes))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert count(Loan) == 0
    assert any(message in error for error in field_errors(html, field)), field_errors(html, field)


def test_inactive_product_takes_no_new_loans(client, login, manager, customer, product):
    product.active = False
    db.session.commit()
    login(manager)
    html = client.post("/admin/loan/new/", data=loan_form(customer, product)).get_data(as_text=True)
    assert field_errors(html, "product") == ["This product is no longer offered."]
    assert count(Loan) == 0


def test_manager_edits_a_pending_application(client, login, manager, product):
    loan = factories.LoanFactory(product=product, amount=Decimal("5000"))
    login(manager)
    html = client.get(f"/admin/loan/edit/?id={loan.id}").get_data(as_text=True)
    assert '<input id="version" name="version" type="hidden" value="1">' in html
    response = client.post(
        f"/admin/loan/edit/?id={loan.id}",
        data=loan_form(loan.customer, product, amount="7500", version="1"),
    )
    assert response.status_code == 302
    loan = db.session.get(Loan, loan.id)
    assert (loan.amount, loan.version) == (Decimal("7500.00"), 2)


def test_started_loan_amount_cannot_change_in_the_admin(client, login, admin_user, product):
    loan = factories.LoanFactory(product=product, status=LoanStatus.ACTIVE)
    login(admin_user)
    response = client.post(
        f"/admin/loan/edit/?id={loan.id}",
        data=loan_form(loan.customer, product, amount="9000", version="1"),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "only a pending application can change" in " ".join(field_errors(html, "amount"))
    loan = db.session.get(Loan, loan.id)
    assert (loan.amount, loan.version) == (Decimal("10000.00"), 1)


def test_stale_edit_says_someone_else_saved_first(client, login, manager, product):
    loan = factories.LoanFactory(product=product, amount=Decimal("5000"))
    login(manager)
    html = client.get(f"/admin/loan/edit/?id={loan.id}").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', html)[1]
    # Someone else saves the loan while the form is open.
    update_application(
        db.session,
        loan,
        customer=loan.customer,
        product=product,
        amount=Decimal("6000"),
        term_months=loan.term_months,
    )
    db.session.commit()
    response = client.post(
        f"/admin/loan/edit/?id={loan.id}",
        data=loan_form(loan.customer, product, amount="9000", version=version),
    )
    assert response.status_code == 200
    assert "Someone else saved this record" in flashes(response.get_data(as_text=True))
    assert db.session.get(Loan, loan.id).amount == Decimal("6000.00")


def test_only_a_pending_loan_can_be_deleted(client, login, admin_user, product):
    active = factories.LoanFactory(product=product, status=LoanStatus.ACTIVE)
    pending = factories.LoanFactory(product=product)
    login(admin_user)
    response = client.post("/admin/loan/delete/", data={"id": active.id}, follow_redirects=True)
    assert "only a pending application can be deleted" in flashes(response.get_data(as_text=True))
    client.post("/admin/loan/delete/", data={"id": pending.id})
    assert db.session.get(Loan, active.id) is not None
    assert db.session.get(Loan, pending.id) is None


def test_customer_lookup_finds_by_name_in_any_case_and_by_phone(client, login, manager):
    wanted = factories.CustomerFactory(last_name="Ковальчук", phone="+380931234567")
    factories.CustomerFactory(last_name="Бондар")
    login(manager)
    for query in ("КОВАЛЬ", "ковальчук", "093 123 45"):
        response = client.get(
            "/admin/loan/ajax/lookup/", query_string={"name": "customer", "query": query}
        )
        assert response.status_code == 200
        assert [row[0] for row in response.json] == [wanted.id], query
    assert "Ковальчук" in response.json[0][1]
    assert "+380 93 123 4567" in response.json[0][1]


def test_product_lookup_offers_active_products_only(client, login, manager):
    on_offer = factories.ProductFactory(name="Готівка на будь-які цілі")
    factories.ProductFactory(name="Готівка стара", active=False)
    login(manager)
    response = client.get(
        "/admin/loan/ajax/lookup/", query_string={"name": "product", "query": "ГОТІВКА"}
    )
    assert response.json == [[on_offer.id, "Готівка на будь-які цілі"]]


def test_unknown_lookup_is_404(client, login, manager):
    login(manager)
    assert client.get("/admin/loan/ajax/lookup/?name=decided_by&query=a").status_code == 404


@pytest.mark.parametrize(
    ("user_fixture", "pickers"),
    [("admin_user", {"customer", "product"}), ("manager", {"customer"})],
)
def test_plus_beside_the_pickers_opens_the_create_view_the_user_may_use(
    client, login, request, user_fixture, pickers
):
    login(request.getfixturevalue(user_fixture))
    html = client.get("/admin/loan/new/").get_data(as_text=True)
    links = dict(re.findall(r'href="([^"]+)" target="_blank" data-crm-picker="(\w+)"', html))
    assert {picker: url for url, picker in links.items()} == {
        picker: f"/admin/{picker}/new/?picker={picker}" for picker in pickers
    }
    assert 'id="crm-picker-modal"' in html


def test_customer_added_from_the_loan_form_is_handed_back_to_the_picker(client, login, manager):
    login(manager)
    response = client.get("/admin/customer/new/?picker=customer")
    assert "Staff site" not in response.get_data(as_text=True)
    response = client.post("/admin/customer/new/?picker=customer", data=customer_form())
    assert response.status_code == 302
    customer = db.session.scalars(select(Customer)).one()
    location = urlsplit(response.headers["Location"])
    assert location.path == "/admin/customer/picked/"
    assert parse_qs(location.query) == {"id": [str(customer.id)], "picker": ["customer"]}
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    picked = json.loads(re.search(r"\}\)\((\{.*?\})\);", html)[1])
    assert picked == {
        "type": "crm-picked",
        "field": "customer",
        "id": str(customer.id),
        "text": "Коваль Олена",
    }


def test_picked_view_refuses_odd_picker_names(client, login, manager, customer):
    login(manager)
    url = f"/admin/customer/picked/?id={customer.id}&picker=</script>"
    assert client.get(url).status_code == 404


def test_loan_list_shows_names_with_a_steady_number_of_queries(
    client, login, manager, count_queries
):
    product = factories.ProductFactory(name="Автокредит")
    factories.LoanFactory.create_batch(5, product=product, customer__last_name="Петренко")
    login(manager)
    with count_queries() as few:
        html = client.get("/admin/loan/").get_data(as_text=True)
    assert "Петренко" in html
    assert "Автокредит" in html
    factories.LoanFactory.create_batch(55, product=product)
    with count_queries() as many:
        html = client.get("/admin/loan/").get_data(as_text=True)
    assert few.count == many.count
    assert html.count('<td class="list-buttons-column">') == 50
    # The pager shows "next" instead of counting 300 000 loans.
    assert not any("count(" in statement.lower() for statement in many.statements)


def test_customer_list_pages_fifty_without_counting(client, login, manager, count_queries):
    factories.CustomerFactory.create_batch(51)
    login(manager)
    with count_queries() as log:
        html = client.get("/admin/customer/").get_data(as_text=True)
    assert html.count('<td class="list-buttons-column">') == 50
    assert not any("count(" in statement.lower() for statement in log.statements)


def test_loan_list_filters_by_status_and_product(client, login, manager, product):
    factories.LoanFactory(product=product, customer__last_name="Відмовлений", status="refused")
    factories.LoanFactory(customer__last_name="Очікує")
    login(manager)
    html = client.get("/admin/loan/", query_string={"flt0_status_equals": "refused"}).get_data(
        as_text=True
    )
    assert "Відмовлений" in html
    assert "Очікує" not in html
    html = client.get("/admin/loan/", query_string={"flt0_product_equals": product.id}).get_data(
        as_text=True
    )
    assert "Відмовлений" in html
    assert "Очікує" not in html
    # A value that is not a choice is ignored rather than reaching the database.
    html = client.get("/admin/loan/", query_string={"flt0_status_equals": "nonsense"}).get_data(
        as_text=True
    )
    assert "Очікує" in html


def test_loan_list_searches_by_the_customers_name(client, login, manager):
    factories.LoanFactory(customer__last_name="Гнатюк")
    factories.LoanFactory(customer__last_name="Лисенко")
    login(manager)
    html = client.get("/admin/loan/", query_string={"search": "гнатюк"}).get_data(as_text=True)
    assert "Гнатюк" in html
    assert "Лисенко" not in html


# Users


def user_form(**changes) -> dict:
    return {
        "email": "New.Manager@Example.com",
        "full_name": "Нова Менеджерка",
        "role": "manager",
        "active": "y",
        "customer": "",
        "password": "long-enough-secret",
        **changes,
    }


def test_admin_creates_a_user_who_can_log_in(client, login, admin_user):
    login(admin_user)
    html = client.get("/admin/user/new/").get_data(as_text=True)
    assert 'type="password"' in html
    assert "password_hash" not in html
    assert client.post("/admin/user/new/", data=user_form()).status_code == 302
    user = db.session.scalars(select(User).where(User.email == "new.manager@example.com")).one()
    assert user.role is Role.MANAGER
    assert user.password_hash != "long-enough-secret"
    assert user.check_password("long-enough-secret")
    client.post("/auth/logout")
    response = client.post(
        "/auth/login", data={"email": "new.manager@example.com", "password": "long-enough-secret"}
    )
    assert response.status_code == 302


def test_password_hash_is_never_shown(client, login, admin_user):
    login(admin_user)
    pages = [
        "/admin/user/",
        f"/admin/user/details/?id={admin_user.id}",
        f"/admin/user/edit/?id={admin_user.id}",
    ]
    for page in pages:
        html = client.get(page).get_data(as_text=True)
        assert admin_user.password_hash not in html
        assert "password_hash" not in html.lower().replace("-", "_")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"password": "short"}, "password", "at least 8 characters"),
        ({"password": ""}, "password", "at least 8 characters"),
        ({"email": "TAKEN@example.com"}, "email", "already exists"),
        ({"email": "nobody@"}, "email", "Not a valid e-mail address."),
        ({"role": "root"}, "role", "Invalid Choice"),
    ],
)
def test_bad_user_input_is_shown_beside_its_field(
    client, login, admin_user, changes, field, message
):
    factories.UserFactory(email="taken@example.com")
    login(admin_user)
    response = client.post("/admin/user/new/", data=user_form(**changes))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert count(User) == 2
    assert any(message in error for error in field_errors(html, field)), field_errors(html, field)


def test_editing_a_user_without_a_password_keeps_it(client, login, admin_user):
    user = factories.UserFactory(role=Role.MANAGER)
    old_hash = user.password_hash
    login(admin_user)
    response = client.post(
        f"/admin/user/edit/?id={user.id}",
        data=user_form(email=user.email, password="", active=""),
    )
    assert response.status_code == 302
    user = db.session.get(User, user.id)
    assert user.password_hash == old_hash
    assert not user.active


def test_admin_cannot_lock_themselves_out(client, login, admin_user):
    login(admin_user)
    response = client.post(
        f"/admin/user/edit/?id={admin_user.id}",
        data=user_form(email=admin_user.email, role="manager", password=""),
    )
    assert "You cannot change your own role." in field_errors(
        response.get_data(as_text=True), "role"
    )
    response = client.post("/admin/user/delete/", data={"id": admin_user.id}, follow_redirects=True)
    assert "You cannot delete your own login." in flashes(response.get_data(as_text=True))
    assert db.session.get(User, admin_user.id).role is Role.ADMIN


def test_user_who_manages_customers_is_not_deleted(client, login, admin_user, manager):
    factories.CustomerFactory(manager=manager)
    login(admin_user)
    response = client.post("/admin/user/delete/", data={"id": manager.id}, follow_redirects=True)
    assert "manages customers and cannot be deleted" in flashes(response.get_data(as_text=True))
    assert db.session.get(User, manager.id) is not None


def test_customers_login_can_be_deleted_and_the_customer_stays(
    client, login, admin_user, customer_user
):
    login(admin_user)
    assert client.post("/admin/user/delete/", data={"id": customer_user.id}).status_code == 302
    assert db.session.get(User, customer_user.id) is None
    assert db.session.get(Customer, customer_user.customer_id) is not None


def test_manager_of_customers_cannot_become_a_customer_login(client, login, admin_user, manager):
    factories.CustomerFactory(manager=manager)
    login(admin_user)
    response = client.post(
        f"/admin/user/edit/?id={manager.id}",
        data=user_form(email=manager.email, role="customer", password=""),
    )
    assert "give them another manager first" in " ".join(
        field_errors(response.get_data(as_text=True), "role")
    )
    assert db.session.get(User, manager.id).role is Role.MANAGER


# CSRF


def test_admin_forms_need_the_csrf_token_when_csrf_is_on(config_class, app):
    csrf_app = create_app(type("CsrfConfig", (config_class,), {"WTF_CSRF_ENABLED": True}))
    assert issubclass(config_class, TestingConfig)
    csrf_app.test_client_class = RollbackClient
    admin = factories.UserFactory(role=Role.ADMIN)
    client = csrf_app.test_client()
    try:
        token = csrf_token(client.get("/auth/login").get_data(as_text=True))
        response = client.post(
            "/auth/login", data={"email": admin.email, "password": PASSWORD, "csrf_token": token}
        )
        assert response.status_code == 302
        assert client.post("/admin/product/new/", data=product_form()).status_code == 400
        assert count(Product) == 0
        token = csrf_token(client.get("/admin/product/new/").get_data(as_text=True))
        response = client.post("/admin/product/new/", data={**product_form(), "csrf_token": token})
        assert response.status_code == 302
        assert count(Product) == 1
    finally:
        with csrf_app.app_context():
            db.session.remove()
            db.engine.dispose()


# Input that must never reach the database as it is


@pytest.mark.parametrize("record_id", ["abc", "99999999999", "-1", "1.5", "١"])
def test_mangled_ids_are_no_such_record(client, login, admin_user, record_id):
    factories.LoanFactory()
    login(admin_user)
    for view in ("customer", "loan", "product", "user"):
        response = client.get(f"/admin/{view}/edit/", query_string={"id": record_id})
        assert response.status_code == 302
        response = client.get(f"/admin/{view}/details/", query_string={"id": record_id})
        assert response.status_code == 302
    response = client.get(
        "/admin/customer/picked/", query_string={"id": record_id, "picker": "customer"}
    )
    assert response.status_code == 404


def test_mangled_picker_value_is_a_field_error(client, login, manager, customer, product):
    login(manager)
    response = client.post(
        "/admin/loan/new/", data=loan_form(customer, product, customer="99999999999")
    )
    assert response.status_code == 200
    assert field_errors(response.get_data(as_text=True), "customer")
    assert count(Loan) == 0


def test_nul_characters_never_reach_the_database(client, login, admin_user):
    login(admin_user)
    for view in ("customer", "loan", "product", "user"):
        response = client.get(f"/admin/{view}/", query_string={"search": "a\x00b"})
        assert response.status_code == 200
    # SQLite stores it; PostgreSQL refuses it, and the form says so instead of failing.
    response = client.post("/admin/customer/new/", data=customer_form(address="a\x00b"))
    html = response.get_data(as_text=True)
    assert response.status_code == 302 or "cannot be stored as typed" in flashes(html)
