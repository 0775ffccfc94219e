from flask import current_app, render_template, request, url_for

from crm.audit.queries import customer_history
from crm.customers import bp, queries
from crm.extensions import db
from crm.loans.queries.loans import customer_loans, loan_counts_by_status
from crm.models import Customer
from crm.paging import page_number, paginate, per_page

#: Flask-Admin's edit form for a customer; the admin registers it.
ADMIN_EDIT_ENDPOINT = "customer.edit_view"


@bp.get("/")
def index():
    query = request.args.get("q", "").strip()
    sort = queries.sort_key(request.args.get("sort"))
    page = paginate(queries.search_customers(query, sort))
    return render_template("customers/index.html", page=page, query=query, sort=sort)


@bp.get("/<int:customer_id>")
def detail(customer_id: int):
    customer = db.get_or_404(Customer, customer_id, options=queries.customer_detail_options())
    counts = loan_counts_by_status(db.session, customer_id=customer.id)
    return render_template(
        "customers/detail.html",
        customer=customer,
        loans=customer_loans(db.session, customer.id),
        counts={status: count for status, count in counts.items() if count},
        loan_count=sum(counts.values()),
        admin_edit_url=admin_edit_url(customer),
        history=customer_history(
            db.session, customer.id, page=page_number("history_page"), per_page=per_page()
        ),
    )


def admin_edit_url(customer: Customer) -> str | None:
    """The admin's edit form for this customer (returning here after saving), if there is one."""
    if ADMIN_EDIT_ENDPOINT not in current_app.view_functions:
        return None
    return url_for(ADMIN_EDIT_ENDPOINT, id=customer.id, url=request.path)
