"""centre_registrations: applicants registered with a protection centre by its staff (dated)

Revision ID: 0016
Revises: 0012
Create Date: 2026-11-30 20:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'centre_registrations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('centre', sa.String(length=32), nullable=False),
        sa.Column('applicant', sa.String(length=64), nullable=False),
        sa.Column('registered_on', sa.Date(), nullable=False),
        sa.Column('until', sa.Date(), nullable=True),
        sa.Column('reference', sa.Text(), nullable=False),
        sa.Column('recorded_by', sa.String(length=64), nullable=False),
        sa.Column('recorded_on', sa.Date(), nullable=False),
        sa.Column('ended_by', sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_centre_registrations')),
    )
    with op.batch_alter_table('centre_registrations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_centre_registrations_centre'), ['centre'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('centre_registrations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_centre_registrations_centre'))
    op.drop_table('centre_registrations')
