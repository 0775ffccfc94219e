"""The loans pages: the list and one loan with its steps (`loan`), the schedule preview
(`preview`) and the overdue queue (`overdue`)."""

from crm.loans.routes import loan, overdue, preview  # noqa: F401
