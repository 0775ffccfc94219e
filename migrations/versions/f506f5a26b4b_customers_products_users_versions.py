"""customers, products and users: optimistic versions

Revision ID: f506f5a26b4b
Revises: 4b408c367a3d
Create Date: 2026-11-30 18:05:42.798854

Like loans.version, each row counts its updates (SQLAlchemy's version_id_col), so that an
edit made on a form built from an older version is refused instead of saved over a newer
one. Rows already there start at version 1.

Plain ALTER TABLE on every database, not a batch: on SQLite a batch rebuilds the customers
table and would lose COLLATE uk in ix_customers_name_order (see 864c3a24cd18). The server
default that fills the existing rows is dropped again on PostgreSQL, where the models have
none; SQLite cannot drop a default without that rebuild, and there it does no harm (the
application always writes the version itself).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f506f5a26b4b'
down_revision = '4b408c367a3d'
branch_labels = None
depends_on = None

TABLES = ("customers", "products", "users")


def upgrade():
    for table in TABLES:
        op.add_column(
            table, sa.Column("version", sa.Integer(), nullable=False, server_default="1")
        )
        if op.get_bind().dialect.name != "sqlite":
            op.alter_column(table, "version", server_default=None)


def downgrade():
    for table in reversed(TABLES):
        op.drop_column(table, "version")
