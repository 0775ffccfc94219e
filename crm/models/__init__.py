"""Every model, imported here so that Alembic and Flask-Admin see them all."""

from crm.models.customer import Customer
from crm.models.loan import Loan, LoanStatus
from crm.models.product import Product, ProductCategory, RepaymentMethod
from crm.models.servicing import Installment, Payment, PaymentAllocation
from crm.models.user import STAFF_ROLES, Role, User

__all__ = [
    "STAFF_ROLES",
    "Customer",
    "Installment",
    "Loan",
    "LoanStatus",
    "Payment",
    "PaymentAllocation",
    "Product",
    "ProductCategory",
    "RepaymentMethod",
    "Role",
    "User",
]
