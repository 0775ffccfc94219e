"""deep pages read their ids from the index alone

Revision ID: 3c1e0d9f7b21
Revises: a66430a027b4
Create Date: 2026-12-02 00:40:00.000000

A page deep in a long list reads the ids of the rows before it from an index (crm/paging.py,
the admin's pages). PostgreSQL reads an index alone, with no visit to the table, only when
the index holds every column the order is made of:
- ix_customers_name_order INCLUDEs the three names on PostgreSQL (its keys are expressions of
  them): the middle page of 100 000 customers by name 68 → 11 ms. SQLite's entries already
  hold what the query reads; there it stays as it is.
- loans (created_at, id) replaces (created_at): the last of the admin's 12 145 pages of loans
  400 → 35 ms on PostgreSQL. On SQLite the two hold the same (an entry ends with the rowid).

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '3c1e0d9f7b21'
down_revision = 'a66430a027b4'
branch_labels = None
depends_on = None

NAME_ORDER = """
CREATE INDEX ix_customers_name_order ON customers (
    translate(last_name, '''’ʼ', '') COLLATE "uk-x-icu",
    translate(first_name, '''’ʼ', '') COLLATE "uk-x-icu",
    translate(patronymic, '''’ʼ', '') COLLATE "uk-x-icu",
    id
)
"""
NAMES_INCLUDED = "INCLUDE (last_name, first_name, patronymic)"


def upgrade():
    _name_order(NAME_ORDER + NAMES_INCLUDED)
    op.create_index('ix_loans_created_at_id', 'loans', ['created_at', 'id'])
    op.drop_index('ix_loans_created_at', table_name='loans')


def downgrade():
    op.create_index('ix_loans_created_at', 'loans', ['created_at'])
    op.drop_index('ix_loans_created_at_id', table_name='loans')
    _name_order(NAME_ORDER)


def _name_order(definition: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index('ix_customers_name_order', table_name='customers')
    op.execute(definition)
