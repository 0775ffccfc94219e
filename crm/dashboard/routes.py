from flask import render_template

from crm.clock import lender_today
from crm.customers.queries import latest_customers
from crm.dashboard import bp
from crm.dashboard.charts import dashboard_charts
from crm.dashboard.figures import dashboard_figures
from crm.extensions import db
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
    manager_id = mine_manager_id()
    kept = dashboard_figures(db.session, lender_today(), manager_id)
    figures = kept.figures
    return render_template(
        "dashboard/index.html",
        mine=manager_id is not None,
        computed_at=kept.computed_at,
        summary=figures.summary,
        portfolio=figures.portfolio,
        most_overdue=figures.most_overdue,
        card_statuses=CARD_STATUSES,
        latest_loans=latest_loans(db.session, LATEST),
        latest_customers=latest_customers(db.session, LATEST),
        dashboard_charts=dashboard_charts(figures),
    )
