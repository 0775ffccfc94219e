"""The pages bench/run.py times: their addresses, with the records they show picked from the
loaded data (a customer and a loan in the middle, the demo customer's own loan)."""

from __future__ import annotations

from urllib.parse import quote

CUSTOMER_EMAIL = "customer@demo.crm"
MANAGER_EMAIL = "manager@demo.crm"


def pages_to_time(app) -> list[tuple[str, str]]:
    """(label, URL) of each page; the search terms and the customer come from the data."""
    from sqlalchemy import func, select

    from crm.extensions import db
    from crm.models import Customer, Loan

    with app.app_context():
        middle = db.session.scalar(select(func.max(Customer.id))) // 2
        loan_id = db.session.scalar(
            select(Loan.id).where(Loan.customer_id >= middle).order_by(Loan.id).limit(1)
        )
        customer = db.session.scalar(
            select(Customer).where(Customer.id >= middle).order_by(Customer.id).limit(1)
        )
        name, customer_id = customer.last_name, customer.id
        middle_page = db.session.scalar(select(func.count()).select_from(Customer)) // (
            2 * app.config["PER_PAGE"]
        )
        found = db.session.scalar(
            select(Customer)
            .where(Customer.id >= middle, Customer.email.is_not(None), Customer.tax_id.is_not(None))
            .order_by(Customer.id)
            .limit(1)
        )
        db.session.remove()
    return [
        ("dashboard", "/"),
        ("customers", "/customers/"),
        ("customers by name", "/customers/?sort=name"),
        ("customers by name, from Я", "/customers/?sort=-name"),
        ("customers by name, page 40", "/customers/?sort=name&page=40"),
        ("customers by name, middle page", f"/customers/?sort=name&page={max(middle_page, 1)}"),
        ("customer search", f"/customers/?q={name}"),
        ("customer search by name", f"/customers/?q={name}&sort=name"),
        ("customer search by name, no match", "/customers/?q=zzzz&sort=name"),
        ("customer card", f"/customers/{customer_id}"),
        ("loan page", f"/loans/{loan_id}"),
        ("loans", "/loans/"),
        ("active loans", "/loans/?status=active"),
        *search_pages(found, loan_id),
        ("overdue queue", "/loans/overdue"),
        ("overdue, largest first", "/loans/overdue?sort=-amount"),
        ("overdue 90+, page 3", "/loans/overdue?bucket=90%2B&page=3"),
        ("products", "/products/"),
        ("admin customers by last name", "/admin/customer/?sort=0"),
        *officer_pages(app),
    ]


def search_pages(customer, loan_id: int) -> list[tuple[str, str]]:
    """(label, URL) of the navbar search for each kind of key, and of the loans list's
    search, sorts and filters, looking for `customer` and the loan `loan_id`."""
    national = customer.phone.removeprefix("+38")
    typed_phone = f"{national[:3]} {national[3:6]} {national[6:8]} {national[8:]}"
    first_words = quote(f"{customer.last_name[:3]} {customer.first_name[:3]}")
    full_name = quote(f"{customer.first_name} {customer.last_name}")
    return [
        ("search: name, any order", f"/search?q={full_name}"),
        ("search: name prefixes", f"/search?q={first_words}"),
        ("search: phone as typed", f"/search?q={quote(typed_phone)}"),
        ("search: last 7 digits of a phone", f"/search?q={national[-7:]}"),
        ("search: e-mail", f"/search?q={quote(customer.email.upper())}"),
        ("search: tax id", f"/search?q={customer.tax_id}"),
        ("search: loan number", f"/search?q=%23{loan_id}"),
        ("search: no match", "/search?q=zzzz"),
        ("loans: search by name", f"/loans/?q={quote(customer.last_name)}"),
        ("loans: search by phone", f"/loans/?q={quote(typed_phone)}"),
        ("loans: largest first", "/loans/?sort=-amount"),
        ("loans: by customer name", "/loans/?sort=customer"),
        ("loans: active, a month", "/loans/?status=active&from=2026-01-01&to=2026-01-31"),
        ("loans: my customers, oldest first", "/loans/?mine=1&sort=created"),
    ]


