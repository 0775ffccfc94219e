"""`flask audit export`, run through Flask's CLI runner over events written by real changes:
the keys and their order, CSV that a spreadsheet cannot run, the period's bounds, bad dates,
the batches it reads in; and the archiving and pruning docs/AUDIT.md tells deployers to do."""

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask_babel import refresh
from sqlalchemy import insert, text
from sqlalchemy.exc import DBAPIError

from crm.audit import export
from crm.exports.columns import FORMULA_STARTS
from crm.extensions import db
from crm.models import AuditEvent, Customer, Role
from crm.models.audit import APPEND_ONLY, SYSTEM
from tests import factories

MARCH_1 = datetime(2025, 3, 1, tzinfo=UTC)
DOCS = Path(__file__).parents[2] / "docs" / "AUDIT.md"


def run_export(runner, *args: str):
    result = runner.invoke(args=["audit", "export", *args])
    assert result.exit_code == 0, result.output
    return result.output


def exported(runner, *args: str) -> list[dict]:
    """The events `audit export` writes as JSON lines."""
    return [json.loads(line) for line in run_export(runner, *args).splitlines()]


def exported_csv(runner, *args: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(run_export(runner, "--format", "csv", *args))))


def customer_at(clock, moment: datetime, **fields) -> Customer:
    """A customer created at `moment`: one `create` event, stamped then."""
    clock.now = moment
    return factories.CustomerFactory(**fields)


def test_each_event_is_a_line_with_the_keys_in_order(runner, logged_in, manager, clock):
    clock.now = MARCH_1 + timedelta(hours=9, microseconds=250)
    customer = factories.CustomerFactory(last_name="Коваль")
    logged_in(manager, REMOTE_ADDR="203.0.113.7")

    events = exported(runner)

    assert all(list(event) == list(export.FIELDS) for event in events)
    created = next(event for event in events if event["entity"] == "customer")
    assert created["at"] == "2025-03-01T09:00:00.000250+00:00"
    assert (created["actor"], created["action"], created["entity_id"]) == (
        SYSTEM,
        "create",
        customer.id,
    )
    assert created["changes"]["last_name"] == [None, "Коваль"]
    assert created["ip"] is None
    [log_in] = [event for event in events if event["action"] == "log_in"]
    assert (log_in["actor"], log_in["entity"], log_in["entity_id"]) == (
        manager.email,
        "user",
        manager.id,
    )
    assert log_in["changes"]["email"] == [None, manager.email]
    assert log_in["ip"] == "203.0.113.7"


def test_events_come_oldest_first_however_their_ids_run(runner, clock):
    later = customer_at(clock, MARCH_1 + timedelta(hours=2))
    earlier = customer_at(clock, MARCH_1 + timedelta(hours=1))

    events = exported(runner)

    assert [event["entity_id"] for event in events] == [earlier.id, later.id]


def test_csv_has_a_header_and_every_value_as_stored(runner, clock):
    clock.now = MARCH_1
    customer = factories.CustomerFactory(
        last_name='=HYPERLINK("http://example.com","x")', phone="+380501234567"
    )

    header, *rows = exported_csv(runner)

    assert header == list(export.FIELDS)
    [row] = rows
    event = dict(zip(header, row, strict=True))
    assert event["at"] == "2025-03-01T00:00:00.000000+00:00"
    assert (event["actor"], event["action"], event["entity"], event["entity_id"]) == (
        SYSTEM,
        "create",
        "customer",
        str(customer.id),
    )
    assert event["ip"] == ""
    # The formula and the phone sit inside the JSON of `changes`, a cell that starts with "{".
    changes = json.loads(event["changes"])
    assert changes["last_name"] == [None, '=HYPERLINK("http://example.com","x")']
    assert changes["phone"] == [None, "+380501234567"]


@pytest.mark.parametrize("email", ["=1+2@example.com", "+ops@example.com", "-ops@example.com"])
def test_csv_cells_a_spreadsheet_would_run_start_with_a_quote(runner, logged_in, email):
    user = factories.UserFactory(email=email, role=Role.MANAGER)
    logged_in(user, REMOTE_ADDR="198.51.100.4")

    header, *rows = exported_csv(runner)

    [log_in] = [dict(zip(header, row, strict=True)) for row in rows if row[2] == "log_in"]
    assert log_in["actor"] == f"'{email}"
    assert json.loads(log_in["changes"])["email"] == [None, email]
    assert log_in["ip"] == "198.51.100.4"
    assert not any(cell.startswith(FORMULA_STARTS) for row in rows for cell in row)


def test_since_and_until_take_whole_utc_days(runner, clock):
    last_of_february = customer_at(clock, MARCH_1 - timedelta(microseconds=1))
    first_of_march = customer_at(clock, MARCH_1)
    last_of_march_1 = customer_at(clock, MARCH_1 + timedelta(days=1, microseconds=-1))
    march_2 = customer_at(clock, MARCH_1 + timedelta(days=1))

    def ids(*args: str) -> list[int]:
        return [event["entity_id"] for event in exported(runner, *args)]

    assert ids("--since", "2025-03-01", "--until", "2025-03-01") == [
        first_of_march.id,
        last_of_march_1.id,
    ]
    assert ids("--since", "2025-03-02") == [march_2.id]
    assert ids("--until", "2025-02-28") == [last_of_february.id]
    assert ids("--since", "2025-02-28", "--until", "2025-03-02") == [
        last_of_february.id,
        first_of_march.id,
        last_of_march_1.id,
        march_2.id,
    ]
    assert ids("--until", "9999-12-31") == ids()


