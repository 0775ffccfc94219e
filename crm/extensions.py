"""Extensions, created unbound; create_app() binds them to each app."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mailman import Mail
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from crm.models.base import Base

db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
#: Sends the outbox's messages (crm/mail/delivery.py); never called by views directly.
mail = Mail()
#: Limits only where a view asks for them (crm/auth/limits.py); by the client's address unless
#: the limit names another key. A moving window, so that no burst fits across a window's edge.
limiter = Limiter(get_remote_address, key_prefix="crm", strategy="moving-window")
