"""Collections: the day's run over the book (`flask --app wsgi collections daily`) — the
outcome of promises to pay, follow-up tasks for the managers, reminders to customers."""
