"""Reading loans: lists and counts (`loans`), one loan's schedule and cost (`servicing`),
the portfolio figures (`portfolio`) and the overdue queue (`overdue`)."""
