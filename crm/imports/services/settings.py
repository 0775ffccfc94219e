"""What every row of an import is checked against, and who writes it."""

from dataclasses import dataclass
from datetime import date

from crm.models import User


@dataclass(frozen=True)
class ImportSettings:
    #: The country of phone numbers written without a code (the app's PHONE_REGION).
    region: str
    #: The lender's day: birth dates and payment dates are checked against it.
    today: date
    #: Who records the payments (None: the command line, the system).
    by: User | None = None
