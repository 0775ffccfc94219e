"""The schedule a loan would have on terms as typed, before anything is stored: the terms
checked against the product as an application would be, then the schedule and its cost.
The staff's loan forms and the customer's application form show it (GET /loans/preview,
GET /account/preview)."""

from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from crm.i18n.formats import parse_amount
from crm.loans.queries.servicing import SchedulePreview
from crm.loans.services.applications import check_application
from crm.models import Loan, Product
from crm.validation import FieldError, parse_id


def preview_terms(
    session: Session,
    *,
    product_id: str | None,
    amount: str | None,
    term_months: int | None,
    loan_id: str | None = None,
    offered_only: bool = False,
) -> tuple[Product, Decimal, int, Decimal]:
    """The product, amount, term and rate (percent a year) of the terms as typed, checked
    against the product's limits; FieldError names the first bad one ("product", "amount",
    "term_months").

    With `offered_only` a product no longer offered is refused, as a new application for
    it would be. With `loan_id`, a loan that keeps its product keeps the rate copied at
    application (the staff's edit form; the customer's preview never names a loan).
    """
    parsed_id = parse_id(product_id)
    product = None if parsed_id is None else session.get(Product, parsed_id)
    if product is None:
        raise FieldError("product", _("Pick a product."))
    try:
        money = parse_amount(amount)
    except ValueError:
        raise FieldError(
            "amount", _("Type an amount such as %(example)s.", example="1234.56")
        ) from None
    money, term_months = check_application(product, money, term_months, new_product=offered_only)
    rate = product.annual_rate
    parsed_loan_id = parse_id(loan_id)
    if parsed_loan_id is not None:
        loan = session.get(Loan, parsed_loan_id)
        if loan is not None and loan.product_id == product.id:
            rate = loan.annual_rate
    return product, money, term_months, rate


def preview_data(result: SchedulePreview) -> dict[str, Any]:
    """The preview as JSON data: the schedule's rows, the totals and the APRC, money as
    strings with two decimals."""
    schedule, disclosure = result.schedule, result.disclosure
    return {
        "method": schedule.method,
        "annual_rate": schedule.annual_rate_percent,
        "disbursed_on": schedule.disbursed_on.isoformat(),
        "rows": [
            {
                "number": row.number,
                "due_date": row.due_date.isoformat(),
                "principal": row.principal,
                "interest": row.interest,
                "payment": row.payment,
                "balance": row.balance,
            }
            for row in schedule.rows
        ],
        "totals": {
            "principal": disclosure.total_principal,
            "interest": disclosure.total_interest,
            "payable": disclosure.total_payable,
        },
        "aprc": disclosure.apr_percent,
    }
