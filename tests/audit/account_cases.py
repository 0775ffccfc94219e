"""The coverage cases of the personal account: each post is the World's customer's own, and
its events name them as the actor."""

from crm.models import Customer
from tests.audit.cases import Case, Ctx, loan_event, security_event, user_event
from tests.audit.expected import Event

CUSTOMER = "customer_login"


def applied(ctx: Ctx) -> list[Event]:
    w = ctx.world
    changes = {
        "customer_id": [None, w.customer],
        "product_id": [None, w.product],
        "amount": [None, "5000.00"],
        "term_months": [None, 12],
        "status": [None, "pending"],
    }
    return [Event("create", "loan", changes=changes, by=CUSTOMER, customer_id=w.customer)]


def withdrawn(ctx: Ctx) -> list[Event]:
    w = ctx.world
    changes = {
        "status": ["pending", "withdrawn"],
        "decided_at": [None, ctx.now],
        "decided_by_id": [None, w.customer_login],
    }
    event = loan_event(ctx, "withdraw", "loan", w.pending, "pending", changes)
    return [Event(**{**vars(event), "by": CUSTOMER})]


def profile_saved(ctx: Ctx) -> list[Event]:
    w = ctx.world
    phone = ["" + ctx.stored(Customer, w.customer, "phone"), "+380671234567"]
    customer = Event("update", "customer", w.customer, {"phone": phone}, CUSTOMER, w.customer)
    language = user_event(ctx, "update", CUSTOMER, {"locale": [None, "uk"]})
    return [customer, Event(**{**vars(language), "by": CUSTOMER, "loan_id": None})]


def password_changed(ctx: Ctx) -> list[Event]:
    w = ctx.world
    hashed = user_event(ctx, "update", CUSTOMER, {"password_hash": ["***", "***"]})
    changed = security_event(ctx, "password_changed", CUSTOMER, by=w.customer_login)
    return [Event(**{**vars(hashed), "by": CUSTOMER}), changed]


PERSONAL_ACCOUNT_CASES: dict[str, Case] = {
    "account.apply": Case(applied),
    "account.withdraw": Case(withdrawn),
    "account.profile": Case(profile_saved),
    "account.password": Case(password_changed),
}
