"""loans by customer, newest first

Revision ID: 7d2e4b9a1c30
Revises: 3c1e0d9f7b21
Create Date: 2026-12-02 15:30:00.000000

The loans list searched by a name lists the loans of the customers found (a surname: 1 600
customers, 4 900 loans at 100 000 customers) newest first. An index of the loans by customer
and then in the list's order lets a page read those loans' ids from the index alone and sort
them before it builds its 25 rows (crm.paging.paginate's sort_first): on PostgreSQL 31 → 16 ms.
It also serves every lookup of a customer's loans, so it replaces the index of customer_id
alone.

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '7d2e4b9a1c30'
down_revision = '3c1e0d9f7b21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_loans_customer_id_created_at_id', 'loans', ['customer_id', 'created_at', 'id']
    )
    op.drop_index('ix_loans_customer_id', table_name='loans')


def downgrade():
    op.create_index('ix_loans_customer_id', 'loans', ['customer_id'])
    op.drop_index('ix_loans_customer_id_created_at_id', table_name='loans')
