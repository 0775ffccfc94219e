"""The personal account's pages: the overview and each loan with its schedule (`loans`),
applying for a loan with the schedule previewed (`apply`), and the customer's own details
and password (`profile`). The customer is always the logged-in one: every record is looked
up within their own (crm/account/queries.py), so another customer's is not found (404)."""

from crm.account.routes import apply, loans, profile  # noqa: F401
