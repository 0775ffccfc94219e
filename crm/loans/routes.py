from flask import abort, render_template, request
from flask_babel import gettext as _

from crm.extensions import db
from crm.loans import bp, queries
from crm.models import Loan, LoanStatus
from crm.paging import paginate
from crm.products.queries import product_names


@bp.get("/")
def index():
    status = status_arg(request.args.get("status"))
    product_id = request.args.get("product", type=int)
    page = paginate(queries.loans_list(status=status, product_id=product_id))
    return render_template(
        "loans/index.html",
        page=page,
        status=status,
        product_id=product_id,
        statuses=list(LoanStatus),
        products=product_names(db.session),
    )


@bp.get("/<int:loan_id>")
def detail(loan_id: int):
    loan = db.get_or_404(Loan, loan_id, options=queries.loan_detail_options())
    return render_template("loans/detail.html", loan=loan)


def status_arg(value: str | None) -> LoanStatus | None:
    """The ?status= filter; empty means all, an unknown status is a 400 that says so."""
    if not value:
        return None
    try:
        return LoanStatus(value)
    except ValueError:
        abort(400, description=_("There is no loan status “%(status)s”.", status=value[:40]))
