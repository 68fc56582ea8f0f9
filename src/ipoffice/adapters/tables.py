"""The register's relational schema (SQLAlchemy Core), identical on SQLite and PostgreSQL.

Alembic migrations in ``adapters/migrations`` create it; a test checks they stay in step with this file.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _child(name: str, *columns: Column) -> Table:  # type: ignore[type-arg]
    """A table of rows that belong to one document and are replaced with it."""
    return Table(
        name,
        metadata,
        Column("id", Integer, primary_key=True),
        Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
        Column("sequence", Integer, nullable=False, default=0),
        *columns,
    )


documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("number", String(32), nullable=False, unique=True),  # compact: US7654321B2
    Column("country", String(2), nullable=False, index=True),
    Column("serial", String(24), nullable=False),
    Column("kind", String(2)),
    Column("right_type", String(16), nullable=False),
    Column("publication_date", Date, index=True),
    Column("application_number", String(40), index=True),
    Column("application_date", Date),
    Column("mark_text", Text),
    Column("source_format", String(32), nullable=False),
    Column("source_file", Text),
    Column("content_hash", String(64), nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_documents_country_serial", "country", "serial"),
)

document_texts = _child(
    "document_texts",
    Column("field", String(16), nullable=False),
    Column("lang", String(8), nullable=False),
    Column("text", Text, nullable=False),
    Column("text_normalised", Text),  # NULL: the same as text
)

claims = _child(
    "claims",
    Column("number", Integer, nullable=False),
    Column("lang", String(8), nullable=False),
    Column("text", Text, nullable=False),
    Column("text_normalised", Text),  # NULL: the same as text
    Column("depends_on", String(200), nullable=False, default=""),
)

classifications = _child(
    "classifications",
    Column("scheme", String(8), nullable=False),
    Column("symbol", String(32), nullable=False, index=True),
    Column("subclass", String(8), index=True),
    Column("is_main", Boolean, nullable=False, default=False),
)

parties = _child(
    "parties",
    Column("role", String(16), nullable=False),
    Column("name", Text, nullable=False),
    Column("country", String(8)),
    Column("address", Text),
    Column("lang", String(8)),
)

citations = _child(
    "citations",
    Column("cited_by", String(16), nullable=False),
    Column("cited_number", String(40), index=True),
    Column("country", String(8)),
    Column("kind", String(4)),
    Column("cited_date", Date),
    Column("text", Text),
    Column("category", String(8)),
)

priority_claims = _child(
    "priority_claims",
    Column("country", String(8), nullable=False),
    Column("number", String(40), nullable=False),
    Column("priority_date", Date),
)

legal_events = _child(
    "legal_events",
    Column("code", String(32), nullable=False),
    Column("event_date", Date, nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("office_code", String(32)),
)

goods_and_services = _child(
    "goods_and_services",
    Column("nice_class", Integer, nullable=False),
    Column("terms", Text, nullable=False),
    Column("lang", String(8)),
)

# A trademark's own data (domain.trademark.MarkDetails), one row per mark; the *_key columns hold the
# printed numbers in the form they are looked up by (domain.trademark.printed_key).
marks = _child(
    "marks",
    Column("registration_number", String(40)),
    Column("registration_date", Date),
    Column("international_number", String(40)),
    Column("expiry_date", Date),
    Column("feature", String(32)),
    Column("feature_text", Text),
    Column("kind_of_mark", Text),
    Column("status_text", Text),
    Column("status_date", Date),
    Column("application_key", String(40), index=True),
    Column("registration_key", String(40), index=True),
    Column("international_key", String(40), index=True),
)

mark_texts = _child(
    "mark_texts",
    Column("kind", String(16), nullable=False),
    Column("lang", String(8)),
    Column("text", Text, nullable=False),
    Column("text_date", Date),
)

DOCUMENT_CHILDREN = (
    document_texts, claims, classifications, parties, citations, priority_claims, legal_events, goods_and_services,
    marks, mark_texts,
)

ipc_entries = Table(
    "ipc_entries",
    metadata,
    Column("symbol", String(32), primary_key=True),
    Column("level", String(16), nullable=False),
    Column("title_en", Text, nullable=False),
    Column("title_zh", Text, nullable=False),
)

nice_classes = Table(
    "nice_classes",
    metadata,
    Column("edition", String(16), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("heading", Text, nullable=False),
    Column("explanatory_note", Text, nullable=False, default=""),
)

nice_terms = Table(
    "nice_terms",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("edition", String(16), nullable=False),
    Column("class_number", Integer, nullable=False, index=True),
    Column("term", Text, nullable=False),
    Column("basic_number", String(16)),
    UniqueConstraint("edition", "class_number", "term", name="uq_nice_terms_edition_class_term"),
)

import_runs = Table(
    "import_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("paths", Text, nullable=False),
    Column("added", Integer, nullable=False, default=0),
    Column("updated", Integer, nullable=False, default=0),
    Column("unchanged", Integer, nullable=False, default=0),
    Column("reference_records", Integer, nullable=False, default=0),
    Column("problems", Integer, nullable=False, default=0),
    Column("status", String(16), nullable=False),
)

# Need → patent matching (issue #16): one row per need matched, for the office's statistics.
match_log = Table(
    "match_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("matched_at", DateTime(timezone=True), nullable=False, index=True),
    Column("channel", String(16), nullable=False),  # cli | api | portal
    Column("need", Text, nullable=False),
    Column("need_lang", String(8), nullable=False),
    Column("in_force_only", Boolean, nullable=False),
    Column("results", Integer, nullable=False),
    Column("numbers", Text, nullable=False),  # JSON list of the numbers returned, best first
    Column("top_score", String(16)),  # the best score as text ("0.7312"), NULL when nothing matched
)

# --- recorded assignments and other offices' legal events (issue #16; migration 0009) -------------------

assignments = Table(
    "assignments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("reel", Integer, nullable=False),
    Column("frame", Integer, nullable=False),
    Column("recorded_date", Date, nullable=False),
    Column("conveyance_text", Text, nullable=False),
    Column("conveyance_type", String(32), nullable=False, index=True),
    Column("matched_pattern", Text),
    Column("page_count", Integer),
    Column("correspondent", Text, nullable=False, default=""),
    Column("source", String(32), nullable=False),
    Column("source_file", Text),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("reel", "frame", name="uq_assignments_reel_frame"),
)


def _assignment_child(name: str, *columns: Column) -> Table:  # type: ignore[type-arg]
    """Rows that belong to one recording and are replaced with it."""
    return Table(
        name,
        metadata,
        Column("id", Integer, primary_key=True),
        Column("assignment_id", Integer, ForeignKey("assignments.id", ondelete="CASCADE"), nullable=False, index=True),
        Column("sequence", Integer, nullable=False, default=0),
        *columns,
    )


assignment_parties = _assignment_child(
    "assignment_parties",
    Column("role", String(16), nullable=False),  # assignor | assignee
    Column("name", Text, nullable=False),
    Column("execution_date", Date),
    Column("address", Text, nullable=False, default=""),
)

assignment_properties = _assignment_child(
    "assignment_properties",
    Column("application_number", String(40), index=True),
    Column("patent_number", String(40), index=True),
    Column("publication_number", String(40), index=True),
    Column("title", Text, nullable=False, default=""),
)

assignment_references = _assignment_child(
    "assignment_references",
    Column("reel", Integer, nullable=False),
    Column("frame", Integer, nullable=False),
)

recorded_events = Table(
    "recorded_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("number", String(40), nullable=False),
    Column("application_number", String(40), index=True),
    Column("source", String(32), nullable=False),
    Column("sequence", Integer, nullable=False),
    Column("code", String(32), nullable=False),
    Column("event_date", Date, nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("authority", String(8)),
    Column("territory", String(8)),  # the one state the event concerns (INPADOC "Ref Country Code")
    Column("designated", Text, nullable=False, default=""),  # states a designation names, space-separated
    Column("source_file", Text),
    Index("ix_recorded_events_number_source", "number", "source"),
)

legal_event_codes = Table(
    "legal_event_codes",
    metadata,
    Column("authority", String(8), primary_key=True),
    Column("code", String(16), primary_key=True),
    Column("description", Text, nullable=False),
    Column("event_class", String(2), nullable=False, default=""),
    Column("influence", String(2), nullable=False, default=""),
)

# Trademark watches (services.trademark_watch): a right holder's mark and Nice classes watched against the
# marks the office publishes for opposition, and the notices a run produced (one per watch and case).
trademark_watches = Table(
    "trademark_watches",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("holder", String(64), nullable=False, index=True),  # username of the right holder
    Column("mark", Text, nullable=False),
    Column("classes", String(200), nullable=False, default=""),  # Nice classes, comma-separated; "" = all
    Column("created_at", DateTime(timezone=True), nullable=False),
)

trademark_watch_notices = Table(
    "trademark_watch_notices",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("watch_id", Integer, ForeignKey("trademark_watches.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("case_number", String(40), nullable=False),  # the application published for opposition
    Column("published_mark", Text, nullable=False),
    Column("classes", String(200), nullable=False, default=""),
    Column("publication_date", Date, nullable=False),
    Column("opposition_ends", Date, nullable=False),
    Column("score", String(16), nullable=False),  # decimal text: the same on SQLite and PostgreSQL
    Column("reasons", Text, nullable=False),  # JSON list of {kind, detail}
    Column("produced_on", Date, nullable=False),
    UniqueConstraint("watch_id", "case_number", name="uq_trademark_watch_notices_watch_case"),
)

# Administrative adjudication of patent disputes: the right each dispute (a case of the cn_patent_dispute
# procedure) is about, so that a change of the right alerts its disputes in the same transaction.
disputes = Table(
    "disputes",
    metadata,
    Column("case_id", Integer, ForeignKey("cases.id"), primary_key=True, autoincrement=False),
    Column("right_number", String(40), nullable=False, index=True),  # application number of the right's case
)

# Border (customs) recordals and e-commerce takedown requests recorded against a patent, flagged in the
# transaction that records the end of the patent (lapse, invalidation, end of term, surrender).
enforcement_recordals = Table(
    "enforcement_recordals",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("right_number", String(40), nullable=False, index=True),  # application number of the patent's case
    Column("kind", String(16), nullable=False),  # customs | ecommerce
    Column("authority", Text, nullable=False),  # the customs office or the e-commerce platform
    Column("reference", String(100), nullable=False, default=""),  # its number of the recordal or request
    Column("recorded_on", Date, nullable=False),
    Column("recorded_by", String(64), nullable=False),
    Column("flagged_on", Date),  # the day the patent ended
    Column("flag_reason", Text),
)

# A university's (research institute's) stock-patent inventory (services.inventory, issue #16): its entries, one per
# right and holder, and their append-only dated events (import, self-assessment, submission, reviews); the
# holder's members (the keeper who imports, the first-level reviewers of its technology-transfer office).
inventory_members = Table(
    "inventory_members",
    metadata,
    Column("holder", String(200), primary_key=True),  # the organisation, as named in the register
    Column("username", String(64), primary_key=True),
    Column("function", String(16), nullable=False),  # keeper | reviewer
    Column("added_by", String(64), nullable=False),
    Column("added_on", Date, nullable=False),
)

inventory_entries = Table(
    "inventory_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("holder", String(200), nullable=False, index=True),
    Column("number", String(32), nullable=False),  # compact publication number of the right (the grant)
    Column("keeper", String(64), nullable=False),  # who imported it
    Column("created_on", Date, nullable=False),
    UniqueConstraint("holder", "number", name="uq_inventory_entries_holder_number"),
)

inventory_events = Table(
    "inventory_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("entry_id", Integer, ForeignKey("inventory_entries.id"), nullable=False, index=True),
    Column("code", String(16), nullable=False),
    Column("event_date", Date, nullable=False),
    Column("actor", String(64), nullable=False),
    Column("payload", Text, nullable=False),  # JSON object
    Column("recorded_at", DateTime(timezone=True), nullable=False),
)

# Applicants registered with a protection centre (备案主体) by the centre's staff, from a date until a date
# (exclusive; set when the registration ends); added to those of the rules files (rules/cn/centres/*.yaml).
centre_registrations = Table(
    "centre_registrations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("centre", String(32), nullable=False, index=True),  # the centre's office code
    Column("applicant", String(64), nullable=False),  # username
    Column("registered_on", Date, nullable=False),
    Column("until", Date),
    Column("reference", Text, nullable=False, default=""),  # the record-filing's number or note
    Column("recorded_by", String(64), nullable=False),
    Column("recorded_on", Date, nullable=False),
    Column("ended_by", String(64)),
)
