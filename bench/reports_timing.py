"""How long the ledger's figures take on a database: the portfolio report (one query over
every installment of the loans active on the day) for a few days, `reports month-ends` for
twelve month ends, and the dashboard's chart queries, each the best of --repeat runs inside
an app context (no HTTP: the pages' own cost is bench/run.py's to measure).

    DATABASE_URL=sqlite:////tmp/big.sqlite3 .venv/bin/python bench/reports_timing.py
"""

import argparse
import time
from datetime import date

from crm import create_app
from crm.clock import lender_today
from crm.extensions import db
from crm.reports.queries.monthly import (
    applications_by_month,
    disbursements_by_month,
    portfolio_by_bucket,
)
from crm.reports.queries.portfolio import portfolio_report


def best_of(repeat: int, work) -> float:
    """The fastest of `repeat` runs of `work()`, in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
        db.session.rollback()
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--as-of", action="append", type=date.fromisoformat, default=[])
    args = parser.parse_args()
    with create_app().app_context():
        today = lender_today()
        days = args.as_of or [date(today.year, 3, 31), date(today.year, 9, 30), today]
        for day in days:
            report = portfolio_report(db.session, day)
            took = best_of(args.repeat, lambda day=day: portfolio_report(db.session, day))
            print(
                f"portfolio report as of {day}: {took:8.1f} ms "
                f"({report.total.active_loans} active loans, PAR30 {report.total.par(30)} %)"
            )
        for name, chart in (
            ("applications by month", applications_by_month),
            ("disbursements by month", disbursements_by_month),
            ("portfolio by bucket", portfolio_by_bucket),
        ):
            took = best_of(args.repeat, lambda chart=chart: chart(db.session, today))
            print(f"chart: {name}: {took:8.1f} ms")


if __name__ == "__main__":
    main()
