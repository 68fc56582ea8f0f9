"""the event log is append-only: triggers refuse UPDATE, DELETE (and on PostgreSQL TRUNCATE) of case_events
and moving the head back

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 12:30:00
"""
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

_PG = [
    """
    CREATE OR REPLACE FUNCTION ipoffice_log_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'the event log is append-only: % of case_events refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events
    FOR EACH ROW EXECUTE FUNCTION ipoffice_log_append_only()
    """,
    """
    CREATE TRIGGER case_events_no_truncate BEFORE TRUNCATE ON case_events
    FOR EACH STATEMENT EXECUTE FUNCTION ipoffice_log_append_only()
    """,
    """
    CREATE OR REPLACE FUNCTION ipoffice_head_forward_only() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'the head of the event log cannot be deleted' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW.last_sequence < OLD.last_sequence
           OR (NEW.last_sequence = OLD.last_sequence AND NEW.head_hash <> OLD.head_hash) THEN
            RAISE EXCEPTION 'the head of the event log only moves forward (% -> %)',
                OLD.last_sequence, NEW.last_sequence USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER event_chain_forward_only BEFORE UPDATE OR DELETE ON event_chain
    FOR EACH ROW EXECUTE FUNCTION ipoffice_head_forward_only()
    """,
]

_SQLITE = [
    """
    CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
    BEGIN SELECT RAISE(ABORT, 'the event log is append-only: UPDATE of case_events refused'); END
    """,
    """
    CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
    BEGIN SELECT RAISE(ABORT, 'the event log is append-only: DELETE of case_events refused'); END
    """,
    """
    CREATE TRIGGER event_chain_forward_only BEFORE UPDATE ON event_chain
    WHEN NEW.last_sequence < OLD.last_sequence
         OR (NEW.last_sequence = OLD.last_sequence AND NEW.head_hash <> OLD.head_hash)
    BEGIN SELECT RAISE(ABORT, 'the head of the event log only moves forward'); END
    """,
    """
    CREATE TRIGGER event_chain_no_delete BEFORE DELETE ON event_chain
    BEGIN SELECT RAISE(ABORT, 'the head of the event log cannot be deleted'); END
    """,
]


def upgrade() -> None:
    statements = _PG if op.get_bind().dialect.name == "postgresql" else _SQLITE
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS event_chain_forward_only ON event_chain")
        op.execute("DROP TRIGGER IF EXISTS case_events_append_only ON case_events")
        op.execute("DROP TRIGGER IF EXISTS case_events_no_truncate ON case_events")
        op.execute("DROP FUNCTION IF EXISTS ipoffice_head_forward_only()")
        op.execute("DROP FUNCTION IF EXISTS ipoffice_log_append_only()")
    else:
        for name in ("case_events_no_update", "case_events_no_delete", "event_chain_forward_only",
                     "event_chain_no_delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
