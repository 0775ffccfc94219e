"""The admin's import (crm/admin/imports.py): upload, mapping, dry run, apply, the refused
rows; admins only; the file kept in the database between the steps."""

import io
import re

import pytest
from sqlalchemy import func, select

from crm.extensions import db
from crm.models import Customer, ImportBatch, ImportMapping, ImportStatus
from tests import factories
from tests.imports.conftest import table_rows
from tests.imports.files import CUSTOMER_HEADERS, csv_bytes, customer_row, xlsx_bytes

PAGES = ["/admin/imports/"]


def upload(client, content: bytes, name: str = "клієнти.csv", kind: str = "customers"):
    data = {"kind": kind, "file": (io.BytesIO(content), name)}
    return client.post("/admin/imports/", data=data, content_type="multipart/form-data")


def batch_id(response) -> int:
    return int(re.search(r"/admin/imports/(\d+)/", response.headers["Location"]).group(1))


def mapping_form(html: str) -> dict[str, str]:
    """The mapping page's choices as preselected."""
    form = {}
    for name, body in re.findall(r'<select[^>]*name="(column_\d+)">(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        form[name] = chosen.group(1) if chosen else ""
    return form


def customers() -> int:
    return db.session.scalar(select(func.count()).select_from(Customer))


@pytest.mark.parametrize("fixture", ["manager", "customer_user"])
def test_only_admins_open_the_imports(client, login, request, fixture):
    login(request.getfixturevalue(fixture))
    assert client.get("/admin/imports/").status_code == 403
    assert upload(client, csv_bytes([customer_row(1)])).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(ImportBatch)) == 0


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get("/admin/imports/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_the_admin_menu_links_the_imports(admin_client):
    html = admin_client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/imports/"' in html


def test_upload_mapping_dry_run_apply_and_the_refused_rows_end_to_end(admin_client):
    existing = factories.CustomerFactory()
    rows = [customer_row(1), customer_row(2, phone=existing.phone), customer_row(3, phone="12")]

    uploaded = upload(admin_client, csv_bytes(rows))
    assert uploaded.status_code == 302
    number = batch_id(uploaded)
    page = admin_client.get(f"/admin/imports/{number}/mapping")
    assert page.status_code == 200
    form = mapping_form(page.get_data(as_text=True))
    assert list(form.values()) == [
        "last_name",
        "first_name",
        "patronymic",
        "phone",
        "email",
        "birth_date",
        "tax_id",
        "address",
    ]

    before = table_rows()
    checked = admin_client.post(f"/admin/imports/{number}/mapping", data=form)
    assert checked.status_code == 302
    dry_run = admin_client.get(checked.headers["Location"]).get_data(as_text=True)
    # Nothing written but the mapping remembered for these headers.
    assert table_rows() == {**before, "import_mappings": 1}
    assert "Nothing has been written yet" in dry_run
    assert f'href="/customers/{existing.id}"' in dry_run
    assert "Another customer already has this phone number." in dry_run
    version = re.search(r'name="version" value="(\d+)"', dry_run).group(1)

    applied = admin_client.post(f"/admin/imports/{number}/apply", data={"version": version})
    assert applied.status_code == 302
    result = admin_client.get(applied.headers["Location"]).get_data(as_text=True)
    assert "The file is imported; 2 rows were refused" in result
    assert customers() == 2
    created = db.session.scalar(select(Customer).where(Customer.tax_id == "2500000001"))
    assert f'href="/customers/{created.id}"' in result

    refused = admin_client.get(f"/admin/imports/{number}/refused.csv")
    assert refused.status_code == 200
    assert refused.headers["Content-Disposition"].startswith("attachment")
    assert refused.headers["Cache-Control"] == "no-store"
    lines = refused.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert len(lines) == 3
    assert lines[1].endswith(";3;Phone: Another customer already has this phone number.")


def test_a_batch_is_applied_once_and_only_as_the_dry_run_the_admin_saw(admin_client):
    number = batch_id(upload(admin_client, csv_bytes([customer_row(1)])))
    admin_client.post(
        f"/admin/imports/{number}/mapping",
        data=mapping_form(
            admin_client.get(f"/admin/imports/{number}/mapping").get_data(as_text=True)
        ),
    )
    version = db.session.get(ImportBatch, number).version

    stale = admin_client.post(f"/admin/imports/{number}/apply", data={"version": version - 1})
    applied = admin_client.post(f"/admin/imports/{number}/apply", data={"version": version})
    db.session.expire_all()
    now = db.session.get(ImportBatch, number).version
    again = admin_client.post(f"/admin/imports/{number}/apply", data={"version": now})

    assert stale.status_code == applied.status_code == again.status_code == 302
    with admin_client.session_transaction() as session:
        flashed = [message for _category, message in session.get("_flashes", [])]
    assert any("mapped again after the dry run" in message for message in flashed)
    assert any("applied already" in message for message in flashed)
    assert customers() == 1
    db.session.expire_all()
    assert db.session.get(ImportBatch, number).status is ImportStatus.APPLIED


def test_the_chosen_mapping_is_remembered_for_the_same_headers(admin_client):
    headers = ["Прізвище", "Ім’я", "Мобілка", "Коментар"]
    content = csv_bytes([["Коваль", "Олена", "067 100 00 01", "VIP"]], headers=headers)
    first = batch_id(upload(admin_client, content))
    chosen = {
        "column_0": "last_name",
        "column_1": "first_name",
        "column_2": "phone",
        "column_3": "",
    }
    assert admin_client.post(f"/admin/imports/{first}/mapping", data=chosen).status_code == 302

    second = batch_id(upload(admin_client, content, name="again.csv"))
    page = admin_client.get(f"/admin/imports/{second}/mapping").get_data(as_text=True)

    assert mapping_form(page) == chosen
    assert db.session.scalar(select(func.count()).select_from(ImportMapping)) == 1


def test_a_mapping_that_will_not_do_comes_back_with_the_reason(admin_client):
    number = batch_id(upload(admin_client, csv_bytes([customer_row(1)])))
    response = admin_client.post(f"/admin/imports/{number}/mapping", data={"column_0": "last_name"})
    assert response.status_code == 422
    assert "Choose the columns of these fields: First name, Phone" in response.get_data(
        as_text=True
    )
    assert db.session.get(ImportBatch, number).status is ImportStatus.UPLOADED


def test_a_workbook_named_csv_is_read_as_the_workbook_it_is(admin_client):
    response = upload(admin_client, xlsx_bytes([customer_row(1)]), name="customers.csv")
    assert response.status_code == 302
    batch = db.session.get(ImportBatch, batch_id(response))
    assert (batch.headers, batch.row_count) == (CUSTOMER_HEADERS, 1)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(300), "This is not a CSV file or an XLSX workbook"),
        (csv_bytes([]), "The file has no rows below its header row."),
    ],
)
def test_a_file_that_is_not_a_table_of_rows_is_refused_beside_the_field(
    admin_client, content, message
):
    response = upload(admin_client, content, name="customers.csv")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ImportBatch)) == 0


