"""customer search terms and loans by amount

Revision ID: f27ae18b2aa9
Revises: c5704aa3ca9d
Create Date: 2026-11-30 23:29:07.147014

- customer_search_terms: the words each customer is found by (crm/models/search_term.py),
  indexed by term so that the staff search looks a prefix up as a range of the index instead
  of scanning every customer. Filled here for the customers already there, a batch at a
  time; from now on a mapper event keeps them.
- loans (amount, id): the loans list sorted by amount reads this index.
The downgrade drops both; the customers keep their search_text, which nothing removes.

"""
import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f27ae18b2aa9'
down_revision = 'c5704aa3ca9d'
branch_labels = None
depends_on = None

BATCH = 5000

# The rules of crm/models/search_term.py customer_terms as they were when this ran: a
# migration builds what it built that day, whatever the app's rules become later.
APOSTROPHE = re.compile("['\u2019\u02bc]")
WORD_BREAK = re.compile(r"[\s\-]+")


def _terms(last_name, first_name, patronymic, phone, email):
    name = " ".join(part for part in (last_name, first_name, patronymic) if part)
    words = WORD_BREAK.split(APOSTROPHE.sub("'", name.casefold()))
    terms = {"n:" + word[:100] for word in words if word}
    number = "".join(c for c in phone or "" if c.isdigit()).removeprefix("380")
    terms.update("p:" + number[start:] for start in range(len(number) - 4))
    if email:
        terms.add("e:" + email.casefold())
    return {term[:256] for term in terms}


def _fill(table):
    connection = op.get_bind()
    customers = sa.table(
        "customers", *(sa.column(name) for name in (
            "id", "last_name", "first_name", "patronymic", "phone", "email"
        ))
    )
    after = 0
    while True:
        rows = connection.execute(
            sa.select(customers).where(customers.c.id > after).order_by(customers.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        terms = [
            {"customer_id": row.id, "term": term}
            for row in rows
            for term in sorted(_terms(*row[1:]))
        ]
        connection.execute(table.insert(), terms)
        after = rows[-1].id


def upgrade():
    table = op.create_table('customer_search_terms',
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('term', sa.String(length=256).with_variant(sa.String(length=256, collation='C'), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_customer_search_terms_customer_id_customers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('customer_id', 'term', name=op.f('pk_customer_search_terms'))
    )
    _fill(table)
    op.create_index('ix_customer_search_terms_term', 'customer_search_terms', ['term', 'customer_id'], unique=False)
    op.create_index('ix_loans_amount_id', 'loans', ['amount', 'id'], unique=False)


def downgrade():
    op.drop_index('ix_loans_amount_id', table_name='loans')
    op.drop_index('ix_customer_search_terms_term', table_name='customer_search_terms')
    op.drop_table('customer_search_terms')
