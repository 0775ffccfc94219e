"""Every route of the app, GET and POST, tried by each of two customers against the other's
records, and by an anonymous visitor: none gives anything of another customer away, changes
it, or lets a stranger in.

The routes come from `app.url_map`, so a new one is swept the day it is added. Its
parameters are filled with the other customer's records (each of their loans, their
payment, their customer record); the admin's record pages get them as `?id=`. A try
succeeds (and the test fails) when its answer is 2xx for one of the other's records, when
any answer shows something only the other customer has, or when the other's records changed.
Pages that anybody may open (log-in, registration, health) are named in PUBLIC.

`pytest -s` prints the figures: routes, tries, and successes (0).
"""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from crm.extensions import db
from crm.models import Customer, Payment, User
from tests.account.conftest import Loans
from tests.loans.conftest import snapshot

#: Pages a visitor opens without logging in, with the reason each may answer 2xx.
PUBLIC = {
    "auth.login": "the log-in form",
    "auth.login_code": "the log-in's second step (it sends back to the log-in without one)",
    "health.healthz": "the load balancer's health check",
    "language.switch": "the language of the log-in page",
    "auth.register": "the registration form (its answer is the same for anybody)",
    "auth.registration_sent": "“check your e-mail”, the same for anybody",
    "auth.request_reset": "the password reset form (its answer is the same for anybody)",
    "auth.reset_sent": "“check your e-mail”, the same for anybody",
    "static": "style sheets and scripts",
    "admin.static": "the admin's style sheets and scripts",
}
#: What only each customer's pages may show: their name and their payments' references
#: (tests/account/conftest.py). Products are the lender's offer, open to every customer.
GIVEAWAYS = {"me": ("Коваленко", "MINE-"), "other": ("Чужинець", "THEIRS-")}
#: Admin views whose record pages take `?id=`, and which record of the other's each gets.
ADMIN_RECORDS = {"customer": "customer", "loan": "loan", "user": "user"}


@dataclass(frozen=True)
class Try:
    endpoint: str
    method: str
    url: str
    #: Whether the url names one of the other customer's records.
    names_theirs: bool


def fills(rule, loans: Loans, payment_id: int, customer_id: int) -> Iterator[dict]:
    """The other customer's records for the rule's parameters, every combination tried."""
    if "loan_id" in rule.arguments:
        for which in ("current", "overdue", "finished", "pending", "refused"):
            yield {"loan_id": getattr(loans, which).id, "payment_id": payment_id}
    elif "customer_id" in rule.arguments:
        yield {"customer_id": customer_id}
    else:
        # Customers have no tasks, uploads or reports: any id or name (a staff route refuses
        # them before looking).
        yield {
            "export_type": "csv",
            "file_format": "csv",
            "token": "x" * 43,
            "filename": "x.css",
            "task_id": 1,
            "batch_id": 1,
            "name": "disbursements",
            "table": "products",
        }


def tries(app: Flask, loans: Loans, user: User) -> list[Try]:
    payment_id = db.session.scalar(
        select(Payment.id).where(Payment.loan_id == loans.current.id).limit(1)
    )
    customer_id = user.customer_id
    found = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods & {"GET", "POST"}):
            for values in fills(rule, loans, payment_id, customer_id):
                url = rule.build({k: v for k, v in values.items() if k in rule.arguments})[1]
                names_theirs = bool(rule.arguments & {"loan_id", "customer_id", "payment_id"})
                found.append(Try(rule.endpoint, method, url, names_theirs))
                view = rule.endpoint.split(".")[0]
                if view in ADMIN_RECORDS and rule.endpoint.endswith(("details_view", "edit_view")):
                    record = {"customer": customer_id, "loan": loans.current.id, "user": user.id}
                    found.append(Try(rule.endpoint, method, f"{url}?id={record[view]}", True))
    return found


def state_of(loans: Loans, user: User) -> tuple:
    """Everything of the other customer a post could change."""
    db.session.rollback()
    every = [snapshot(getattr(loans, which).id) for which in vars(loans)]
    customer = db.session.get(Customer, user.customer_id, populate_existing=True)
    login = db.session.get(User, user.id, populate_existing=True)
    columns = [(c.key, getattr(customer, c.key)) for c in Customer.__table__.columns]
    return (tuple(every), tuple(columns), login.email, login.password_hash, login.active)


def attempt(client: FlaskClient, attempt_: Try) -> tuple[int, str]:
    form = {"version": "1", "reason": "x", "amount": "1", "paid_on": "2025-01-20"}
    if attempt_.method == "GET":
        response = client.get(attempt_.url)
    else:
        response = client.post(attempt_.url, data=form)
    return response.status_code, response.get_data(as_text=True)


def sweep(browser, app, loans: Loans, other: User, giveaways) -> tuple[int, list]:
    """Try every route against `other`'s records; (tries, successes)."""
    before = state_of(loans, other)
    successes = []
    attempts = tries(app, loans, other)
    for one in attempts:
        status, body = attempt(browser.client, one)
        leaked = [word for word in giveaways if word in body]
        if (one.names_theirs and status < 300) or leaked:
            successes.append((one, status, leaked))
        if one.endpoint.startswith("auth.logout") or one.endpoint == "auth.password":
            browser.log_in_again()
    if state_of(loans, other) != before:
        successes.append(("the other customer's records changed", None, None))
    return len(attempts), successes


class Browser:
    """A customer's browser, logged in again after a post that logs them out."""

    def __init__(self, logged_in, user: User) -> None:
        self.log_in = lambda: logged_in(user)
        self.client = self.log_in()

    def log_in_again(self) -> None:
        self.client = self.log_in()


@pytest.mark.parametrize(("who", "whose"), [("me", "other"), ("other", "me")])
def test_no_route_gives_one_customer_anothers_data(
    request, app, logged_in, me, other, my_loans, their_loans, who, whose
):
    users = {"me": me, "other": other}
    loans = {"me": my_loans, "other": their_loans}
    browser = Browser(logged_in, users[who])

    count, successes = sweep(browser, app, loans[whose], users[whose], GIVEAWAYS[whose])

    routes = {rule.endpoint for rule in app.url_map.iter_rules()}
    print(
        f"\nisolation sweep, one customer against the other's records: {len(routes)} routes, "
        f"{count} tries, {len(successes)} successes"
    )
    assert successes == []


def test_anonymous_visitors_reach_no_private_route(app, client, other, their_loans):
    attempts = [one for one in tries(app, their_loans, other) if one.endpoint not in PUBLIC]
    before = state_of(their_loans, other)
    successes = []
    for one in attempts:
        status, body = attempt(client, one)
        if status < 300 or any(word in body for word in GIVEAWAYS["other"]):
            successes.append((one, status))
    if state_of(their_loans, other) != before:
        successes.append(("records changed", None))
    print(f"\nisolation sweep, anonymous: {len(attempts)} tries, {len(successes)} successes")
    assert successes == []
