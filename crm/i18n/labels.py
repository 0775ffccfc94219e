"""What users read for each stored value (statuses, categories, methods, roles): the
stored values stay English identifiers."""

from flask_babel import lazy_gettext as _l

from crm.lending.delinquency import Bucket
from crm.lending.schedule import RepaymentMethod
from crm.lending.status import LoanStatus
from crm.models import ProductCategory, Role

STATUS_LABELS = {
    LoanStatus.PENDING: _l("Pending"),
    LoanStatus.REFUSED: _l("Refused"),
    LoanStatus.WITHDRAWN: _l("Withdrawn"),
    LoanStatus.ACTIVE: _l("Active"),
    LoanStatus.FINISHED: _l("Finished"),
    LoanStatus.WRITTEN_OFF: _l("Written off"),
}

CATEGORY_LABELS = {
    ProductCategory.SECURED: _l("Secured"),
    ProductCategory.UNSECURED: _l("Unsecured"),
}

REPAYMENT_LABELS = {
    RepaymentMethod.ANNUITY: _l("Annuity"),
    RepaymentMethod.DIFFERENTIATED: _l("Differentiated"),
}

ROLE_LABELS = {
    Role.ADMIN: _l("Admin"),
    Role.MANAGER: _l("Manager"),
    Role.CUSTOMER: _l("Customer"),
}

BUCKET_LABELS = {
    Bucket.CURRENT: _l("Current"),
    Bucket.DPD_1_30: _l("1–30 days"),
    Bucket.DPD_31_60: _l("31–60 days"),
    Bucket.DPD_61_90: _l("61–90 days"),
    Bucket.DPD_OVER_90: _l("Over 90 days"),
}


#: The state of a schedule row on a day (crm.loans.queries.servicing.RowState), by its value.
ROW_STATE_LABELS = {
    "paid": _l("Paid"),
    "partly_paid": _l("Partly paid"),
    "overdue": _l("Overdue"),
    "unpaid": _l("Unpaid"),
}


def status_word(status: LoanStatus) -> str:
    """The status as a word inside a sentence ("loan #7 is refused")."""
    return str(STATUS_LABELS[status]).lower()
