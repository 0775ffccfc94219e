from flask import render_template, request

from crm.customers.queries import clean_query
from crm.extensions import db
from crm.search import bp
from crm.search.queries import search


@bp.get("")
def index():
    # One hit is still a page of results, not a redirect: Back returns to where the search began.
    query = clean_query(request.args.get("q"))
    results = search(db.session, query) if query else None
    return render_template("search/index.html", query=query, results=results)
