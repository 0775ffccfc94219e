"""customers: an index in the list's name order

Revision ID: 864c3a24cd18
Revises: 586faebc0dae
Create Date: 2026-11-25 15:30:00.000000

The staff list sorts customers by ukrainian_order(last_name, first_name, patronymic), then
id (crm/models/sorting.py, crm/models/customer.py NAME_ORDER). An index only serves that
ORDER BY if its expressions are the same, so each database gets its own spelling of them.
Autogenerate cannot compare these expressions (see migrations/env.py); a test compares the
index this migration builds with the one the models build. On SQLite a later batch
migration that recreates the customers table loses COLLATE uk and must create this index
again. It replaces ix_customers_name (last_name, first_name), which no query reads.

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '864c3a24cd18'
down_revision = '586faebc0dae'
branch_labels = None
depends_on = None

POSTGRESQL = """
CREATE INDEX ix_customers_name_order ON customers (
    translate(last_name, '''’ʼ', '') COLLATE "uk-x-icu",
    translate(first_name, '''’ʼ', '') COLLATE "uk-x-icu",
    translate(patronymic, '''’ʼ', '') COLLATE "uk-x-icu",
    id
)
"""

# The uk collation is a Python function that the app registers on each SQLite connection
# (crm/__init__.py), so this runs through `flask db upgrade`; building it calls that
# function about 20 times per customer (some 10 s for 100 000 customers).
SQLITE = """
CREATE INDEX ix_customers_name_order ON customers (
    last_name COLLATE uk,
    first_name COLLATE uk,
    patronymic COLLATE uk,
    id
)
"""


def upgrade():
    op.execute(POSTGRESQL if op.get_bind().dialect.name == "postgresql" else SQLITE)
    op.drop_index('ix_customers_name', table_name='customers')


def downgrade():
    op.create_index('ix_customers_name', 'customers', ['last_name', 'first_name'])
    op.drop_index('ix_customers_name_order', table_name='customers')
