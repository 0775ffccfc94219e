from flask import render_template

from crm.clock import lender_today
from crm.customers.queries import latest_customers
from crm.dashboard import bp, queries
from crm.dashboard.charts import dashboard_charts
from crm.extensions import db
from crm.lending.status import LoanStatus
from crm.loans.queries.loans import latest_loans
from crm.loans.queries.overdue import most_overdue
from crm.loans.queries.portfolio import portfolio
from crm.mine import mine_manager_id

#: Rows in each "latest" table and in the most overdue loans.
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
    as_of = lender_today()
    manager_id = mine_manager_id()
    return render_template(
        "dashboard/index.html",
        mine=manager_id is not None,
        summary=queries.summary(db.session, manager_id=manager_id),
        portfolio=portfolio(db.session, as_of),
        most_overdue=most_overdue(db.session, as_of, LATEST),
        card_statuses=CARD_STATUSES,
        latest_loans=latest_loans(db.session, LATEST),
        latest_customers=latest_customers(db.session, LATEST),
        dashboard_charts=dashboard_charts(db.session, as_of, manager_id),
    )
