"""The coverage cases of the steps on a loan (crm/loans/routes/loan.py), posted by the admin
on the World's loans: `pending` (10 000 at 12 % for 12 months, annuity) and `active` (the
same, disbursed on 2025-01-15, with a payment of 100.00 that paid the first interest)."""

from collections.abc import Callable
from unittest.mock import ANY

from crm.extensions import db
from crm.models import Loan
from tests.audit.cases import PAID_ON, Case, Ctx, loan_event, nothing, owed, payment_id
from tests.audit.expected import Event
from tests.fuzz.routes import Route, World
from tests.loans.conftest import pay

#: The first two installments of the World's loans: (principal, interest).
FIRST, SECOND = ("788.49", "100.00"), ("796.37", "92.12")
#: The due dates of their twelve installments.
DUE = [f"2025-{month:02d}-15" for month in range(2, 13)] + ["2026-01-15"]
REVERSAL_REASON = "Помилка каси"


def started(ctx: Ctx) -> list[Event]:
    w = ctx.world
    loan = loan_event(
        ctx,
        "start",
        "loan",
        w.pending,
        "pending",
        {
            "status": ["pending", "active"],
            "disbursed_on": [None, PAID_ON],
            "decided_at": [None, ctx.now],
            "decided_by_id": [None, w.admin],
            "principal_outstanding": ["0.00", "10000.00"],
            "oldest_unpaid_due_on": [None, DUE[0]],
        },
    )
    first = {"principal": [None, FIRST[0]], "interest": [None, FIRST[1]]}
    installments = [
        loan_event(
            ctx,
            "start",
            "installment",
            ANY,
            "pending",
            {"number": [None, number], "due_date": [None, DUE[number - 1]]}
            | (first if number == 1 else {}),
        )
        for number in range(1, 13)
    ]
    return [loan, *installments]


def applied(ctx: Ctx) -> list[Event]:
    w = ctx.world
    changes = {
        "customer_id": [None, w.customer],
        "product_id": [None, w.product],
        "amount": [None, "5000.00"],
        "term_months": [None, 12],
        "status": [None, "pending"],
    }
    return [Event("create", "loan", changes=changes, by="admin", customer_id=w.customer)]


def decided(action: str, status: str, **changes: list) -> Callable[[Ctx], list[Event]]:
    def expect(ctx: Ctx) -> list[Event]:
        w = ctx.world
        decision = {
            "status": ["pending", status],
            "decided_at": [None, ctx.now],
            "decided_by_id": [None, w.admin],
        }
        return [loan_event(ctx, action, "loan", w.pending, "pending", decision | changes)]

    return expect


def written_off(ctx: Ctx) -> list[Event]:
    w = ctx.world
    changes = {
        "status": ["active", "written_off"],
        "write_off_reason": [None, "Позичальника не знайдено"],
        "written_off_at": [None, ctx.now],
        "written_off_by_id": [None, w.admin],
    }
    return [loan_event(ctx, "write_off", "loan", w.active, "active", changes)]


def paid(ctx: Ctx) -> list[Event]:
    """1 000.50 on the active loan: the rest of the first installment (its principal), then
    the second's interest and part of its principal."""
    w = ctx.world
    return [
        payment_made(ctx, "1000.50", "BANK-1"),
        installment(ctx, 1, {"principal_paid": ["0.00", FIRST[0]], "paid_on": [None, PAID_ON]}),
        installment(
            ctx, 2, {"interest_paid": ["0.00", SECOND[1]], "principal_paid": ["0.00", "119.89"]}
        ),
        loan_event(
            ctx,
            "payment",
            "loan",
            w.active,
            "active",
            {
                "principal_outstanding": ["10000.00", "9091.62"],
                "oldest_unpaid_due_on": [DUE[0], DUE[1]],
            },
        ),
    ]


