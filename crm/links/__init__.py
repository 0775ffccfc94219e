"""One-time links e-mailed to people, and what opening them completes: a registration, an
invitation to the personal account, a password reset, a new e-mail address.

services/tokens.py makes, opens and voids the links; the other service modules are the
steps of each workflow; the pages are crm/auth's (registration.py, invitation.py,
password_reset.py, email_change.py) and the customer card's invitation button.
"""
