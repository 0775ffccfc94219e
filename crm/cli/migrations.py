"""`flask db …`: Flask-Migrate's commands (upgrade, downgrade, migrate, …), imported when one
of them is asked for rather than when the app is made.

Importing Flask-Migrate imports Alembic, and with it Mako and Pygments: about 12 MB in every
served worker, for commands no web request runs (docs/PERFORMANCE.md, worker memory).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from flask import Flask, current_app
from flask.cli import ScriptInfo

if TYPE_CHECKING:
    from flask_migrate import Migrate


def set_up(app: Flask) -> Migrate:
    """Flask-Migrate bound to `app`, as its commands, its functions (`upgrade()`, …) and
    migrations/env.py expect to find it (`app.extensions["migrate"]`)."""
    from flask_migrate import Migrate

    from crm.extensions import db

    if "migrate" not in app.extensions:
        Migrate(app, db)
    return app.extensions["migrate"].migrate


def app_of(ctx: click.Context) -> Flask:
    """The app a command runs in: the active one, as Flask's with_appcontext takes it, else
    the one the `flask` command loads."""
    if current_app:
        return current_app._get_current_object()
    return ctx.ensure_object(ScriptInfo).load_app()


def flask_migrate_commands() -> click.Group:
    from flask_migrate.cli import db

    return db


class MigrationCommands(click.Group):
    """Stands in for Flask-Migrate's `db` group in `flask --help`; asked for anything more
    (a command, its help, the list), it sets Flask-Migrate up and hands over to its group."""

    def __init__(self) -> None:
        super().__init__("db", help="Perform database migrations (Flask-Migrate).")

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra
    ) -> click.Context:
        if parent is not None:
            set_up(app_of(parent))
        return flask_migrate_commands().make_context(info_name, args, parent=parent, **extra)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return flask_migrate_commands().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return flask_migrate_commands().get_command(ctx, cmd_name)
