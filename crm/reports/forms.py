"""The reports' filters, read from the page's address: a report is a GET form, so that it is
a link to keep or send. The fields read what was typed; the days and periods a report can
cover are crm.reports.queries.period's to decide, and a product, manager or figure that is
not offered is refused beside its field."""

from datetime import date

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, ValidationError
from wtforms.widgets import DateInput

from crm.i18n.fields import DateInputField
from crm.i18n.labels import BUCKET_LABELS
from crm.reports.queries.drill import AS_OF_MEASURES, Measure
from crm.reports.queries.ledger import NO_MANAGER
from crm.reports.queries.monthly import Outcome
from crm.reports.queries.period_figures import Period, check_day, check_period
from crm.validation import FieldError

#: The value of a drop-down's first choice: no filter.
EVERYTHING = ""
#: The manager filter's value for the customers nobody manages (ledger.NO_MANAGER).
NOBODY = "none"
#: The filters a tab to another report carries.
KEPT = ("product_id", "manager_id", "as_of", "since", "until")

OUTCOME_LABELS = {
    Outcome.PENDING: _l("Pending"),
    Outcome.REFUSED: _l("Refused"),
    Outcome.WITHDRAWN: _l("Withdrawn"),
    Outcome.APPROVED: _l("Approved"),
}

MEASURE_LABELS = {
    Measure.ACTIVE: _l("Active loans"),
    Measure.OVERDUE: _l("Overdue loans"),
    Measure.PAR1: _l("PAR1: more than 1 day past due"),
    Measure.PAR30: _l("PAR30: more than 30 days past due"),
    Measure.PAR90: _l("PAR90: more than 90 days past due"),
    Measure.BUCKET: _l("Loans in a delinquency bucket"),
    Measure.DISBURSED: _l("Loans disbursed"),
    Measure.DUE: _l("Loans with installments due"),
    Measure.WRITTEN_OFF: _l("Loans written off"),
    Measure.APPLICATIONS: _l("Applications"),
}


class DayField(DateInputField):
    """A day in a browser's date input, which sends 2025-03-09 in every language (one typed
    as the language writes it is read too); left empty, the field keeps its default."""

    widget = DateInput()

    def format(self, value: date) -> str:
        return value.isoformat()

    def _value(self) -> str:
        if self.raw_data and self.raw_data[0].strip():
            return self.raw_data[0]
        return self.format(self.data) if isinstance(self.data, date) else ""

    def process_formdata(self, valuelist) -> None:
        if valuelist and valuelist[0].strip():
            super().process_formdata(valuelist)


class OfferedField(SelectField):
    """A drop-down whose value must be one of its choices (set by the view); any other is
    refused with `missing`, beside the field."""

    def __init__(self, label, missing, **kwargs) -> None:
        kwargs.setdefault("default", EVERYTHING)
        super().__init__(label, coerce=str, validate_choice=False, **kwargs)
        self.missing = missing

    def pre_validate(self, form) -> None:
        if self.data not in {str(value) for value, _label in self.choices}:
            raise ValidationError(str(self.missing))


