"""Log-in sessions kept in the database (crm.models.UserSession): opened at log-in, looked
up on every request, ended by a log-out, a password change, a deactivation, a role change or
an admin. Writes in `services`, reads in `queries`; the cookies and Flask-Login are wired to
them in crm.auth.login_sessions."""