@pytest.mark.parametrize(
    "value", ["2025-02-30", "2025-3-1", "01.03.2025", "2025-03-01T00:00", "20250301", "yesterday"]
)
@pytest.mark.parametrize("option", ["--since", "--until"])
def test_a_bad_date_is_a_usage_error(runner, option, value):
    result = runner.invoke(args=["audit", "export", option, value])

    assert result.exit_code == 2
    assert f"Invalid value for '{option}'" in result.output
    assert "write it as YYYY-MM-DD" in result.output
    assert "Traceback" not in result.output


def test_since_after_until_is_a_usage_error(runner):
    result = runner.invoke(
        args=["audit", "export", "--since", "2025-03-02", "--until", "2025-03-01"]
    )

    assert result.exit_code == 2
    assert "--since 2025-03-02 is after --until 2025-03-01" in result.output


def test_an_empty_export_prints_nothing_or_only_the_csv_header(runner, clock):
    customer_at(clock, MARCH_1)

    assert run_export(runner, "--since", "2025-03-02") == ""
    assert run_export(runner, "--since", "2025-03-02", "--format", "csv") == (
        ",".join(export.FIELDS) + "\n"
    )


def test_the_export_reads_in_batches_and_sends_each_event_once_in_order(
    runner, clock, monkeypatch, count_queries
):
    monkeypatch.setattr(export, "BATCH_SIZE", 3)
    # Four events at each of two moments, so that batches end inside a moment, and the
    # newest id stamped before all of them.
    customers = [customer_at(clock, MARCH_1 + timedelta(hours=1)) for _ in range(4)]
    customers += [customer_at(clock, MARCH_1 + timedelta(hours=2)) for _ in range(4)]
    customers.insert(0, customer_at(clock, MARCH_1))

    with count_queries() as log:
        events = exported(runner)
        rows = exported_csv(runner)[1:]

    expected = [customer.id for customer in customers]
    assert [event["entity_id"] for event in events] == expected
    assert [int(row[4]) for row in rows] == expected
    reads = [s for s in log.statements if "FROM audit_events" in s]
    assert len(reads) == 2 * 4  # 9 events: 3 full batches and an empty one, per export
    assert all("LIMIT" in statement for statement in reads)


def test_events_committed_during_an_export_are_left_out(app, clock, monkeypatch):
    """Every batch reads the snapshot the first one read."""
    monkeypatch.setattr(export, "BATCH_SIZE", 1)
    for hour in range(3):
        customer_at(clock, MARCH_1 + timedelta(hours=hour))
    db.session.commit()
    read = export.read_events(db.session)
    first = next(read)

    with db.engine.begin() as other:
        other.execute(
            insert(AuditEvent).values(
                at=MARCH_1 + timedelta(hours=5), actor=SYSTEM, action="create", entity="x"
            )
        )

    assert [first.entity, *(row.entity for row in read)] == ["customer"] * 3
    db.session.rollback()
    assert [row.entity for row in export.read_events(db.session)][-1] == "x"


def test_export_help_and_mistakes_speak_the_language_of_the_shell(app, runner):
    app.config["COMMAND_LANGUAGE"] = None
    shell = {"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "uk_UA.UTF-8"}
    refresh()

    help_text = runner.invoke(args=["audit", "export", "--help"], env=shell)
    refresh()
    mistake = runner.invoke(args=["audit", "export", "--until", "2025-02-30"], env=shell)
    refresh()

    assert help_text.exit_code == 0
    for words in ("Використання:", "Вивести журнал аудиту", "від 00:00 UTC", "до його кінця"):
        assert words in help_text.output
    for english in ("Usage:", "Write the audit trail", "The first day", "for scripts"):
        assert english not in help_text.output
    assert mistake.exit_code == 2
    assert "'2025-02-30' — не дата: пишіть її як YYYY-MM-DD" in mistake.output


def documented_sql(dialect: str) -> dict[str, list[str]]:
    """The statements docs/AUDIT.md gives to prune the trail on `dialect` ("prune", without
    BEGIN and COMMIT), to count what a prune removes ("count") and to try the guard ("try")."""
    blocks = [
        [line.strip() for line in block.splitlines() if line.strip()]
        for block in re.findall(r"```sql\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)
    ]
    begin = "BEGIN IMMEDIATE;" if dialect == "sqlite" else "BEGIN;"
    [prune] = [lines for lines in blocks if lines[0] == begin and "COMMIT;" in lines]
    name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[dialect]
    counts = [line.split("--")[0] for lines in blocks for line in lines if line.endswith(name)]
    [attempt] = [lines[1:-1] for lines in blocks if lines[-1] == "ROLLBACK;"]
    return {
        "prune": [line.removesuffix(";") for line in prune[1:-1]],
        "count": [line.strip().removesuffix(";") for line in counts],
        "try": [line.removesuffix(";") for line in attempt],
    }


def test_the_documented_archive_and_prune_work_and_put_the_guard_back(runner, clock):
    dialect = db.engine.dialect.name
    sql = documented_sql(dialect)
    created, dropped = APPEND_ONLY[dialect]
    guard = [statement for statement in sql["prune"] if not statement.startswith("DELETE")]
    assert len(guard) == 2
    assert set(guard) <= set(created) | set(dropped)  # copied from the model, not retyped
    customer_at(clock, datetime(2024, 1, 1, tzinfo=UTC) - timedelta(microseconds=1))
    kept = customer_at(clock, datetime(2024, 1, 1, tzinfo=UTC))

    archive = exported(runner, "--until", "2023-12-31")
    [count] = sql["count"]
    assert db.session.scalar(text(count)) == len(archive) == 1
    for statement in sql["prune"]:
        db.session.execute(text(statement))
    db.session.commit()

    assert [event["entity_id"] for event in exported(runner)] == [kept.id]
    [attempt] = sql["try"]
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text(attempt))
    db.session.rollback()
