"""The loans pages: the list and one loan with its steps (`loan`), a new application
(`application`), the schedule preview (`preview`) and the overdue queue (`overdue`)."""

from crm.loans.routes import application, loan, overdue, preview  # noqa: F401
