"""The migrations build the schema the models describe, and take it down again."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import CheckConstraint, create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError

from crm import create_app
from crm.cli.migrations import set_up
from crm.extensions import db
from crm.models.audit import APPEND_ONLY_MESSAGE
from crm.models.sorting import compared_by_autogenerate, in_ukrainian_order

MIGRATIONS = str(Path(__file__).resolve().parent.parent / "migrations")


@pytest.fixture
def empty_database_url(database_url, tmp_path) -> Iterator[str]:
    """A database with nothing in it, beside the suite's own (whose tables already exist)."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    url = make_url(database_url)
    name = f"{url.database}_migrations"
    server = create_engine(url, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


@pytest.fixture
def migration_app(config_class, empty_database_url):
    config = type(
        "MigrationConfig", (config_class,), {"SQLALCHEMY_DATABASE_URI": empty_database_url}
    )
    app = create_app(config)
    set_up(app)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def user_tables() -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_builds_what_the_models_describe(migration_app):
    upgrade(directory=MIGRATIONS)
    assert user_tables() == set(db.metadata.tables)
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "include_object": compared_by_autogenerate},
        )
        assert compare_metadata(context, db.metadata) == []


def index_definition(connection, name: str) -> list[tuple]:
    """The index as the database describes it, collations and directions included."""
    if connection.dialect.name == "postgresql":
        statement = text("SELECT indexdef FROM pg_indexes WHERE indexname = :name")
        return list(connection.execute(statement, {"name": name}))
    # (seqno, cid, name, desc, coll, key) for each column, the rowid included.
    return list(connection.exec_driver_sql(f'PRAGMA index_xinfo("{name}")'))


def test_upgrade_builds_the_indexes_autogenerate_cannot_compare_as_the_models_do(migration_app):
    # A batch migration on SQLite rebuilds a table's indexes from reflection, which would
    # drop COLLATE uk without a word; this catches that too.
    names = [
        index.name
        for table in db.metadata.sorted_tables
        for index in table.indexes
        if in_ukrainian_order(index)
    ]
    assert names, "nothing to compare"
    upgrade(directory=MIGRATIONS)
    with db.engine.connect() as connection:
        migrated = {name: index_definition(connection, name) for name in names}
    downgrade(directory=MIGRATIONS, revision="base")
    db.create_all()
    with db.engine.connect() as connection:
        modelled = {name: index_definition(connection, name) for name in names}
    assert all(modelled.values())
    assert migrated == modelled


def test_upgrade_creates_every_named_check_constraint(migration_app):
    # Alembic's comparison above does not look at CHECK constraints.
    upgrade(directory=MIGRATIONS)
    inspector = inspect(db.engine)
    for table in db.metadata.sorted_tables:
        expected = {c.name for c in table.constraints if isinstance(c, CheckConstraint)}
        found = {c["name"] for c in inspector.get_check_constraints(table.name)}
        assert expected <= found, f"{table.name} lacks {expected - found}"


def test_every_revision_upgrades_and_downgrades_in_turn(migration_app):
    config = set_up(migration_app).get_config(MIGRATIONS)
    revisions = list(reversed(list(ScriptDirectory.from_config(config).walk_revisions())))
    assert revisions, "there are no migrations"
    for revision in revisions:
        upgrade(directory=MIGRATIONS, revision=revision.revision)
    for revision in reversed(revisions):
        downgrade(directory=MIGRATIONS, revision=revision.down_revision or "base")
    assert user_tables() == set()
    upgrade(directory=MIGRATIONS)
    assert user_tables() == set(db.metadata.tables)


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_events SET actor = 'x'", "DELETE FROM audit_events"]
)
def test_upgrade_makes_the_audit_trail_append_only(migration_app, statement):
    upgrade(directory=MIGRATIONS)
    db.session.execute(
        text(
            "INSERT INTO audit_events (at, actor, action, entity, changes) "
            "VALUES (CURRENT_TIMESTAMP, 'system', 'create', 'customer', '{}')"
        )
    )
    db.session.commit()

    with pytest.raises(DatabaseError, match=APPEND_ONLY_MESSAGE), db.engine.begin() as connection:
        connection.execute(text(statement))
