"""Alembic environment for Flask-Migrate: the app's engine and the models' metadata."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

from crm.models.sorting import compared_by_autogenerate

config = context.config
if config.config_file_name is not None:
    # Keep the app's own loggers working when migrations run inside a test or a CLI command.
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")


def get_engine():
    # Flask-SQLAlchemy 3's `db.engine`; `db.get_engine()` is deprecated and warns.
    return current_app.extensions["migrate"].db.engine


config.set_main_option(
    "sqlalchemy.url", get_engine().url.render_as_string(hide_password=False).replace("%", "%%")
)
target_db = current_app.extensions["migrate"].db


def get_metadata():
    return target_db.metadatas[None]


#: SQLite cannot ALTER most things in place; batch mode rebuilds the table instead. Indexes in
#: Ukrainian name order are left out of the comparison, which Alembic cannot make for them (on
#: SQLite it still logs "Generating approximate signature" for them first).
COMMON_OPTIONS = {
    "render_as_batch": True,
    "compare_type": True,
    "include_object": compared_by_autogenerate,
}


def run_migrations_offline():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=get_metadata(),
        literal_binds=True,
        **COMMON_OPTIONS,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def process_revision_directives(_context, _revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = {**current_app.extensions["migrate"].configure_args, **COMMON_OPTIONS}
    conf_args.setdefault("process_revision_directives", process_revision_directives)

    connectable = get_engine()
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=get_metadata(), **conf_args)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
