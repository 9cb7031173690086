"""Extension objects, created unbound and attached to the app in create_app()."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from huey import Huey
from huey.storage import MemoryStorage
from sqlalchemy.exc import DBAPIError

from eventsys.db import Base

if TYPE_CHECKING:
    from flask_sqlalchemy.model import Model as FlaskModel
    from flask_sqlalchemy.session import Session as FlaskSession
    from sqlalchemy.orm import scoped_session

    class ScopedSession(FlaskSession, scoped_session[FlaskSession]):
        """What `db.session` is to the type checker: a scoped_session forwards every Session
        method to the current scope's Session, so services declare a plain `Session` and take
        `db.session` in the app and a bare Session in the CLI, workers and tests alike."""

    class Model(Base, FlaskModel):
        """What `db.Model` is at run time: Base with Flask-SQLAlchemy's query and bind mixins."""


class Database(SQLAlchemy):
    """Flask-SQLAlchemy, with its request-scoped session typed for the services (see above)."""

    if TYPE_CHECKING:
        session: ScopedSession

    def _teardown_session(self, exc: BaseException | None) -> None:
        """Ends the request's session. While the database restarts, the rollback that ends it
        fails on a dead connection; that must not turn an answer already made into a 500 (or
        leave the dead connection in the pool), so the session's connections are discarded."""
        registry = self.session.registry
        if not registry.has():
            return
        session = registry()
        try:
            session.close()
        except DBAPIError:
            session.invalidate()
        finally:
            registry.clear()


db = Database(model_class=Base)
if not TYPE_CHECKING:
    # The models' base class; spelled once here so the type checker sees a class, not an attribute.
    Model = db.Model
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)
babel = Babel()
# init_queue() picks the storage from the configuration; tasks bind to this one object.
huey = Huey("eventsys", storage_class=MemoryStorage)
