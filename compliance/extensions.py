"""Unbound extension objects; the app factory binds them."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints, so later migrations can alter them on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class SessionOnlyLoginManager(LoginManager):
    """Flask-Login for sign-ins that last as long as the browser session: no remember-me.

    Sign-in never asks for a remember-me cookie, so Flask-Login's after-request hook that keeps
    one up to date has nothing to do: it is taken off again. It read the session on every
    request, which marked every answer `Vary: Cookie` and cost a sixth of Flask's own time on a
    verify call.
    """

    def init_app(self, app, add_context_processor=True):
        super().init_app(app, add_context_processor)
        app.after_request_funcs[None].remove(self._update_remember_cookie)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = SessionOnlyLoginManager()
csrf = CSRFProtect()
# Storage comes from RATELIMIT_STORAGE_URI, set by the factory from COMPLIANCE_REDIS_URL.
limiter = Limiter(key_func=get_remote_address)
