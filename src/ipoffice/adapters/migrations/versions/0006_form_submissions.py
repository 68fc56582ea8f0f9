"""submitted forms: one-time form tokens (a reload or double submit of a page's form does not act twice)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 14:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('web_form_submissions',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('target', sa.String(length=500), nullable=True),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_web_form_submissions'))
    )
    with op.batch_alter_table('web_form_submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_web_form_submissions_submitted_at'), ['submitted_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('web_form_submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_web_form_submissions_submitted_at'))
    op.drop_table('web_form_submissions')
