"""Every model, imported here so that Alembic and Flask-Admin see them all."""

from crm.models.audit import AuditEvent
from crm.models.customer import Customer
from crm.models.imports import (
    ImportBatch,
    ImportKind,
    ImportMapping,
    ImportOutcome,
    ImportStatus,
)
from crm.models.interaction import ContactKind, ContactOutcome, Interaction
from crm.models.loan import Loan
from crm.models.month_end import PortfolioMonthEnd
from crm.models.one_time_link import LinkPurpose, OneTimeLink
from crm.models.outbox import OutboxMessage, OutboxStatus
from crm.models.product import Product, ProductCategory
from crm.models.search_term import CustomerSearchTerm
from crm.models.second_factor import RecoveryCode, SecondFactor
from crm.models.servicing import Installment, Payment, PaymentAllocation
from crm.models.task import Task
from crm.models.user import STAFF_ROLES, Role, User
from crm.models.user_session import SessionEnd, UserSession

__all__ = [
    "STAFF_ROLES",
    "AuditEvent",
    "ContactKind",
    "ContactOutcome",
    "Customer",
    "CustomerSearchTerm",
    "ImportBatch",
    "ImportKind",
    "ImportMapping",
    "ImportOutcome",
    "ImportStatus",
    "Installment",
    "Interaction",
    "LinkPurpose",
    "Loan",
    "OneTimeLink",
    "OutboxMessage",
    "OutboxStatus",
    "Payment",
    "PaymentAllocation",
    "PortfolioMonthEnd",
    "Product",
    "ProductCategory",
    "RecoveryCode",
    "Role",
    "SecondFactor",
    "SessionEnd",
    "Task",
    "User",
    "UserSession",
]
