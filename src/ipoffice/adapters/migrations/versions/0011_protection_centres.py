"""offices.level holds 'protection_centre' and number_sequences.number_type 'pub-utility_model' (17
characters each): widen both to 32 (PostgreSQL refused a utility model's grant publication number)

Revision ID: 0011
Revises: 0007
Create Date: 2026-11-30 17:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.alter_column('level', existing_type=sa.String(length=16), type_=sa.String(length=32),
                              existing_nullable=False)
    with op.batch_alter_table('number_sequences', schema=None) as batch_op:
        batch_op.alter_column('number_type', existing_type=sa.String(length=16), type_=sa.String(length=32),
                              existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('number_sequences', schema=None) as batch_op:
        batch_op.alter_column('number_type', existing_type=sa.String(length=32), type_=sa.String(length=16),
                              existing_nullable=False)
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.alter_column('level', existing_type=sa.String(length=32), type_=sa.String(length=16),
                              existing_nullable=False)
