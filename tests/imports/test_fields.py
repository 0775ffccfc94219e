"""The mapping of a file's columns to fields (crm/imports/services/fields.py): suggested
from the headers in either language, and checked before anything is imported."""

import pytest

from crm.imports.services.fields import check_mapping, headers_hash, suggest_mapping
from crm.models import ImportKind
from crm.validation import FieldError
from tests.imports.files import CUSTOMER_HEADERS, PAYMENT_HEADERS

CUSTOMERS, PAYMENTS = ImportKind.CUSTOMERS, ImportKind.PAYMENTS
CUSTOMER_FIELDS = [
    "last_name",
    "first_name",
    "patronymic",
    "phone",
    "email",
    "birth_date",
    "tax_id",
    "address",
]


def test_the_ukrainian_labels_of_the_forms_and_the_export_are_recognised(app):
    assert suggest_mapping(CUSTOMERS, CUSTOMER_HEADERS) == CUSTOMER_FIELDS


def test_the_english_labels_are_recognised_whatever_the_case_and_punctuation(app):
    headers = [
        "LAST NAME",
        "First name:",
        "Patronymic",
        "Phone",
        "E-mail",
        "Date of birth",
        "Tax id",
        "Address",
    ]
    assert suggest_mapping(CUSTOMERS, headers) == CUSTOMER_FIELDS


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("surname", "last_name"),
        ("Ім'я", "first_name"),
        ("ІПН", "tax_id"),
        ("tax_id", "tax_id"),
        ("телефон", "phone"),
        ("Mobile", "phone"),
        ("email", "email"),
        ("Дата народження", "birth_date"),
        ("Примітка", None),
    ],
)
def test_common_names_of_a_column_are_recognised(app, header, field):
    assert suggest_mapping(CUSTOMERS, [header]) == [field]


def test_a_field_goes_to_the_first_column_that_names_it(app):
    assert suggest_mapping(CUSTOMERS, ["Телефон", "Phone"]) == ["phone", None]


def test_bank_statement_columns_are_recognised(app):
    assert suggest_mapping(PAYMENTS, PAYMENT_HEADERS) == [
        "paid_on",
        "amount",
        "reference",
        "loan",
        "tax_id",
    ]
    english = ["Payment date", "Amount", "Reference", "Loan number", "Tax id"]
    assert suggest_mapping(PAYMENTS, english) == [
        "paid_on",
        "amount",
        "reference",
        "loan",
        "tax_id",
    ]


def test_a_header_row_is_remembered_by_its_headers_however_typed():
    assert headers_hash(["Прізвище", "Tax id"]) == headers_hash(["ПРІЗВИЩЕ ", "tax_id"])
    assert headers_hash(["Прізвище", "Tax id"]) != headers_hash(["Tax id", "Прізвище"])


@pytest.mark.parametrize(
    ("kind", "mapping", "message"),
    [
        (CUSTOMERS, ["last_name", "first_name"], "Choose a field, or none, for each column."),
        (CUSTOMERS, ["last_name", "first_name", "salary"], "Choose a field, or none"),
        (CUSTOMERS, ["last_name", "first_name", "last_name"], "one column only: Last name"),
        (CUSTOMERS, ["last_name", "first_name", None], "Choose the columns of these fields: Phone"),
        (PAYMENTS, ["paid_on", "amount", "reference"], "finds each payment's loan: Loan, Tax id"),
    ],
)
def test_a_mapping_that_will_not_do_is_refused_with_a_reason(app, kind, mapping, message):
    with pytest.raises(FieldError) as refused:
        check_mapping(kind, mapping, 3)
    assert message in refused.value.message


def test_a_good_mapping_leaves_columns_out_with_none(app):
    assert check_mapping(CUSTOMERS, ["last_name", "", "first_name", "phone"], 4) == [
        "last_name",
        None,
        "first_name",
        "phone",
    ]
    assert check_mapping(PAYMENTS, ["paid_on", "amount", "reference", "tax_id"], 4)[3] == "tax_id"
