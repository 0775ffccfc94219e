from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from crm.extensions import db
from crm.health import bp


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return {"status": "error", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}
