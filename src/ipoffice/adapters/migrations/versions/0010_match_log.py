"""match log of need → patent matching (issue #16)

Revision ID: 0010
Revises: 0014
Create Date: 2026-11-30 18:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'match_log',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('matched_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('channel', sa.String(length=16), nullable=False),
        sa.Column('need', sa.Text(), nullable=False),
        sa.Column('need_lang', sa.String(length=8), nullable=False),
        sa.Column('in_force_only', sa.Boolean(), nullable=False),
        sa.Column('results', sa.Integer(), nullable=False),
        sa.Column('numbers', sa.Text(), nullable=False),
        sa.Column('top_score', sa.String(length=16), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_match_log')),
    )
    with op.batch_alter_table('match_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_match_log_matched_at'), ['matched_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('match_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_match_log_matched_at'))
    op.drop_table('match_log')
