"""disputes: the right of each administrative-adjudication case; cases.other_parties (a dispute's respondent)

Revision ID: 0012
Revises: 0007
Create Date: 2026-11-30 17:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('other_parties', sa.String(length=200), nullable=True))
    op.create_table(
        'disputes',
        sa.Column('case_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('right_number', sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_disputes_case_id_cases')),
        sa.PrimaryKeyConstraint('case_id', name=op.f('pk_disputes')),
    )
    with op.batch_alter_table('disputes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_disputes_right_number'), ['right_number'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('disputes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_disputes_right_number'))
    op.drop_table('disputes')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('other_parties')
