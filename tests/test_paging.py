"""Pages of a list (crm/paging.py): past the first page their rows are looked up late, and past
the middle from the list's end; every page must hold exactly the rows OFFSET would give."""

import pytest
from sqlalchemy import select

from crm.customers.queries import SORTS, search_customers
from crm.extensions import db
from crm.loans.queries.loans import LoanFilters, loans_list
from crm.models import Customer
from crm.paging import paginate
from tests import bulk, factories

PER_PAGE = 7


@pytest.fixture
def customers(app):
    app.config["PER_PAGE"] = PER_PAGE
    factories.CustomerFactory(patronymic=None)  # a NULL among the names: sorted at one end
    ids = bulk.add_customers(50)
    factories.CustomerFactory(last_name="Ярош", first_name="Яна")
    factories.CustomerFactory(last_name="Ярош", first_name="Яна")  # namesakes: by id
    return ids


def offset_page(statement, page: int) -> list[int]:
    rows = statement.limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    return [record.id for record in db.session.scalars(rows).unique()]


def page_of(app, statement, page: int, **options) -> tuple[list[int], int]:
    with app.test_request_context(f"/?page={page}"):
        result = paginate(statement, **options)
        return [record.id for record in result.items], result.total


@pytest.mark.parametrize("sort", sorted(SORTS))
def test_every_page_holds_the_rows_offset_gives(app, customers, sort):
    statement = search_customers(None, sort)
    total = len(customers) + 3
    last = -(-total // PER_PAGE)

    pages = [page_of(app, statement, page) for page in range(1, last + 1)]

    assert [ids for ids, _total in pages] == [offset_page(statement, n) for n in range(1, last + 1)]
    assert {total_ for _ids, total_ in pages} == {total}
    assert sorted(id_ for ids, _total in pages for id_ in ids) == sorted(
        record.id for record in db.session.scalars(statement).unique()
    )


def test_a_page_past_the_end_is_404(app, customers):
    from werkzeug.exceptions import NotFound

    with pytest.raises(NotFound):
        page_of(app, search_customers(None, "name"), 100)


def test_capped_lists_page_the_same_way(app, customers, product):
    bulk.add_loans(customers, product.id, 40)
    statement = loans_list()

    pages = [page_of(app, statement, page, capped=True)[0] for page in range(1, 7)]

    assert pages == [offset_page(statement, page) for page in range(1, 7)]


def test_sorted_first_the_first_page_reads_its_ids_first(app, customers, product, count_queries):
    namesakes = list(db.session.scalars(select(Customer.id).where(Customer.last_name == "Ярош")))
    bulk.add_loans(namesakes + customers, product.id, 2 * (len(customers) + 2))
    statement = loans_list(LoanFilters(query="Ярош"))

    with count_queries() as late:
        sorted_first = page_of(app, statement, 1, sort_first=True)[0]

    assert len(sorted_first) == 4
    assert sorted_first == offset_page(statement, 1)
    page_query = next(sql for sql in late.statements if sql.startswith("SELECT loans.id, "))
    # The page's ids are LIMITed inside, by the order alone; its rows, outside, are not.
    assert page_query.count("LIMIT") == 1
    assert page_query.index("LIMIT") < page_query.rindex("ORDER BY")
