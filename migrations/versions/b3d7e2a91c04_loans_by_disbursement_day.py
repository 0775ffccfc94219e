"""loans by disbursement day

Revision ID: b3d7e2a91c04
Revises: f27ae18b2aa9
Create Date: 2026-12-01 02:30:00.000000

- loans (disbursed_on, amount): the dashboard's disbursements by month read the loans
  disbursed in a range of days and their amounts from this index alone, so the work follows
  the months shown rather than every application ever made.

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b3d7e2a91c04'
down_revision = 'f27ae18b2aa9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_loans_disbursed_on_amount', 'loans', ['disbursed_on', 'amount'], unique=False)


def downgrade():
    op.drop_index('ix_loans_disbursed_on_amount', table_name='loans')
