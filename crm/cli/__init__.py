"""Command-line tools: `flask --app wsgi db …` (Flask-Migrate's), `users …`, `demo …`,
`loans …`, `audit …`, `outbox …`, `collections …`, `reports …` and `import …`, a module per
group."""

from pathlib import Path

from flask import Flask

from crm.cli.audit import audit
from crm.cli.collections import collections
from crm.cli.demo import demo
from crm.cli.imports import imports
from crm.cli.loans import loans
from crm.cli.migrations import MigrationCommands
from crm.cli.outbox import outbox
from crm.cli.reports import reports
from crm.cli.users import users
from crm.i18n.commands import use_catalogue_for_click


def register(app: Flask) -> None:
    use_catalogue_for_click(Path(app.root_path) / "translations")
    app.cli.add_command(MigrationCommands())
    app.cli.add_command(users)
    app.cli.add_command(demo)
    app.cli.add_command(loans)
    app.cli.add_command(audit)
    app.cli.add_command(outbox)
    app.cli.add_command(collections)
    app.cli.add_command(reports)
    app.cli.add_command(imports)
