"""recorded assignments (reel/frame, typed conveyance, parties, properties, referenced recordings) and other
offices' recorded legal events (USPTO ODP transactions, EPO INPADOC) and legal-event code tables

Revision ID: 0009
Revises: 0007
Create Date: 2026-11-30 17:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0007'
branch_labels = None
depends_on = None

_CHILDREN = ('assignment_parties', 'assignment_properties', 'assignment_references')


def _child(name: str, *columns: sa.Column) -> None:  # type: ignore[type-arg]
    op.create_table(
        name,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('assignment_id', sa.Integer(), nullable=False),
        sa.Column('sequence', sa.Integer(), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'],
                                name=op.f(f'fk_{name}_assignment_id_assignments'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{name}')),
    )
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f'ix_{name}_assignment_id'), ['assignment_id'], unique=False)


def upgrade() -> None:
    op.create_table(
        'assignments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('reel', sa.Integer(), nullable=False),
        sa.Column('frame', sa.Integer(), nullable=False),
        sa.Column('recorded_date', sa.Date(), nullable=False),
        sa.Column('conveyance_text', sa.Text(), nullable=False),
        sa.Column('conveyance_type', sa.String(length=32), nullable=False),
        sa.Column('matched_pattern', sa.Text(), nullable=True),
        sa.Column('page_count', sa.Integer(), nullable=True),
        sa.Column('correspondent', sa.Text(), nullable=False),
        sa.Column('source', sa.String(length=32), nullable=False),
        sa.Column('source_file', sa.Text(), nullable=True),
        sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_assignments')),
        sa.UniqueConstraint('reel', 'frame', name='uq_assignments_reel_frame'),
    )
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignments_conveyance_type'), ['conveyance_type'], unique=False)
    _child('assignment_parties',
           sa.Column('role', sa.String(length=16), nullable=False),
           sa.Column('name', sa.Text(), nullable=False),
           sa.Column('execution_date', sa.Date(), nullable=True),
           sa.Column('address', sa.Text(), nullable=False))
    _child('assignment_properties',
           sa.Column('application_number', sa.String(length=40), nullable=True),
           sa.Column('patent_number', sa.String(length=40), nullable=True),
           sa.Column('publication_number', sa.String(length=40), nullable=True),
           sa.Column('title', sa.Text(), nullable=False))
    with op.batch_alter_table('assignment_properties', schema=None) as batch_op:
        for column in ('application_number', 'patent_number', 'publication_number'):
            batch_op.create_index(batch_op.f(f'ix_assignment_properties_{column}'), [column], unique=False)
    _child('assignment_references',
           sa.Column('reel', sa.Integer(), nullable=False),
           sa.Column('frame', sa.Integer(), nullable=False))
    op.create_table(
        'recorded_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=40), nullable=False),
        sa.Column('application_number', sa.String(length=40), nullable=True),
        sa.Column('source', sa.String(length=32), nullable=False),
        sa.Column('sequence', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=32), nullable=False),
        sa.Column('event_date', sa.Date(), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('authority', sa.String(length=8), nullable=True),
        sa.Column('territory', sa.String(length=8), nullable=True),
        sa.Column('designated', sa.Text(), nullable=False),
        sa.Column('source_file', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_recorded_events')),
    )
    with op.batch_alter_table('recorded_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recorded_events_application_number'), ['application_number'], unique=False)
        batch_op.create_index('ix_recorded_events_number_source', ['number', 'source'], unique=False)


    op.create_table(
        'legal_event_codes',
        sa.Column('authority', sa.String(length=8), nullable=False),
        sa.Column('code', sa.String(length=16), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('event_class', sa.String(length=2), nullable=False),
        sa.Column('influence', sa.String(length=2), nullable=False),
        sa.PrimaryKeyConstraint('authority', 'code', name=op.f('pk_legal_event_codes')),
    )


def downgrade() -> None:
    op.drop_table('legal_event_codes')
    op.drop_table('recorded_events')
    for name in _CHILDREN:
        op.drop_table(name)
    op.drop_table('assignments')
