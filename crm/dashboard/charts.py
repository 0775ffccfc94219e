"""The dashboard's charts, each a table of figures: a row per month (or bucket), a column per
series. templates/_macros/charts.html renders a Chart as a <figure> with a canvas and the
table behind it, and static/js/charts.js draws the canvas from that table, so the figures
reach the page once, written for the user's language in the cells and as plain numbers in
their data-value attributes.
"""

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import format_date
from flask_babel import gettext as _

from crm.dashboard.figures import DashboardFigures
from crm.i18n.formats import money, number, percent
from crm.i18n.labels import BUCKET_LABELS, STATUS_LABELS
from crm.lending.delinquency import Bucket
from crm.lending.portfolio import PortfolioFigures
from crm.lending.status import LoanStatus
from crm.reports.queries.monthly import (
    ApplicationsMonth,
    BucketShare,
    DisbursementsMonth,
    Outcome,
)


class Palette(enum.StrEnum):
    """The Okabe-Ito colours (and its grey), told apart by readers with any common colour
    blindness; a chart's colours come from here only."""

    ORANGE = "#E69F00"
    SKY_BLUE = "#56B4E9"
    GREEN = "#009E73"
    YELLOW = "#F0E442"
    BLUE = "#0072B2"
    VERMILLION = "#D55E00"
    PURPLE = "#CC79A7"
    BLACK = "#000000"
    GREY = "#999999"


class ChartKind(enum.StrEnum):
    BAR = "bar"
    STACKED_BAR = "stacked-bar"
    LINE = "line"
    #: Bars on the left axis and the series marked `line` as lines on the right one.
    BAR_LINE = "bar-line"


class Unit(enum.StrEnum):
    """What a series counts: how its cells are written and its axis is labelled."""

    COUNT = "count"
    MONEY = "money"
    PERCENT = "percent"


FORMATS = {Unit.COUNT: number, Unit.MONEY: money, Unit.PERCENT: percent}


@dataclass(frozen=True)
class Row:
    """A row of the table, a point on the chart's horizontal axis: `label` in the table,
    `short` under the axis, `colour` for its bar when the chart has one series."""

    label: str
    short: str | None = None
    colour: Palette | None = None


@dataclass(frozen=True)
class Series:
    """A column of the table, one value per row; drawn in `colour`, or only shown in the
    table when it has none."""

    name: str
    #: None where there is no figure: a gap in a line, "—" in the table.
    values: Sequence[int | Decimal | None]
    unit: Unit = Unit.COUNT
    colour: Palette | None = None
    line: bool = False

    @property
    def cells(self) -> list[tuple[str, str]]:
        """(plain number for the script, the figure written for the user) per row."""
        return [
            ("", "—") if value is None else (str(value), FORMATS[self.unit](value))
            for value in self.values
        ]


@dataclass(frozen=True)
class Chart:
    key: str
    kind: ChartKind
    title: str
    #: The header of the rows' column (Month, Days past due).
    rows_header: str
    rows: Sequence[Row]
    series: Sequence[Series]


def dashboard_charts(figures: DashboardFigures) -> list[Chart]:
    """The dashboard's charts from its figures."""
    return [
        applications_chart(figures.applications),
        disbursements_chart(figures.disbursements),
        buckets_chart(figures.buckets),
        par_chart(figures.month_ends),
    ]


#: The outcomes from the bottom of each stacked bar up, with their colours.
OUTCOME_COLOURS = {
    Outcome.APPROVED: Palette.GREEN,
    Outcome.PENDING: Palette.SKY_BLUE,
    Outcome.REFUSED: Palette.VERMILLION,
    Outcome.WITHDRAWN: Palette.GREY,
}
#: From current to the worst arrears.
BUCKET_COLOURS = {
    Bucket.CURRENT: Palette.GREEN,
    Bucket.DPD_1_30: Palette.ORANGE,
    Bucket.DPD_31_60: Palette.VERMILLION,
    Bucket.DPD_61_90: Palette.PURPLE,
    Bucket.DPD_OVER_90: Palette.BLACK,
}


def outcome_label(outcome: Outcome) -> str:
    if outcome is Outcome.APPROVED:
        # TRANSLATORS: applications that became loans (active, repaid or written off since).
        return _("Approved")
    return str(STATUS_LABELS[LoanStatus(outcome.value)])


def month_row(month: date) -> Row:
    """A month as "May 2025" both in the table and under the axis in English; in Ukrainian
    "Травень 2025" in the table and "Трав. 2025" under the axis (Babel writes the names in
    lower case, as in running text; here they start a cell)."""
    return Row(
        label=_capitalised(format_date(month, "LLLL yyyy")),
        short=_capitalised(format_date(month, "LLL yyyy")),
    )


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def applications_chart(months: Sequence[ApplicationsMonth]) -> Chart:
    return Chart(
        key="applications",
        kind=ChartKind.STACKED_BAR,
        title=_("Applications by month and outcome"),
        rows_header=_("Month"),
        rows=[month_row(month.month) for month in months],
        series=[
            Series(
                outcome_label(outcome),
                [month.by_outcome[outcome] for month in months],
                colour=colour,
            )
            for outcome, colour in OUTCOME_COLOURS.items()
        ]
        + [Series(_("Total"), [month.total for month in months])],
    )


def disbursements_chart(months: Sequence[DisbursementsMonth]) -> Chart:
    return Chart(
        key="disbursements",
        kind=ChartKind.BAR_LINE,
        title=_("Disbursements by month"),
        rows_header=_("Month"),
        rows=[month_row(month.month) for month in months],
        series=[
            Series(
                _("Amount disbursed"),
                [month.amount for month in months],
                Unit.MONEY,
                Palette.BLUE,
            ),
            Series(
                _("Loans disbursed"),
                [month.count for month in months],
                Unit.COUNT,
                Palette.ORANGE,
                line=True,
            ),
        ],
    )


def buckets_chart(shares: Sequence[BucketShare]) -> Chart:
    return Chart(
        key="buckets",
        kind=ChartKind.BAR,
        title=_("Outstanding principal by days past due, today"),
        rows_header=_("Days past due"),
        rows=[
            Row(str(BUCKET_LABELS[share.bucket]), colour=BUCKET_COLOURS[share.bucket])
            for share in shares
        ],
        series=[
            Series(
                _("Outstanding principal"),
                [share.outstanding for share in shares],
                Unit.MONEY,
                Palette.BLUE,
            ),
            Series(_("Active loans"), [share.loans for share in shares]),
        ],
    )


#: The PAR lines, from the mildest to the worst arrears.
PAR_COLOURS = {1: Palette.ORANGE, 30: Palette.VERMILLION, 90: Palette.BLACK}


def par_chart(month_ends: Sequence[tuple[date, PortfolioFigures | None]]) -> Chart:
    """PAR1, PAR30 and PAR90 at each month end (crm.reports: the ledger as of that day, kept
    by `reports month-ends`); a month end not computed yet is a gap."""
    return Chart(
        key="par",
        kind=ChartKind.LINE,
        title=_("Portfolio at risk at each month end, whole portfolio"),
        rows_header=_("Month"),
        rows=[month_row(day.replace(day=1)) for day, _figures in month_ends],
        series=[
            Series(
                _("PAR%(days)d", days=days),
                [figures.par(days) if figures else None for _day, figures in month_ends],
                Unit.PERCENT,
                colour,
            )
            for days, colour in PAR_COLOURS.items()
        ]
        + [
            Series(
                _("Outstanding principal"),
                [figures.outstanding if figures else None for _day, figures in month_ends],
                Unit.MONEY,
            )
        ],
    )
