"""The coverage cases of logging a contact (crm/contacts/routes.py), posted by the admin
about the World's customer: a promise to pay on the active loan, and a note on no loan."""

from crm.clock import lender_today
from tests.audit.cases import Case, Ctx
from tests.audit.expected import Event
from tests.fuzz.routes import Route, promised_by


def promised(ctx: Ctx) -> list[Event]:
    w = ctx.world
    changes = {
        "customer_id": [None, w.customer],
        "loan_id": [None, w.active],
        "kind": [None, "call"],
        "outcome": [None, "promised_to_pay"],
        "text": [None, "Обіцяв сплатити після зарплати"],
        "promise_amount": [None, "500.00"],
        "promise_made_on": [None, lender_today().isoformat()],
        "promise_due_on": [None, promised_by().isoformat()],
        "author_id": [None, w.admin],
    }
    return [Event("create", "contact", changes=changes, customer_id=w.customer, loan_id=w.active)]


def noted(ctx: Ctx) -> list[Event]:
    w = ctx.world
    changes = {
        "customer_id": [None, w.customer],
        "kind": [None, "note"],
        "outcome": [None, "reached"],
        "author_id": [None, w.admin],
    }
    return [Event("create", "contact", changes=changes, customer_id=w.customer, loan_id=None)]


CONTACT_CASES: dict[str, Case] = {
    "contacts.new": Case(promised),
    "contacts.new (a note on no loan)": Case(
        noted,
        Route(
            lambda w: f"/customers/{w.customer}/contacts/new",
            {"kind": "note", "outcome": "reached", "loan_id": ""},
        ),
    ),
}