def officer_pages(app) -> list[tuple[str, str]]:
    """(label, URL) of a loan officer's day (issue 12), as the demo manager sees it: the card
    of one of their customers with an overdue loan and the most contacts (crm/demo/follow_up.py
    draws them), its timeline filtered and paged, the overdue queue's sorts and filters (its
    default order is timed with the other pages), and their tasks."""
    from sqlalchemy import func, select

    from crm.clock import lender_today
    from crm.extensions import db
    from crm.lending.status import LoanStatus
    from crm.models import Customer, Interaction, Loan, User

    with app.app_context():
        manager_id = db.session.scalar(select(User.id).where(User.email == MANAGER_EMAIL))
        overdue = select(Loan.customer_id).where(
            Loan.status == LoanStatus.ACTIVE, Loan.oldest_unpaid_due_on < lender_today()
        )
        customer_id = db.session.scalar(
            select(Interaction.customer_id)
            .join(Customer, Customer.id == Interaction.customer_id)
            .where(Customer.manager_id == manager_id, Interaction.customer_id.in_(overdue))
            .group_by(Interaction.customer_id)
            .order_by(func.count().desc(), Interaction.customer_id)
            .limit(1)
        )
        db.session.remove()
    card = f"/customers/{customer_id}"
    return [
        ("officer: card, overdue with contacts", card),
        ("officer: card, timeline payments", f"{card}?timeline=payments"),
        ("officer: card, timeline page 2", f"{card}?timeline_page=2"),
        ("officer: overdue by next action", "/loans/overdue?sort=next"),
        ("officer: overdue, no contact in 7 days", "/loans/overdue?no_contact=1"),
        ("officer: overdue, promise broken", "/loans/overdue?promise=broken"),
        ("officer: overdue, mine", f"/loans/overdue?manager={manager_id}"),
        ("officer: my tasks", "/tasks/"),
        ("officer: my tasks, done", "/tasks/?done=1"),
    ]


def account_pages(app) -> list[tuple[str, str]]:
    """(label, URL) of the demo customer's personal account pages, their active loan's."""
    from sqlalchemy import select

    from crm.extensions import db
    from crm.lending.status import LoanStatus
    from crm.models import Loan, User

    with app.app_context():
        customer_id = db.session.scalar(
            select(User.customer_id).where(User.email == CUSTOMER_EMAIL)
        )
        loan_id = db.session.scalar(
            select(Loan.id).where(Loan.customer_id == customer_id, Loan.status == LoanStatus.ACTIVE)
        )
        db.session.remove()
    return [
        ("account overview", "/account/"),
        ("account loan page", f"/account/loans/{loan_id}"),
        ("account schedule CSV", f"/account/loans/{loan_id}/schedule.csv"),
        ("account apply", "/account/apply"),
        ("account profile", "/account/profile"),
    ]


def served_pages(app) -> list[tuple[str, str]]:
    """(label, URL) of the pages bench/serve.py loads: /healthz first (the lightest route, the
    yardstick of the others), the pages above, the first and the deepest page of each long
    list, the reports, and the admin's lists."""
    from sqlalchemy import func, select

    from crm.extensions import db
    from crm.models import Customer, Loan
    from crm.paging import COUNT_LIMIT

    with app.app_context():
        customers = db.session.scalar(select(func.count()).select_from(Customer))
        loans = db.session.scalar(select(func.count()).select_from(Loan))
        db.session.remove()
    per_page = app.config["PER_PAGE"]
    last_customers = -(-customers // per_page)
    last_loans = -(-min(loans, COUNT_LIMIT) // per_page)
    return [
        ("healthz", "/healthz"),
        *pages_to_time(app),
        ("customers, last page", f"/customers/?page={last_customers}"),
        ("loans, last page", f"/loans/?page={last_loans}"),
        ("search ?q=ко", f"/search?q={quote('ко')}"),
        ("reports: portfolio today", "/reports/"),
        ("reports: portfolio at a month end", "/reports/?as_of=2026-09-30"),
        ("reports: collections", "/reports/collections"),
        ("reports: disbursements", "/reports/disbursements"),
        ("admin loans", "/admin/loan/"),
        ("admin loans, last page", f"/admin/loan/?page={-(-loans // per_page) - 1}"),
        ("admin customers", "/admin/customer/"),
        ("admin products", "/admin/product/"),
    ]
