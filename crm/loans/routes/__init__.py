"""The loans pages: the list and one loan with its steps (`loan`), a new application
(`application`), the schedule preview (`preview`), the overdue queue (`overdue`), the
payments journal (`payments`), and the lists as CSV and XLSX files (`exports`)."""

from crm.loans.routes import application, exports, loan, overdue, payments, preview  # noqa: F401
