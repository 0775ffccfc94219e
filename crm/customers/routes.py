from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm import clock
from crm.auth.events import security_event
from crm.customers import bp, queries
from crm.customers.card import CardPages, customer_card
from crm.exports.columns import Column, Kind, streamed
from crm.exports.download import Export, download
from crm.exports.writers import FileFormat
from crm.extensions import db
from crm.links.services.invitation import invite_customer
from crm.mine import mine_manager_id
from crm.models import Customer
from crm.paging import page_number, paginate, per_page, table_rows
from crm.timeline.queries import chosen_groups
from crm.validation import FieldError

#: Flask-Admin's edit form for a customer; the admin registers it.
ADMIN_EDIT_ENDPOINT = "customer.edit_view"
#: The list's download (crm/exports/): a row per customer, every column a spreadsheet can use.
EXPORT = Export(
    name="customers",
    title=_l("Customers"),
    entity="customer",
    filters=("q", "mine", "sort"),
    columns=(
        Column(_l("No."), Kind.INTEGER, lambda customer: customer.id),
        Column(_l("Last name"), Kind.TEXT, lambda customer: customer.last_name),
        Column(_l("First name"), Kind.TEXT, lambda customer: customer.first_name),
        Column(_l("Patronymic"), Kind.TEXT, lambda customer: customer.patronymic),
        Column(_l("Phone"), Kind.TEXT, lambda customer: customer.phone),
        Column(_l("E-mail"), Kind.TEXT, lambda customer: customer.email),
        Column(_l("Tax id"), Kind.TEXT, lambda customer: customer.tax_id),
        Column(_l("Date of birth"), Kind.DATE, lambda customer: customer.birth_date),
        Column(_l("Address"), Kind.TEXT, lambda customer: customer.address),
        Column(
            _l("Manager"),
            Kind.TEXT,
            lambda customer: customer.manager and customer.manager.display_name,
        ),
        Column(_l("Added"), Kind.DATETIME, lambda customer: customer.created_at),
    ),
)


@bp.get("/")
def index():
    query, sort, manager_id = list_filters()
    whole_table = not query and manager_id is None
    page = paginate(
        queries.search_customers(query, sort, manager_id=manager_id),
        total=table_rows(Customer) if whole_table else None,
    )
    return render_template(
        "customers/index.html", page=page, query=query, sort=sort, mine=manager_id is not None
    )


@bp.get("/export.<any(csv, xlsx):file_format>")
def export(file_format: str):
    """The list as the page shows it (its search, "mine" and sort), every row of it."""
    query, sort, manager_id = list_filters()
    statement = queries.search_customers(query, sort, manager_id=manager_id)
    return download(EXPORT, FileFormat(file_format), lambda: streamed(db.session, statement))


def list_filters() -> tuple[str, str, int | None]:
    """The list's search (?q=), sort (?sort=) and manager (?mine=1), read the same way for
    the page and its export."""
    query = request.args.get("q", "").strip()
    return query, queries.sort_key(request.args.get("sort")), mine_manager_id()


@bp.get("/<int:customer_id>")
def detail(customer_id: int):
    groups = chosen_groups(request.args.getlist("timeline"))
    pages = CardPages(
        groups=groups,
        timeline_page=page_number("timeline_page"),
        history_page=page_number("history_page"),
        per_page=per_page(),
    )
    card = customer_card(
        db.session, customer_id, pages, as_of=clock.lender_today(), at=clock.utc_now()
    )
    if card is None:
        abort(404)
    counts = card.status_counts
    return render_template(
        "customers/detail.html",
        customer=card.customer,
        summary=card.summary,
        status_counts=counts,
        loans=card.loans,
        counts={status: count for status, count in counts.items() if count},
        loan_count=sum(counts.values()),
        admin_edit_url=admin_edit_url(card.customer),
        history=card.history,
        access=card.access,
        timeline_groups=groups,
        timeline=card.timeline,
        promise_states=card.promise_states,
    )


@bp.post("/<int:customer_id>/invite")
def invite(customer_id: int):
    """E-mail the customer an invitation to the personal account (crm/links/)."""
    customer = db.get_or_404(Customer, customer_id)
    try:
        email = invite_customer(db.session, customer)
    except FieldError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        security_event("invitation_sent", email=email, customer_id=customer.id)
        db.session.commit()
        flash(
            _("An invitation to the personal account has been sent to %(email)s.", email=email),
            "success",
        )
    return redirect(url_for("customers.detail", customer_id=customer_id))


def admin_edit_url(customer: Customer) -> str | None:
    """The admin's edit form for this customer (returning here after saving), if there is one."""
    if ADMIN_EDIT_ENDPOINT not in current_app.view_functions:
        return None
    return url_for(ADMIN_EDIT_ENDPOINT, id=customer.id, url=request.path)
