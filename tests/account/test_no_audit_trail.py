"""Customers never read the audit trail: it names staff, their addresses and every change."""

from decimal import Decimal

from crm.extensions import db
from tests import factories


def test_a_customer_never_reads_the_audit_trail(client, login, customer_user, manager):
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
    for trace in ("History", "Updated", "System", manager.email):
        assert trace not in html
