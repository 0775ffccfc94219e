"""Flask-Admin at /admin, built per app (never at import time)."""

from flask import Flask
from flask_admin import Admin


def init_admin(app: Flask) -> Admin:
    admin = Admin(name="Credit CRM")
    admin.init_app(app)
    return admin
