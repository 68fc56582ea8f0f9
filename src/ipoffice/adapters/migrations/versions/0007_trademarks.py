"""trademark records: marks (numbers, kind, status) and mark_texts; goods and services per language,
party addresses, office event codes

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 15:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def _child(name: str, *columns: sa.Column) -> None:  # type: ignore[type-arg]
    op.create_table(
        name,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('sequence', sa.Integer(), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f(f'fk_{name}_document_id_documents'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{name}')),
    )
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f'ix_{name}_document_id'), ['document_id'], unique=False)


def upgrade() -> None:
    with op.batch_alter_table('goods_and_services', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lang', sa.String(length=8), nullable=True))
    with op.batch_alter_table('parties', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('lang', sa.String(length=8), nullable=True))
    with op.batch_alter_table('legal_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('office_code', sa.String(length=32), nullable=True))
    _child('marks',
           sa.Column('registration_number', sa.String(length=40), nullable=True),
           sa.Column('registration_date', sa.Date(), nullable=True),
           sa.Column('international_number', sa.String(length=40), nullable=True),
           sa.Column('expiry_date', sa.Date(), nullable=True),
           sa.Column('feature', sa.String(length=32), nullable=True),
           sa.Column('feature_text', sa.Text(), nullable=True),
           sa.Column('kind_of_mark', sa.Text(), nullable=True),
           sa.Column('status_text', sa.Text(), nullable=True),
           sa.Column('status_date', sa.Date(), nullable=True),
           sa.Column('application_key', sa.String(length=40), nullable=True),
           sa.Column('registration_key', sa.String(length=40), nullable=True),
           sa.Column('international_key', sa.String(length=40), nullable=True))
    with op.batch_alter_table('marks', schema=None) as batch_op:
        for column in ('application_key', 'registration_key', 'international_key'):
            batch_op.create_index(batch_op.f(f'ix_marks_{column}'), [column], unique=False)
    _child('mark_texts',
           sa.Column('kind', sa.String(length=16), nullable=False),
           sa.Column('lang', sa.String(length=8), nullable=True),
           sa.Column('text', sa.Text(), nullable=False),
           sa.Column('text_date', sa.Date(), nullable=True))


def downgrade() -> None:
    op.drop_table('mark_texts')
    op.drop_table('marks')
    with op.batch_alter_table('legal_events', schema=None) as batch_op:
        batch_op.drop_column('office_code')
    with op.batch_alter_table('parties', schema=None) as batch_op:
        batch_op.drop_column('lang')
        batch_op.drop_column('address')
    with op.batch_alter_table('goods_and_services', schema=None) as batch_op:
        batch_op.drop_column('lang')
