"""trademark watches: a right holder's watched marks and the notices of conflicting publications

Revision ID: 0014
Revises: 0007
Create Date: 2026-11-30 18:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('trademark_watches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('holder', sa.String(length=64), nullable=False),
    sa.Column('mark', sa.Text(), nullable=False),
    sa.Column('classes', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trademark_watches'))
    )
    with op.batch_alter_table('trademark_watches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trademark_watches_holder'), ['holder'], unique=False)
    op.create_table('trademark_watch_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('watch_id', sa.Integer(), nullable=False),
    sa.Column('case_number', sa.String(length=40), nullable=False),
    sa.Column('published_mark', sa.Text(), nullable=False),
    sa.Column('classes', sa.String(length=200), nullable=False),
    sa.Column('publication_date', sa.Date(), nullable=False),
    sa.Column('opposition_ends', sa.Date(), nullable=False),
    sa.Column('score', sa.String(length=16), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('produced_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['watch_id'], ['trademark_watches.id'],
                            name=op.f('fk_trademark_watch_notices_watch_id_trademark_watches'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trademark_watch_notices')),
    sa.UniqueConstraint('watch_id', 'case_number', name='uq_trademark_watch_notices_watch_case')
    )
    with op.batch_alter_table('trademark_watch_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trademark_watch_notices_watch_id'), ['watch_id'], unique=False)


def downgrade() -> None:
    op.drop_table('trademark_watch_notices')
    op.drop_table('trademark_watches')
