"""The audit trail (crm.models.AuditEvent): every change to a business record is written
down in the transaction that makes it, by one hook on the database session
(crm.audit.recorder), whichever entry point made it — the staff site, the admin, the
personal account or a command. Which models it covers, and why the others are left out, is
crm.audit.registry; who acted and from where is crm.audit.context."""

from flask import Flask


def register(app: Flask) -> None:
    from crm.audit import context, recorder

    context.register(app)
    recorder.register()
