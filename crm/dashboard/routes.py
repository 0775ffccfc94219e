from datetime import date

from flask import render_template
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm import Session

from crm.clock import lender_today
from crm.customers.queries import latest_customers
from crm.dashboard import bp
from crm.dashboard.charts import dashboard_charts
from crm.dashboard.figures import dashboard_figures
from crm.extensions import db
from crm.figures_cache import Kept, kept
from crm.lending.status import LoanStatus
from crm.loans.queries.loans import latest_loans
from crm.mine import mine_manager_id

#: Rows in each "latest" table.
LATEST = 10
#: The order of the status cards: refused, pending, active and finished first (the figures
#: managers look for), then the rest of the lifecycle.
CARD_STATUSES = (
    LoanStatus.REFUSED,
    LoanStatus.PENDING,
    LoanStatus.ACTIVE,
    LoanStatus.FINISHED,
    LoanStatus.WITHDRAWN,
    LoanStatus.WRITTEN_OFF,
)


@bp.get("/")
def index():
    page = dashboard_page(db.session, lender_today(), mine_manager_id())
    # What our own template rendered, escaped there.
    return render_template("dashboard/index.html", content=Markup(page.figures))  # noqa: S704


def dashboard_page(session: Session, today: date, manager_id: int | None) -> Kept[str]:
    """The dashboard below its heading, rendered in the user's language: kept as the figures
    are (crm/figures_cache.py), so that a view of an unchanged dashboard renders only the
    page around it."""
    language = str(get_locale() or "en")
    key = f"dashboard-page:{today.isoformat()}:{manager_id or 'all'}:{language}"
    return kept(
        session, key, lambda: render_content(session, today, manager_id), reader_id=current_user.id
    )


def render_content(session: Session, today: date, manager_id: int | None) -> str:
    figures = dashboard_figures(session, today, manager_id, reader_id=current_user.id)
    return render_template(
        "dashboard/_content.html",
        mine=manager_id is not None,
        computed_at=figures.computed_at,
        summary=figures.figures.summary,
        portfolio=figures.figures.portfolio,
        most_overdue=figures.figures.most_overdue,
        card_statuses=CARD_STATUSES,
        latest_loans=latest_loans(session, LATEST),
        latest_customers=latest_customers(session, LATEST),
        dashboard_charts=dashboard_charts(figures.figures),
    )
