"""A loan's repayment schedule as a CSV file that Excel opens as it is, in Ukrainian as in
English (crm.exports.writers says how): a header row in the user's language, then the
schedule's rows with what is paid on each and its state."""

from flask_babel import lazy_gettext as _l

from crm.exports.columns import Column, Kind
from crm.exports.writers import csv_bytes
from crm.i18n.labels import ROW_STATE_LABELS
from crm.loans.queries.servicing import LoanServicing

COLUMNS = (
    Column(_l("No."), Kind.INTEGER, lambda line: line.installment.number),
    Column(_l("Due date"), Kind.DATE, lambda line: line.installment.due_date),
    Column(_l("Payment"), Kind.MONEY, lambda line: line.installment.payment),
    Column(_l("Principal"), Kind.MONEY, lambda line: line.installment.principal),
    Column(_l("Interest"), Kind.MONEY, lambda line: line.installment.interest),
    Column(_l("Paid"), Kind.MONEY, lambda line: line.paid),
    Column(_l("Still owed"), Kind.MONEY, lambda line: line.installment.unpaid),
    Column(_l("Paid on"), Kind.DATE, lambda line: line.installment.paid_on),
    Column(_l("Status"), Kind.TEXT, lambda line: line.state, ROW_STATE_LABELS),
)


def schedule_csv(servicing: LoanServicing) -> bytes:
    """The schedule's rows with what is paid on each and its state, after a header row."""
    return csv_bytes(COLUMNS, servicing.lines)
