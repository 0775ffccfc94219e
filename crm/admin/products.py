"""The admin's catalogue: the fields the product services take; managers only read it."""

from crm.admin.base import ADMINS, StaffModelView
from crm.admin.columns import COLUMN_FORMATTERS, COLUMN_LABELS
from crm.admin.fields import DropDownField, enum_choices
from crm.admin.filters import category_filter, enum_filter
from crm.admin.formatters import formatted, label_of
from crm.i18n.fields import DecimalInputField, MoneyField
from crm.i18n.formats import money
from crm.i18n.labels import CATEGORY_LABELS, REPAYMENT_LABELS
from crm.i18n.texts import lazy_text as _l
from crm.lending.schedule import RepaymentMethod
from crm.models import Product, ProductCategory
from crm.models.product import MAX_DESCRIPTION
from crm.products import services as product_services

#: The list leads with what tells products apart, then the other fields in the form's order.
LISTED_FIRST = ("name", "category")
#: Fields the list leaves to the details page.
DETAILS_ONLY = ("description",)


class ProductAdmin(StaffModelView):
    index_group = _l("Catalogue")
    # Managers read the catalogue; only admins change what the lender offers.
    create_roles = edit_roles = delete_roles = ADMINS

    column_list = [
        *LISTED_FIRST,
        *(
            name
            for name in product_services.PRODUCT_FIELDS
            if name not in LISTED_FIRST + DETAILS_ONLY
        ),
    ]
    column_details_list = [*column_list, *DETAILS_ONLY, "created_at"]
    column_labels = {
        **COLUMN_LABELS,
        "name": _l("Name"),
        "min_amount": _l("Smallest amount"),
        "max_amount": _l("Largest amount"),
        "min_term": _l("Shortest term, months"),
        "max_term": _l("Longest term, months"),
        "repayment_method": _l("Repayment"),
        "description": _l("Description"),
    }
    column_sortable_list = ["name", "annual_rate", "active"]
    column_default_sort = "name"
    column_searchable_list = ["name"]
    column_filters = [
        category_filter(),
        enum_filter(
            Product.repayment_method,
            column_labels["repayment_method"],
            RepaymentMethod,
            REPAYMENT_LABELS,
        ),
        "active",
    ]
    column_formatters = {
        **COLUMN_FORMATTERS,
        "category": label_of(CATEGORY_LABELS),
        "repayment_method": label_of(REPAYMENT_LABELS),
        "min_amount": formatted(money),
        "max_amount": formatted(money),
    }
    form_columns = list(product_services.PRODUCT_FIELDS)
    form_overrides = {
        "category": DropDownField,
        "repayment_method": DropDownField,
        "annual_rate": DecimalInputField,
        "min_amount": MoneyField,
        "max_amount": MoneyField,
    }
    form_args = {
        "category": enum_choices(ProductCategory, CATEGORY_LABELS),
        "repayment_method": enum_choices(RepaymentMethod, REPAYMENT_LABELS),
        "annual_rate": {"description": _l("Nominal, percent a year: 18.5 means 18.5 %.")},
        "active": {"description": _l("Only active products take new applications.")},
        # The column is TEXT; the limit is the service's (the VARCHAR fields show theirs).
        "description": {"render_kw": {"maxlength": MAX_DESCRIPTION}},
    }

    def create_record(self, session, data):
        return product_services.create_product(session, data)

    def update_record(self, session, product, data, expected_version):
        return product_services.update_product(
            session, product, data, expected_version=expected_version
        )

    def delete_record(self, session, product):
        product_services.delete_product(session, product)
