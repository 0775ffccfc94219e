"""The customers list downloaded from the staff site (crm/exports) and brought back through
the imports' dry run: every customer is found there, unchanged, and nothing is written; in
both file formats and both languages of the headers."""

import pytest

from crm.models import ImportKind
from tests import factories
from tests.imports.conftest import table_rows


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("language", ["uk", "en"])
def test_an_exported_customers_list_imports_back_as_all_unchanged(
    staff_client, run_file, file_format, language
):
    customers = [
        factories.CustomerFactory(),
        factories.CustomerFactory(tax_id=None),
        factories.CustomerFactory(tax_id=None, email=None, patronymic=None, address=None),
        # A name a spreadsheet would take for a formula: quoted on the way out, unquoted back.
        factories.CustomerFactory(last_name="=HYPERLINK(1)", address="+1 Хрещатик"),
    ]
    response = staff_client.get(
        f"/customers/export.{file_format}", headers={"Accept-Language": language}
    )
    assert response.status_code == 200
    # Read to the end first: the download's audit event is written when its stream ends.
    content = response.get_data()
    before = table_rows()

    counts, outcomes = run_file(ImportKind.CUSTOMERS, content, dry_run=True)

    assert counts["unchanged"] == len(customers)
    assert sorted(outcome.record_id for outcome in outcomes) == sorted(c.id for c in customers)
    assert table_rows() == before
