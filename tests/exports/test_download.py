"""The download itself (crm/exports/download.py): streamed a chunk at a time, audited when
the stream ends (also when the client goes away part-way), in a fixed number of queries
however long the list, and leaving no temporary file behind."""

import tempfile

import pytest

from crm.exports import writers
from tests import bulk, factories
from tests.exports.conftest import export_events, facts, sheet_rows, xlsx_sheet


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """Where the temporary files go during the test."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def test_a_client_that_goes_away_is_audited_with_the_rows_it_took(staff_client, monkeypatch):
    monkeypatch.setattr(writers, "CHUNK_SIZE", 2000)
    bulk.add_customers(300)
    response = staff_client.get("/customers/export.csv", buffered=False)
    chunks = iter(response.response)

    taken = [next(chunks) for _ in range(3)]
    response.close()  # what the server does when the client has gone

    [event] = export_events()
    # The header, then a chunk of rows the client took and asked for more after; the third
    # was handed over when the client went, and is not counted.
    assert taken[0].count(b"\r\n") == 1
    assert facts(event)["rows"] == taken[1].count(b"\r\n") > 0
    assert facts(event)["complete"] is False


def test_the_rows_come_a_chunk_at_a_time(staff_client, monkeypatch):
    monkeypatch.setattr(writers, "CHUNK_SIZE", 2000)
    bulk.add_customers(300)
    response = staff_client.get("/customers/export.csv", buffered=False)
    chunks = list(response.response)
    response.close()
    assert len(chunks) > 10
    assert sum(chunk.count(b"\r\n") for chunk in chunks) == 301
    assert facts(export_events()[0])["rows"] == 300


def test_the_xlsx_leaves_no_temporary_file(staff_client, scratch):
    bulk.add_customers(30)
    assert len(sheet_rows(xlsx_sheet(staff_client.get("/customers/export.xlsx")))) == 31
    assert list(scratch.iterdir()) == []

    response = staff_client.get("/customers/export.xlsx", buffered=False)
    next(iter(response.response))
    response.close()
    assert list(scratch.iterdir()) == []
    complete, cut_short = export_events()
    assert (facts(complete)["rows"], facts(complete)["complete"]) == (30, True)
    # The file was written whole before the first byte went: its rows, but not complete.
    assert (facts(cut_short)["rows"], facts(cut_short)["complete"]) == (30, False)


@pytest.mark.parametrize(
    "path", ["/customers/export.csv", "/loans/export.xlsx", "/loans/payments/export.csv"]
)
def test_an_export_takes_the_same_queries_however_long_the_list(staff_client, count_queries, path):
    product = factories.ProductFactory()
    bulk.add_loans(bulk.add_customers(5), product.id, 5)
    with count_queries() as small:
        staff_client.get(path).get_data()
    bulk.add_loans(bulk.add_customers(500), product.id, 1500)
    with count_queries() as large:
        staff_client.get(path).get_data()
    assert small.count == large.count, large.statements
    # The user, the rows (one statement, read a batch at a time), the audit event.
    assert large.count <= 4, large.statements
    assert [facts(event)["rows"] for event in export_events()][-1] in (505, 1505, 0)
