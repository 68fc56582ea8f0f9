"""procedures: offices, users, cases, hash-chained case events, number sequences, notices

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 12:06:09.231601
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    event_chain = op.create_table('event_chain',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_sequence', sa.Integer(), nullable=False),
    sa.Column('head_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_chain'))
    )
    # The one head row of the event log: the empty chain (appends lock and move it).
    op.bulk_insert(event_chain, [{'id': 1, 'last_sequence': 0, 'head_hash': '0' * 64}])
    op.create_table('offices',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('jurisdiction', sa.String(length=2), nullable=False),
    sa.Column('parent_code', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['parent_code'], ['offices.code'], name=op.f('fk_offices_parent_code_offices')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_offices'))
    )
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offices_parent_code'), ['parent_code'], unique=False)

    op.create_table('number_sequences',
    sa.Column('office_code', sa.String(length=32), nullable=False),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('number_type', sa.String(length=16), nullable=False),
    sa.Column('last_serial', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['office_code'], ['offices.code'], name=op.f('fk_number_sequences_office_code_offices')),
    sa.PrimaryKeyConstraint('office_code', 'year', 'number_type', name=op.f('pk_number_sequences'))
    )
    op.create_table('users',
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('office_code', sa.String(length=32), nullable=False),
    sa.Column('roles', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['office_code'], ['offices.code'], name=op.f('fk_users_office_code_offices')),
    sa.PrimaryKeyConstraint('username', name=op.f('pk_users'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_office_code'), ['office_code'], unique=False)

    op.create_table('cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_number', sa.String(length=40), nullable=False),
    sa.Column('jurisdiction', sa.String(length=2), nullable=False),
    sa.Column('procedure', sa.String(length=64), nullable=False),
    sa.Column('right_type', sa.String(length=16), nullable=False),
    sa.Column('office_code', sa.String(length=32), nullable=False),
    sa.Column('applicant', sa.String(length=64), nullable=False),
    sa.Column('agent', sa.String(length=64), nullable=True),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('filing_date', sa.Date(), nullable=False),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.Column('state', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['agent'], ['users.username'], name=op.f('fk_cases_agent_users')),
    sa.ForeignKeyConstraint(['applicant'], ['users.username'], name=op.f('fk_cases_applicant_users')),
    sa.ForeignKeyConstraint(['office_code'], ['offices.code'], name=op.f('fk_cases_office_code_offices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases')),
    sa.UniqueConstraint('application_number', name=op.f('uq_cases_application_number'))
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cases_agent'), ['agent'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_applicant'), ['applicant'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_office_code'), ['office_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_state'), ['state'], unique=False)

    op.create_table('case_events',
    sa.Column('sequence', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('event_date', sa.Date(), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('office_code', sa.String(length=32), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('previous_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_events_case_id_cases')),
    sa.PrimaryKeyConstraint('sequence', name=op.f('pk_case_events')),
    sa.UniqueConstraint('hash', name=op.f('uq_case_events_hash'))
    )
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_events_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_events_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_events_event_date'), ['event_date'], unique=False)

    op.create_table('notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('event_sequence', sa.Integer(), nullable=True),
    sa.Column('notice_date', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('addressee', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_notices_case_id_cases')),
    sa.ForeignKeyConstraint(['event_sequence'], ['case_events.sequence'], name=op.f('fk_notices_event_sequence_case_events')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notices'))
    )
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notices_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notices_event_sequence'), ['event_sequence'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notices_event_sequence'))
        batch_op.drop_index(batch_op.f('ix_notices_case_id'))

    op.drop_table('notices')
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_events_event_date'))
        batch_op.drop_index(batch_op.f('ix_case_events_code'))
        batch_op.drop_index(batch_op.f('ix_case_events_case_id'))

    op.drop_table('case_events')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_state'))
        batch_op.drop_index(batch_op.f('ix_cases_office_code'))
        batch_op.drop_index(batch_op.f('ix_cases_applicant'))
        batch_op.drop_index(batch_op.f('ix_cases_agent'))

    op.drop_table('cases')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_office_code'))

    op.drop_table('users')
    op.drop_table('number_sequences')
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offices_parent_code'))

    op.drop_table('offices')
    op.drop_table('event_chain')
