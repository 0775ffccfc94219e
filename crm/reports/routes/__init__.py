"""The reports' pages: the portfolio as of a day (`portfolio`), the reports of a period
(`period`) and the loans behind a figure (`loans`)."""

from crm.reports.routes import loans, period, portfolio  # noqa: F401
