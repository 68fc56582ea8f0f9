"""disputes: the right of each administrative-adjudication case; cases.other_parties (a dispute's respondent);
enforcement_recordals (customs recordals and e-commerce takedown requests against a patent)

Revision ID: 0012
Revises: 0007
Create Date: 2026-11-30 17:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0010'
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
    op.create_table(
        'enforcement_recordals',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('right_number', sa.String(length=40), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('authority', sa.Text(), nullable=False),
        sa.Column('reference', sa.String(length=100), nullable=False),
        sa.Column('recorded_on', sa.Date(), nullable=False),
        sa.Column('recorded_by', sa.String(length=64), nullable=False),
        sa.Column('flagged_on', sa.Date(), nullable=True),
        sa.Column('flag_reason', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_enforcement_recordals')),
    )
    with op.batch_alter_table('enforcement_recordals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enforcement_recordals_right_number'), ['right_number'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('enforcement_recordals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enforcement_recordals_right_number'))
    op.drop_table('enforcement_recordals')
    with op.batch_alter_table('disputes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_disputes_right_number'))
    op.drop_table('disputes')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('other_parties')
