"""offices.level holds 'protection_centre' (17 characters): widen it to 32

Revision ID: 0011
Revises: 0007
Create Date: 2026-11-30 17:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.alter_column('level', existing_type=sa.String(length=16), type_=sa.String(length=32),
                              existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.alter_column('level', existing_type=sa.String(length=32), type_=sa.String(length=16),
                              existing_nullable=False)