def test_more_rows_than_the_admin_takes_are_sent_to_the_command(app, admin_client):
    app.config["IMPORT_MAX_ROWS"] = 3
    response = upload(admin_client, csv_bytes([customer_row(n) for n in range(4)]))
    assert response.status_code == 422
    assert "more than 3 rows" in response.get_data(as_text=True)
    assert "flask --app wsgi import" in response.get_data(as_text=True)


def test_more_columns_than_the_mapping_page_offers_are_refused(admin_client):
    headers = [*CUSTOMER_HEADERS, *(f"Зайве {n}" for n in range(200))]
    content = csv_bytes([customer_row(1) + ["x"] * 200], headers=headers)
    response = upload(admin_client, content)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "The file has 208 columns; the admin maps 200 at most." in page


def test_a_file_larger_than_the_limit_gets_413(app, admin_client):
    # The body as it is sent, its length over the limit: refused before it is read.
    body = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    content_type = "multipart/form-data; boundary=import"
    response = admin_client.post("/admin/imports/", data=body, content_type=content_type)
    assert response.status_code == 413
    assert "larger than 10 MB, the most the CRM takes at once" in response.get_data(as_text=True)


def test_an_unknown_batch_is_404(admin_client):
    for url in ("/admin/imports/9/", "/admin/imports/9/mapping", "/admin/imports/9/refused.csv"):
        assert admin_client.get(url).status_code == 404
    assert admin_client.post("/admin/imports/9/apply", data={"version": "1"}).status_code == 404
