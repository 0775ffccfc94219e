"""overdue queue indexes

Revision ID: a66430a027b4
Revises: 5fa0811c0053
Create Date: 2026-12-01 06:14:38.006594

What the overdue queue (crm/loans/queries/overdue.py, follow_up.py) reads for every overdue
loan when it sorts and filters them:
- loans (status, oldest_unpaid_due_on, customer_id) in place of (status, oldest_unpaid_due_on):
  the overdue loans in order with their customers, for the "mine" and "no contact" filters,
  without reading the loans' rows.
- installments (loan_id, due_date): a loan's installments from its oldest unpaid one, for
  its overdue amount and its next due date.
- interactions (loan_id, outcome, created_at): a loan's latest promise to pay.
The downgrade puts the loans index back as it was and drops the others.

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a66430a027b4'
down_revision = '5fa0811c0053'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_loans_status_oldest_unpaid_due_on_customer_id',
        'loans',
        ['status', 'oldest_unpaid_due_on', 'customer_id'],
        unique=False,
    )
    op.drop_index('ix_loans_status_oldest_unpaid_due_on', table_name='loans')
    op.create_index(
        'ix_installments_loan_id_due_date', 'installments', ['loan_id', 'due_date'], unique=False
    )
    op.create_index(
        'ix_interactions_loan_id_outcome_created_at',
        'interactions',
        ['loan_id', 'outcome', 'created_at'],
        unique=False,
    )


def downgrade():
    op.drop_index('ix_interactions_loan_id_outcome_created_at', table_name='interactions')
    op.drop_index('ix_installments_loan_id_due_date', table_name='installments')
    op.create_index(
        'ix_loans_status_oldest_unpaid_due_on',
        'loans',
        ['status', 'oldest_unpaid_due_on'],
        unique=False,
    )
    op.drop_index('ix_loans_status_oldest_unpaid_due_on_customer_id', table_name='loans')
