"""inventory: a university's stock-patent inventory (members, entries, append-only dated events)

Revision ID: 0015
Revises: 0012
Create Date: 2026-11-30 20:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0012'
branch_labels = None
depends_on = None

_PG = [
    """
    CREATE OR REPLACE FUNCTION ipoffice_inventory_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'inventory events are append-only: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER inventory_events_append_only BEFORE UPDATE OR DELETE ON inventory_events
    FOR EACH ROW EXECUTE FUNCTION ipoffice_inventory_append_only()
    """,
]
_SQLITE = [
    """
    CREATE TRIGGER inventory_events_no_update BEFORE UPDATE ON inventory_events
    BEGIN SELECT RAISE(ABORT, 'inventory events are append-only: UPDATE refused'); END
    """,
    """
    CREATE TRIGGER inventory_events_no_delete BEFORE DELETE ON inventory_events
    BEGIN SELECT RAISE(ABORT, 'inventory events are append-only: DELETE refused'); END
    """,
]


def upgrade() -> None:
    op.create_table(
        'inventory_members',
        sa.Column('holder', sa.String(length=200), nullable=False),
        sa.Column('username', sa.String(length=64), nullable=False),
        sa.Column('function', sa.String(length=16), nullable=False),
        sa.Column('added_by', sa.String(length=64), nullable=False),
        sa.Column('added_on', sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint('holder', 'username', name=op.f('pk_inventory_members')),
    )
    op.create_table(
        'inventory_entries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('holder', sa.String(length=200), nullable=False),
        sa.Column('number', sa.String(length=32), nullable=False),
        sa.Column('keeper', sa.String(length=64), nullable=False),
        sa.Column('created_on', sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_inventory_entries')),
        sa.UniqueConstraint('holder', 'number', name='uq_inventory_entries_holder_number'),
    )
    with op.batch_alter_table('inventory_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inventory_entries_holder'), ['holder'], unique=False)
    op.create_table(
        'inventory_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('entry_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=16), nullable=False),
        sa.Column('event_date', sa.Date(), nullable=False),
        sa.Column('actor', sa.String(length=64), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['entry_id'], ['inventory_entries.id'],
                                name=op.f('fk_inventory_events_entry_id_inventory_entries')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_inventory_events')),
    )
    with op.batch_alter_table('inventory_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inventory_events_entry_id'), ['entry_id'], unique=False)
    for statement in (_PG if op.get_bind().dialect.name == "postgresql" else _SQLITE):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS inventory_events_append_only ON inventory_events")
        op.execute("DROP FUNCTION IF EXISTS ipoffice_inventory_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS inventory_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS inventory_events_no_delete")
    with op.batch_alter_table('inventory_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inventory_events_entry_id'))
    op.drop_table('inventory_events')
    with op.batch_alter_table('inventory_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inventory_entries_holder'))
    op.drop_table('inventory_entries')
    op.drop_table('inventory_members')
