"""`flask db …`: Flask-Migrate's commands, there for the command line, and neither Flask-Migrate
nor Alembic in a served app (crm/cli/migrations.py)."""

import subprocess
import sys
from pathlib import Path

from sqlalchemy import inspect

from crm import create_app
from crm.extensions import db

ROOT = Path(__file__).resolve().parents[2]
MIGRATIONS = ROOT / "migrations"
#: What `import flask_migrate` brings into a process: about 12 MB a worker.
MIGRATION_MODULES = ("flask_migrate", "alembic", "mako", "pygments")


def test_db_upgrade_runs_through_the_app(config_class, tmp_path):
    config = type(
        "Empty", (config_class,), {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/new.db"}
    )
    app = create_app(config)
    # As `flask db upgrade` does: the command runs in the context of the app it loaded.
    with app.app_context():
        result = app.test_cli_runner().invoke(
            args=["db", "upgrade", "--directory", str(MIGRATIONS)]
        )

        assert result.exit_code == 0, result.output
        assert set(inspect(db.engine).get_table_names()) >= set(db.metadata.tables)
        db.engine.dispose()


def test_db_help_is_flask_migrates(runner):
    result = runner.invoke(args=["db", "--help"])

    assert result.exit_code == 0, result.output
    for command in ("upgrade", "downgrade", "migrate", "stamp"):
        assert command in result.output


def test_an_app_made_to_serve_imports_no_migration_tools(tmp_path):
    made = (
        "import sys; from config import TestingConfig; from crm import create_app; "
        f"create_app(TestingConfig); print([m for m in {MIGRATION_MODULES!r} if m in sys.modules])"
    )
    output = subprocess.run(
        [sys.executable, "-c", made], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout

    assert output.strip() == "[]"