def paid_in_full(ctx: Ctx) -> list[Event]:
    """What the loan still owes, at once: every installment is paid, the loan finished (a
    change of status that is no lifecycle step of its own: the payment's)."""
    w = ctx.world
    amount = owed(w.active)
    loan = {
        "status": ["active", "finished"],
        "principal_outstanding": ["10000.00", "0.00"],
        "oldest_unpaid_due_on": [DUE[0], None],
    }
    return [
        payment_made(ctx, amount, "BANK-2"),
        *(installment(ctx, number, {"paid_on": [None, PAID_ON]}) for number in range(1, 13)),
        loan_event(ctx, "payment", "loan", w.active, "active", loan),
    ]


def payment_made(ctx: Ctx, amount: str, reference: str) -> Event:
    w = ctx.world
    changes = {
        "loan_id": [None, w.active],
        "amount": [None, amount],
        "paid_on": [None, PAID_ON],
        "reference": [None, reference],
        "recorded_by_id": [None, w.admin],
    }
    return loan_event(ctx, "payment", "payment", ANY, "active", changes)


def installment(ctx: Ctx, number: int, changes: dict, action: str = "payment") -> Event:
    record_id = ctx.installment(ctx.world.active, number)
    return loan_event(ctx, action, "installment", record_id, "active", changes)


def reversed_payment(ctx: Ctx, record_id: int) -> Event:
    changes = {
        "reversed_at": [None, ctx.now],
        "reversed_by_id": [None, ctx.world.admin],
        "reversal_reason": [None, REVERSAL_REASON],
    }
    return loan_event(ctx, "reversal", "payment", record_id, "active", changes)


def reversed_interest(ctx: Ctx) -> list[Event]:
    """The World's payment of 100.00 paid interest only: the loan's principal stays."""
    return [
        reversed_payment(ctx, ctx.world.payment),
        installment(ctx, 1, {"interest_paid": [FIRST[1], "0.00"]}, "reversal"),
    ]


def pay_principal(ctx: Ctx) -> None:
    pay(db.session.get(Loan, ctx.world.active), ctx.user("user"), "1000.50", "BANK-9")


def reversed_principal(ctx: Ctx) -> list[Event]:
    """A payment of principal reversed: the installments and the loan owe it again."""
    w = ctx.world
    return [
        reversed_payment(ctx, payment_id(w.active, "BANK-9")),
        installment(
            ctx, 1, {"principal_paid": [FIRST[0], "0.00"], "paid_on": [PAID_ON, None]}, "reversal"
        ),
        installment(
            ctx,
            2,
            {"interest_paid": [SECOND[1], "0.00"], "principal_paid": ["119.89", "0.00"]},
            "reversal",
        ),
        loan_event(
            ctx,
            "reversal",
            "loan",
            w.active,
            "active",
            {
                "principal_outstanding": ["9091.62", "10000.00"],
                "oldest_unpaid_due_on": [DUE[1], DUE[0]],
            },
        ),
    ]


def reverse_url(world: World) -> str:
    return f"/loans/{world.active}/payments/{payment_id(world.active, 'BANK-9')}/reverse"


LOAN_CASES: dict[str, Case] = {
    "loans.new_application": Case(applied),
    "loans.start": Case(started),
    "loans.refuse": Case(
        decided("refuse", "refused", refusal_reason=[None, "Дохід не підтверджено"])
    ),
    "loans.withdraw": Case(decided("withdraw", "withdrawn")),
    "loans.write_off": Case(written_off),
    "loans.record_payment": Case(paid),
    "loans.record_payment (the last one)": Case(
        paid_in_full,
        Route(
            lambda w: f"/loans/{w.active}/payments",
            lambda w: {"amount": owed(w.active), "paid_on": PAID_ON, "reference": "BANK-2"},
        ),
    ),
    # The World's payment again (its reference): already recorded, so nothing is written.
    "loans.record_payment (posted again)": Case(
        nothing,
        Route(
            lambda w: f"/loans/{w.active}/payments",
            {"amount": "100.00", "paid_on": PAID_ON, "reference": "BANK-0"},
        ),
    ),
    "loans.reverse_payment": Case(reversed_interest),
    "loans.reverse_payment (of principal)": Case(
        reversed_principal,
        Route(reverse_url, {"reason": REVERSAL_REASON}),
        setup=pay_principal,
    ),
}