class ReportForm(FlaskForm):
    """The filters of every report: a product, a manager's customers (or nobody's)."""

    class Meta:
        csrf = False

    product_id = OfferedField(_l("Product"), _l("There is no such product."))
    manager_id = OfferedField(_l("Manager"), _l("There is no such manager."))

    def __init__(
        self, *, products: list[tuple[int, str]], managers: list[tuple[int, str]], **defaults
    ) -> None:
        super().__init__(formdata=request.args, **defaults)
        self.product_id.choices = [(EVERYTHING, _l("All products")), *_ids(products)]
        self.manager_id.choices = [
            (EVERYTHING, _l("All managers")),
            (NOBODY, _l("Nobody’s customers")),
            *_ids(managers),
        ]

    def check(self, today: date) -> bool:
        """Validate the fields, then the days (their errors go beside them); True if good."""
        if not self.validate():
            return False
        try:
            self.check_days(today)
        except FieldError as error:
            error.show_in(self)
            return False
        return True

    def check_days(self, today: date) -> None:
        """Raise FieldError for a day the report cannot be asked for."""

    def filters(self) -> dict[str, int | None]:
        """The product and manager as the queries take them."""
        manager = self.manager_id.data
        return {
            "product_id": int(self.product_id.data) if self.product_id.data else None,
            "manager_id": NO_MANAGER if manager == NOBODY else int(manager) if manager else None,
        }

    def link_args(self) -> dict[str, str | None]:
        """The filters of a checked form as a link's arguments (None: not given), for the
        links from a figure to its loans."""
        return {
            "product_id": self.product_id.data or None,
            "manager_id": self.manager_id.data or None,
        }

    def kept(self) -> dict[str, str]:
        """The filters given that are good, as a link's arguments: what a tab to another
        report carries, also from a page whose filters are not all good."""
        kept = {}
        for name in KEPT:
            field = self._fields.get(name)
            if field is not None and field.data and not field.errors:
                value = field.data
                kept[name] = value.isoformat() if isinstance(value, date) else value
        return kept


def _ids(records: list[tuple[int, str]]) -> list[tuple[str, str]]:
    return [(str(key), name) for key, name in records]


class AsOfForm(ReportForm):
    as_of = DayField(_l("As of"))

    def check_days(self, today: date) -> None:
        check_day(self.as_of.data, "as_of", today)

    def link_args(self) -> dict[str, str | None]:
        return {**super().link_args(), "as_of": self.as_of.data.isoformat()}


class PeriodForm(ReportForm):
    since = DayField(_l("From"))
    until = DayField(_l("To"))

    def check_days(self, today: date) -> None:
        check_period(self.since.data, self.until.data, today)

    @property
    def period(self) -> Period:
        return Period(self.since.data, self.until.data)

    def link_args(self) -> dict[str, str | None]:
        return {
            **super().link_args(),
            "since": self.since.data.isoformat(),
            "until": self.until.data.isoformat(),
        }


class LoansForm(PeriodForm):
    """The list of the loans behind a figure: the figure, and its day or its period."""

    measure = OfferedField(_l("Figure"), _l("There is no such figure."))
    bucket = OfferedField(_l("Bucket"), _l("There is no such bucket."))
    outcome = OfferedField(_l("Outcome"), _l("There is no such outcome."))
    as_of = DayField(_l("As of"))

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.measure.choices = list(MEASURE_LABELS.items())
        self.bucket.choices = [(EVERYTHING, "—"), *BUCKET_LABELS.items()]
        self.outcome.choices = [(EVERYTHING, _l("All applications")), *OUTCOME_LABELS.items()]

    @property
    def as_of_measure(self) -> bool:
        """Whether the figure is one of the portfolio as of a day (or one of a period); a
        figure that is none counts as one as of a day."""
        return self.measure.data not in {measure.value for measure in Measure} or (
            Measure(self.measure.data) in AS_OF_MEASURES
        )

    def check_days(self, today: date) -> None:
        if Measure(self.measure.data) is Measure.BUCKET and not self.bucket.data:
            raise FieldError("bucket", _("Choose a bucket."))
        if self.as_of_measure:
            check_day(self.as_of.data, "as_of", today)
        else:
            super().check_days(today)

    def link_args(self) -> dict[str, str | None]:
        """What the list is of (the figure, its bucket or outcome, its day or period) and
        its filters, as a link's arguments."""
        measure = Measure(self.measure.data)
        args = {**ReportForm.link_args(self), "measure": measure.value}
        if self.as_of_measure:
            args["as_of"] = self.as_of.data.isoformat()
        else:
            args.update(since=self.since.data.isoformat(), until=self.until.data.isoformat())
        if measure is Measure.BUCKET:
            args["bucket"] = self.bucket.data
        if measure is Measure.APPLICATIONS:
            args["outcome"] = self.outcome.data or None
        return args
