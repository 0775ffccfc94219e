"""Every command of `flask --app wsgi …` either writes exactly the events its scenario
expects (MUTATING: actor "system", the command's path, no request) or is known to change no
record (READ_ONLY, READ_ONLY_GROUPS, each with the reason). The commands are read from the
app's click groups, so a new command fails test_every_command_is_known until it is listed.
`pytest tests/audit/test_coverage_cli.py -s` prints the coverage figures.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from unittest.mock import ANY

import click
import pytest
from flask import Flask

from crm.demo.load import DEMO_LOGIN_EMAILS
from crm.demo.tables import PRODUCTS
from crm.extensions import db
from crm.models.audit import SYSTEM
from tests import factories
from tests.audit.cases import Ctx, security_event, user_event
from tests.audit.expected import (
    Event,
    actor_of,
    assert_events,
    assert_events_match_tables,
    audited_rows,
    last_event_id,
    written_since,
)
from tests.audit.import_cases import (
    customer_imported,
    customers_file,
    payment_imported,
    statement_file,
)
from tests.fuzz.routes import World

PASSWORD_TWICE = "Correct-Horse-Battery-9\nCorrect-Horse-Battery-9\n"
#: Commands that change no record, with the reason (one not in this version yet is fine).
READ_ONLY = {
    "loans quote": "prints a schedule, its totals and the APRC; saves nothing",
    "audit export": "writes the trail out for someone to read; adds to it and changes nothing",
    "outbox deliver": (
        "sends the e-mails waiting in the outbox and notes their delivery on their rows, "
        "which are out of the trail (crm/audit/registry.py); changes no record"
    ),
    "reports portfolio": "prints the portfolio's figures as of a day; saves nothing",
    "reports month-ends": (
        "keeps figures computed from the ledger in portfolio_month_ends, which is out of "
        "the trail (crm/audit/registry.py); changes no record"
    ),
}
#: Groups of commands that change no business record, with the reason.
READ_ONLY_GROUPS = {
    "db": (
        "Flask-Migrate's commands build and change the schema (upgrade, downgrade, stamp, "
        "migrate, …), not customers, loans or logins; the trail's own table comes with them"
    ),
}
#: What a read-only command is run with, to see that it writes nothing.
READ_ONLY_RUNS = {
    "loans quote": ["--amount", "10000", "--rate", "12", "--term", "12", "--method", "annuity"],
    "outbox deliver": ["--once"],
    "reports portfolio": ["--format", "json"],
    "reports month-ends": [],
}


@dataclass(frozen=True)
class Scenario:
    """A command's arguments (after its path), its input, and the events it writes."""

    args: Callable[[Ctx], list[str]]
    expect: Callable[[Ctx], list[Event]]
    input: str | None = None
    setup: Callable[[Ctx], object] | None = None
    #: False for a command that needs an empty database (no World).
    world: bool = True
    #: Entities the command writes in bulk and accounts for with one event of its own.
    bulk: frozenset[str] = frozenset()


def system_user_event(ctx: Ctx, action: str, name: str, changes: dict) -> Event:
    event = user_event(ctx, action, name, changes)
    return Event(event.action, "user", event.entity_id, changes, SYSTEM, event.customer_id, None)


def created(_ctx: Ctx) -> list[Event]:
    changes = {
        "email": [None, "new@example.com"],
        "full_name": [None, "Нова Менеджерка"],
        "role": [None, "manager"],
        "password_hash": [None, "***"],
    }
    return [Event("create", "user", ANY, changes, SYSTEM, None, None)]


def password_set(ctx: Ctx) -> list[Event]:
    ended = {"reason": "password_changed", "sessions": 1, "by": "system"}
    return [
        system_user_event(ctx, "update", "user", {"password_hash": ["***", "***"]}),
        security_event(ctx, "password_changed", "user", actor=SYSTEM, by="system"),
        security_event(ctx, "session_ended", "user", actor=SYSTEM, **ended),
    ]


def deactivated(ctx: Ctx) -> list[Event]:
    ended = {"reason": "deactivated", "sessions": 1, "by": "system"}
    return [
        system_user_event(ctx, "update", "user", {"active": [True, False]}),
        security_event(ctx, "session_ended", "user", actor=SYSTEM, **ended),
    ]


def second_factor_removed(ctx: Ctx) -> list[Event]:
    return [security_event(ctx, "second_factor_removed", "user", actor=SYSTEM, by="system")]


def demo_loaded(_ctx: Ctx) -> list[Event]:
    """One event for the load (its customers, loans, installments and payments are written
    in bulk, past the session's hook), and one per login and product, which it writes
    through the session."""
    return [
        Event("demo_load", ANY, by=SYSTEM),
        *(
            Event("create", "user", changes={"email": [None, e]}, by=SYSTEM)
            for e in DEMO_LOGIN_EMAILS
        ),
        *(
            Event("create", "product", changes={"name": [None, p["name"]]}, by=SYSTEM)
            for p in PRODUCTS
        ),
    ]


def pruned(_ctx: Ctx) -> list[Event]:
    """The manager's session ended a month before: deleted with the table out of the trail,
    and one event says how many went."""
    counts = {"user_sessions": [None, 1], "one_time_links": [None, 0]}
    return [Event("prune", "maintenance", None, counts, SYSTEM, None, None)]


