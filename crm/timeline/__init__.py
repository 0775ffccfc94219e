"""A customer's timeline: the contacts staff logged and what happened to the customer's
loans, newest first, read from the records and the audit trail rather than typed twice.
The customer's card (crm/customers) renders it; it has no pages of its own."""
