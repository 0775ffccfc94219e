"""Reading loans: lists and counts (`loans`), one loan's schedule and cost (`servicing`),
the portfolio figures (`portfolio`), the overdue queue (`overdue`) and the payments journal
(`payments`)."""
