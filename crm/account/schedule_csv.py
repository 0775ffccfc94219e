"""A loan's repayment schedule as a CSV file that Excel opens as it is, in Ukrainian as in
English: UTF-8 with a byte order mark (without it Excel reads the file in the computer's
code page), `;` between fields (Excel's list separator where decimals take a comma, as in
Ukrainian), amounts with two decimals and the language's decimal sign, dates in ISO 8601
(which Excel reads in any locale), a header row in the user's language."""

import csv
import io

from flask_babel import lazy_gettext as _l

from crm.i18n.formats import plain_amount
from crm.i18n.labels import ROW_STATE_LABELS
from crm.loans.queries.servicing import LoanServicing

BYTE_ORDER_MARK = "\ufeff"
SEPARATOR = ";"
HEADERS = (
    _l("No."),
    _l("Due date"),
    _l("Payment"),
    _l("Principal"),
    _l("Interest"),
    _l("Paid"),
    _l("Still owed"),
    _l("Paid on"),
    _l("Status"),
)


def schedule_csv(servicing: LoanServicing) -> str:
    """The schedule's rows with what is paid on each and its state, after a header row."""
    output = io.StringIO()
    output.write(BYTE_ORDER_MARK)
    writer = csv.writer(output, delimiter=SEPARATOR, lineterminator="\r\n")
    writer.writerow([str(header) for header in HEADERS])
    for line in servicing.lines:
        item = line.installment
        writer.writerow(
            [
                item.number,
                item.due_date.isoformat(),
                plain_amount(item.payment),
                plain_amount(item.principal),
                plain_amount(item.interest),
                plain_amount(line.paid),
                plain_amount(item.unpaid),
                item.paid_on.isoformat() if item.paid_on else "",
                str(ROW_STATE_LABELS[line.state]),
            ]
        )
    return output.getvalue()
