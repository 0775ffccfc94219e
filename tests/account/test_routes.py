import re
from decimal import Decimal

from crm.extensions import db
from crm.lending.status import LoanStatus
from crm.models import Role
from tests import factories


def test_customer_sees_only_their_own_loans(client, login, customer_user):
    mine = factories.LoanFactory(
        customer=customer_user.customer,
        product=factories.ProductFactory(name="Мій кредит"),
        amount=Decimal("12345.00"),
        status=LoanStatus.ACTIVE,
    )
    other_customer = factories.CustomerFactory(last_name="Чужий", email="other@example.com")
    theirs = factories.LoanFactory(
        customer=other_customer,
        product=factories.ProductFactory(name="Чужий кредит"),
        amount=Decimal("98765.00"),
    )
    login(customer_user)

    html = client.get("/account/").get_data(as_text=True)

    assert "Мій кредит" in html
    assert "UAH\u00a012,345.00" in html
    assert 'class="badge text-bg-primary">Active<' in html
    assert customer_user.customer.full_name in html
    for foreign in ("Чужий", "98,765", "other@example.com", f"#{theirs.id}<"):
        assert foreign not in html
    assert re.findall(r"<td>#(\d+)</td>", html) == [str(mine.id)]


def test_customer_without_loans_sees_an_empty_list(client, login, customer_user):
    factories.LoanFactory()
    login(customer_user)
    html = client.get("/account/").get_data(as_text=True)
    assert "You have no loans yet." in html
    assert re.findall(r"<td>#(\d+)</td>", html) == []


def test_customer_login_without_a_customer_record_sees_nothing(client, login):
    factories.LoanFactory()
    user = factories.UserFactory(role=Role.CUSTOMER)
    login(user)
    response = client.get("/account/")
    assert response.status_code == 200
    assert "You have no loans yet." in response.get_data(as_text=True)


def test_account_has_no_links_to_staff_pages(client, login, customer_user):
    factories.LoanFactory(customer=customer_user.customer)
    login(customer_user)
    html = client.get("/account/").get_data(as_text=True)
    assert 'href="/customers/' not in html
    assert 'href="/loans/' not in html


def test_a_customer_never_reads_the_audit_trail(client, login, customer_user, manager):
    """The trail names staff, their addresses and every change: staff only."""
    customer = customer_user.customer
    loan = factories.LoanFactory(customer=customer)
    customer.phone = "+380677654321"
    loan.amount = Decimal("12000.00")
    db.session.commit()
    login(customer_user)

    for path in (f"/customers/{customer.id}", f"/loans/{loan.id}", "/admin/audit/"):
        assert client.get(path).status_code == 403, path
    html = client.get("/account/").get_data(as_text=True)

    assert 'id="history"' not in html
    for trace in ("History", "+380677654321", "Updated", "Created", "System", manager.email):
        assert trace not in html
