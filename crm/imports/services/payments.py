"""Payments from a bank statement, each row posted through the service the staff's payment
form uses (crm.loans.services.payments.record_payment): the same allocation to the
installments, the same checks and messages, the same audit trail.

A row finds its loan by the loan number, or by the customer's tax id when that customer has
exactly one active loan (with both, the loan must be that customer's). A payment whose
reference the loan already has is not posted again ("already posted"), and neither is a
second row of the file with the same loan and reference: re-running a statement posts
nothing twice.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crm.imports.services.fields import PAYMENT_FIELDS
from crm.imports.services.outcomes import RowOutcome, refusal
from crm.imports.services.settings import ImportSettings
from crm.imports.services.values import read_amount, read_day, read_loan_number
from crm.lending.status import LoanStatus
from crm.loans.services.payments import record_payment
from crm.models import Customer, ImportOutcome, Loan
from crm.validation import FieldError, clean_tax_id

LABELS = {field.name: field.label for field in PAYMENT_FIELDS}


@dataclass(frozen=True)
class PaymentRow:
    """A row read: what the payment service takes, and what finds the loan."""

    number: int
    paid_on: date | None
    amount: Decimal | None
    reference: str
    loan_id: int | None
    tax_id: str | None


class Loans:
    """The loans a chunk's rows name, read in one query for the numbers and one for the
    tax ids (the customers with such a tax id, and their active loans)."""

    def __init__(self, session: Session, rows: list[PaymentRow]) -> None:
        numbers = sorted({row.loan_id for row in rows if row.loan_id})
        tax_ids = sorted({row.tax_id for row in rows if row.tax_id})
        self.by_id: dict[int, Loan] = {}
        self.tax_id_of: dict[int, str | None] = {}
        self.active_by_tax_id: dict[str, list[Loan]] = {}
        if numbers:
            statement = (
                select(Loan, Customer.tax_id).join(Loan.customer).where(Loan.id.in_(numbers))
            )
            for loan, tax_id in session.execute(statement):
                self.by_id[loan.id] = loan
                self.tax_id_of[loan.id] = tax_id
        if tax_ids:
            statement = (
                select(Customer.tax_id, Loan)
                .outerjoin(
                    Loan, (Loan.customer_id == Customer.id) & (Loan.status == LoanStatus.ACTIVE)
                )
                .where(Customer.tax_id.in_(tax_ids))
                .order_by(Loan.id)
            )
            for tax_id, loan in session.execute(statement):
                loans = self.active_by_tax_id.setdefault(tax_id, [])
                if loan is not None:
                    loans.append(loan)

    def find(self, row: PaymentRow) -> Loan:
        """The row's loan; FieldError when there is none, or no one loan."""
        if row.loan_id is not None:
            return self._numbered(row)
        loans = self.active_by_tax_id.get(row.tax_id)
        if loans is None:
            raise FieldError("tax_id", _("No customer has this tax id."))
        if not loans:
            raise FieldError("tax_id", _("The customer with this tax id has no active loan."))
        if len(loans) > 1:
            raise FieldError(
                "loan",
                ngettext(
                    "The customer has %(num)d active loan: give the loan number.",
                    "The customer has %(num)d active loans: give the loan number.",
                    len(loans),
                ),
            )
        return loans[0]

    def _numbered(self, row: PaymentRow) -> Loan:
        loan = self.by_id.get(row.loan_id)
        if loan is None:
            raise FieldError("loan", _("There is no loan #%(number)d.", number=row.loan_id))
        if row.tax_id is not None and self.tax_id_of[loan.id] != row.tax_id:
            raise FieldError(
                "tax_id",
                _(
                    "Loan %(number)s is not a loan of the customer with this tax id.",
                    number=str(loan),
                ),
            )
        return loan


class PaymentImporter:
    """Posts the rows of one file, a chunk at a time (crm.imports.services.run)."""

    def __init__(self, session: Session, settings: ImportSettings) -> None:
        self.session = session
        self.settings = settings
        #: (loan id, reference) → the row of this file that posted it (or found it posted).
        self.posted: dict[tuple[int, str], int] = {}

    def import_chunk(self, rows: list[tuple[int, dict[str, str]]]) -> list[RowOutcome]:
        read = [self._read(number, data) for number, data in rows]
        loans = Loans(self.session, [row for row in read if isinstance(row, PaymentRow)])
        return [row if isinstance(row, RowOutcome) else self._post(row, loans) for row in read]

    def _read(self, number: int, data: dict[str, str]) -> PaymentRow | RowOutcome:
        try:
            row = PaymentRow(
                number,
                paid_on=read_day(data.get("paid_on"), "paid_on"),
                amount=read_amount(data.get("amount"), "amount"),
                reference=data.get("reference", "").strip(),
                loan_id=read_loan_number(data.get("loan"), "loan"),
                tax_id=clean_tax_id(data.get("tax_id")),
            )
        except FieldError as error:
            return refusal(number, error, LABELS)
        if row.loan_id is None and row.tax_id is None:
            message = _("Give the loan number or the customer's tax id.")
            return refusal(number, FieldError("loan", message), LABELS)
        return row

    def _post(self, row: PaymentRow, loans: Loans) -> RowOutcome:
        try:
            loan = loans.find(row)
        except FieldError as error:
            return refusal(row.number, error, LABELS)
        earlier = self.posted.get((loan.id, row.reference))
        if earlier is not None:
            reason = _(
                "Row %(row)d of this file has the same reference for this loan.", row=earlier
            )
            return RowOutcome(
                row.number, ImportOutcome.ALREADY_POSTED, loan.id, str(loan), reason=reason
            )
        try:
            with self.session.begin_nested():
                posting = record_payment(
                    self.session,
                    loan,
                    amount=row.amount,
                    paid_on=row.paid_on,
                    reference=row.reference,
                    by=self.settings.by,
                    today=self.settings.today,
                )
        except FieldError as error:
            return refusal(row.number, error, LABELS, str(loan))
        except IntegrityError:
            # Someone posted the same reference on the loan between the look-up and the insert.
            posting = None
        self.posted[(loan.id, row.reference)] = row.number
        if posting is None or not posting.created:
            reason = _("The loan has a payment with this reference already.")
            return RowOutcome(
                row.number, ImportOutcome.ALREADY_POSTED, loan.id, str(loan), reason=reason
            )
        return RowOutcome(row.number, ImportOutcome.POSTED, loan.id, str(loan))
