"""The admin's loans (crm/admin/loans.py), driven through real requests."""

import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from crm.extensions import db
from crm.lending.status import LoanStatus
from crm.loans.services import applications
from crm.models import Loan
from tests import factories
from tests.admin.pages import (
    assert_refused,
    count,
    field_block,
    field_errors,
    flashes,
    listed,
    loan_form,
)


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
    assert_refused(response, field, message)
    assert count(Loan) == 0


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
    assert response.status_code == 422
    assert "only a pending application can change" in " ".join(field_errors(html, "amount"))
    loan = db.session.get(Loan, loan.id)
    assert (loan.amount, loan.version) == (Decimal("10000.00"), 1)


@pytest.mark.parametrize("sends_version", [True, False], ids=["stale version", "no version"])
def test_a_loan_edit_is_never_saved_over_someone_elses(
    client, login, manager, product, sends_version
):
    loan = factories.LoanFactory(product=product, amount=Decimal("5000"))
    login(manager)
    html = client.get(f"/admin/loan/edit/?id={loan.id}").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', html)[1]
    # Someone else saves the loan while the form is open: it is at version 2 now.
    applications.update_application(
        db.session,
        loan,
        customer=loan.customer,
        product=product,
        amount=Decimal("6000"),
        term_months=loan.term_months,
    )
    db.session.commit()
    # Without the field, the check was skipped and the edit saved over version 2.
    data = loan_form(loan.customer, product, amount="9000")
    response = client.post(
        f"/admin/loan/edit/?id={loan.id}",
        data={**data, "version": version} if sends_version else data,
    )
    assert response.status_code == 422
    assert "Someone else saved this record" in flashes(response.get_data(as_text=True))
    loan = db.session.get(Loan, loan.id)
    assert (loan.amount, loan.version) == (Decimal("6000.00"), 2)


def test_only_a_pending_loan_can_be_deleted(client, login, admin_user, product):
    active = factories.LoanFactory(product=product, status=LoanStatus.ACTIVE)
    pending = factories.LoanFactory(product=product)
    login(admin_user)
    response = client.post("/admin/loan/delete/", data={"id": active.id}, follow_redirects=True)
    assert "only a pending application can be deleted" in flashes(response.get_data(as_text=True))
    client.post("/admin/loan/delete/", data={"id": pending.id})
    assert db.session.get(Loan, active.id) is not None
    assert db.session.get(Loan, pending.id) is None


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
    factories.LoanFactory.create_batch(30, product=product)
    with count_queries() as many:
        html = client.get("/admin/loan/").get_data(as_text=True)
    assert few.count == many.count
    assert html.count('<td class="list-buttons-column">') == 25
    # The pager shows "next" instead of counting 300 000 loans.
    assert not many.counting


def test_loan_list_filters_by_status_and_product(client, login, manager, product):
    factories.LoanFactory(product=product, customer__last_name="Відмовлений", status="refused")
    factories.LoanFactory(customer__last_name="Очікує")
    login(manager)
    html = listed(client, "loan", flt0_status_equals="refused")
    assert "Відмовлений" in html
    assert "Очікує" not in html
    html = listed(client, "loan", flt0_product_equals=product.id)
    assert "Відмовлений" in html
    assert "Очікує" not in html
    # A value that is not a choice is ignored rather than reaching the database.
    html = listed(client, "loan", flt0_status_equals="nonsense")
    assert "Очікує" in html


def test_loan_list_searches_by_the_customers_name(client, login, manager):
    factories.LoanFactory(customer__last_name="Гнатюк")
    factories.LoanFactory(customer__last_name="Лисенко")
    login(manager)
    html = listed(client, "loan", search="гнатюк")
    assert "Гнатюк" in html
    assert "Лисенко" not in html


def test_a_saved_loan_opens_its_staff_page_where_it_is_started(
    client, login, manager, customer, product
):
    login(manager)

    response = client.post("/admin/loan/new/", data=loan_form(customer, product))

    loan = db.session.scalars(select(Loan)).one()
    assert response.headers["Location"] == f"/loans/{loan.id}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'action="/loans/{loan.id}/start"' in page
    edited = client.post(
        f"/admin/loan/edit/?id={loan.id}",
        data=loan_form(customer, product, amount="6000", version="1"),
    )
    assert edited.headers["Location"] == f"/loans/{loan.id}"


ROW_EDIT = 'href="/admin/loan/edit/?id={id}&amp;'
ROW_DELETE = '<input id="id" name="id" type="hidden" value="{id}">'


def test_the_list_offers_edit_and_delete_on_pending_applications_only(
    client, login, admin_user, product
):
    pending = factories.LoanFactory(product=product)
    active = factories.LoanFactory(product=product, status=LoanStatus.ACTIVE)
    login(admin_user)

    html = client.get("/admin/loan/").get_data(as_text=True)

    assert ROW_EDIT.format(id=pending.id) in html
    assert ROW_DELETE.format(id=pending.id) in html
    assert ROW_EDIT.format(id=active.id) not in html
    assert ROW_DELETE.format(id=active.id) not in html


def test_a_started_loan_has_no_edit_form_only_its_details(client, login, admin_user, product):
    active = factories.LoanFactory(product=product, status=LoanStatus.ACTIVE)
    pending = factories.LoanFactory(product=product)
    login(admin_user)

    response = client.get(f"/admin/loan/edit/?id={active.id}")

    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"/admin/loan/details/?id={active.id}")
    details = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "can no longer be changed" in flashes(details)
    assert f"/admin/loan/edit/?id={active.id}" not in details
    pending_details = client.get(f"/admin/loan/details/?id={pending.id}").get_data(as_text=True)
    assert f"/admin/loan/edit/?id={pending.id}" in pending_details