#: The day `collections daily` runs for in its scenario.
COLLECTIONS_DAY = date(2026, 6, 15)


def loan_late_since_yesterday(ctx: Ctx) -> None:
    """A loan of the manager's customer whose installment fell due the day before."""
    customer = factories.CustomerFactory(manager=ctx.user("user"))
    factories.loan_with_installments(
        [(COLLECTIONS_DAY - timedelta(days=1), "100.00", "1.00")], customer=customer
    )
    db.session.commit()


def follow_up_added(ctx: Ctx) -> list[Event]:
    """The run's task for the manager, written through the session like any other."""
    changes = {"assignee_id": [None, ctx.world.user]}
    return [Event("create", "task", ANY, changes, SYSTEM)]


def manager_logged_out_a_month_ago(ctx: Ctx) -> None:
    ctx.log_in_elsewhere("user").post("/auth/logout")
    ctx.clock.advance(days=31)


def manager_logged_in_elsewhere(ctx: Ctx) -> None:
    ctx.log_in_elsewhere("user")


def manager_enrolled(ctx: Ctx) -> None:
    factories.enrol_second_factor(ctx.user("user"), ctx.clock.now)


MUTATING: dict[str, Scenario] = {
    "users create": Scenario(
        lambda _ctx: ["new@example.com", "--role", "manager", "--name", "Нова Менеджерка"],
        created,
        PASSWORD_TWICE,
    ),
    "users set-password": Scenario(
        lambda ctx: [ctx.email("user")],
        password_set,
        PASSWORD_TWICE,
        setup=manager_logged_in_elsewhere,
    ),
    "users deactivate": Scenario(
        lambda ctx: [ctx.email("user")], deactivated, setup=manager_logged_in_elsewhere
    ),
    "users remove-second-factor": Scenario(
        lambda ctx: [ctx.email("user")], second_factor_removed, setup=manager_enrolled
    ),
    "users prune": Scenario(lambda _ctx: [], pruned, setup=manager_logged_out_a_month_ago),
    "collections daily": Scenario(
        lambda _ctx: ["--as-of", COLLECTIONS_DAY.isoformat()],
        follow_up_added,
        setup=loan_late_since_yesterday,
    ),
    "import customers": Scenario(customers_file, lambda ctx: customer_imported(ctx, SYSTEM)),
    "import payments": Scenario(statement_file, payment_imported),
    "demo load": Scenario(
        lambda _ctx: ["--customers", "3"],
        demo_loaded,
        world=False,
        bulk=frozenset({"customer", "loan", "installment", "payment"}),
    ),
}


def command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> set[str]:
    """Every command under `group`, however deep: "users create", "db upgrade", …"""
    context = click.Context(group)
    paths = set()
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if isinstance(command, click.Group):
            paths |= command_paths(command, (*prefix, name))
        else:
            paths.add(" ".join((*prefix, name)))
    return paths


def commands(app: Flask) -> set[str]:
    return command_paths(app.cli)


def test_every_command_is_known(app):
    found = commands(app)
    schema = {path for path in found if path.split()[0] in READ_ONLY_GROUPS}
    read_only = found & set(READ_ONLY)
    unknown = found - set(MUTATING) - read_only - schema
    assert not unknown, "give each a scenario in MUTATING, or a reason in READ_ONLY"
    assert not set(MUTATING) - found, "these commands are gone; remove their scenarios"
    assert not set(READ_ONLY_RUNS) - read_only
    print(
        f"\naudit coverage: commands {len(found) - len(unknown)}/{len(found)} "
        f"({len(MUTATING)} mutating with their events, {len(read_only)} read-only, "
        f"{len(schema)} schema commands of {', '.join(READ_ONLY_GROUPS)})"
    )


@pytest.mark.parametrize("command", sorted(MUTATING))
def test_a_command_writes_exactly_its_events(app, client, runner, clock, tmp_path, command):
    scenario = MUTATING[command]
    world = World.build() if scenario.world else None
    ctx = Ctx(app, client, world, clock, tmp_path)
    if scenario.setup is not None:
        scenario.setup(ctx)
    args = [*command.split(), *scenario.args(ctx)]
    expected = scenario.expect(ctx)
    before, last = audited_rows(), last_event_id()

    result = runner.invoke(args=args, input=scenario.input)

    assert result.exit_code == 0, result.output
    written = written_since(last)
    stamps = {
        (event.actor_id, event.actor, event.command, event.ip, event.request_id)
        for event in written
    }
    assert stamps == {(None, SYSTEM, command, None, None)}
    assert_events(expected, written, actor_of(world))
    assert_events_match_tables(before, written, bulk=scenario.bulk)


@pytest.mark.parametrize("command", sorted(READ_ONLY_RUNS))
def test_a_read_only_command_writes_nothing(app, runner, command):
    World.build()
    before, last = audited_rows(), last_event_id()

    result = runner.invoke(args=[*command.split(), *READ_ONLY_RUNS[command]])

    assert result.exit_code == 0, result.output
    assert written_since(last) == []
    assert audited_rows() == before
