"""Tables of the web portal: logins, API tokens and login sessions (``ipoffice.adapters.accounts``), and two
tables no longer written: ``web_uploads`` and ``web_search_report``. Documents attached and search report
citations are now events of the case's log (``ipoffice.domain.case_file``), read from there; the tables stay
in the schema for registers that hold rows written before (a later migration may drop them).

On the register's shared metadata, so Alembic migrates them with everything else (revisions 0003; 0004:
sessions, token expiry; 0006: submitted forms).
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, String, Table, Text

from ipoffice.adapters.tables import metadata

credentials = Table(
    "web_credentials",
    metadata,
    Column("username", String(64), primary_key=True),
    Column("password_hash", String(200), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

api_tokens = Table(
    "web_api_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("username", String(64), nullable=False, index=True),
    Column("label", String(100), nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=True),  # None: written before expiry existed
)

# A login session of the pages: the cookie holds the random id, the table its SHA-256. Logging out deletes
# the row, so a copied cookie stops working; a row past ``expires_at`` is no session either.
sessions = Table(
    "web_sessions",
    metadata,
    Column("session_hash", String(64), primary_key=True),
    Column("username", String(64), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

# A submitted form (post/redirect/get with a one-time token per rendering of a form): the token's SHA-256,
# and where the first submission led (``target``, the redirect) once it succeeded. A second submission of the
# same rendering (a reload, a double click) finds the row and is sent to ``target`` instead of acting again.
form_submissions = Table(
    "web_form_submissions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("submitted_at", DateTime(timezone=True), nullable=False, index=True),
    Column("target", String(500), nullable=True),  # None: being handled
)

uploads = Table(
    "web_uploads",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("application_number", String(40), nullable=False, index=True),
    Column("filename", String(200), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", Integer, nullable=False),
    Column("action", String(64), nullable=False),
    Column("uploaded_by", String(64), nullable=False),
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
)

search_report = Table(
    "web_search_report",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("application_number", String(40), nullable=False, index=True),
    Column("cited_number", String(40), nullable=False),
    Column("category", String(1), nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("examiner", String(64), nullable=False),
    Column("marked_at", DateTime(timezone=True), nullable=False),
)
