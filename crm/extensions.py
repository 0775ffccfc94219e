"""Extensions, created unbound; create_app() binds them to each app."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from crm.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
#: Limits only where a view asks for them (crm/auth/limits.py); by the client's address unless
#: the limit names another key. A moving window, so that no burst fits across a window's edge.
limiter = Limiter(get_remote_address, key_prefix="crm", strategy="moving-window")
