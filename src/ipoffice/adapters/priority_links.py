"""Publications of the register linked by priority: what a right's family size counts (issue #16).

Two publications are linked when they claim the same priority (country and number as the records write
it), or when one claims the other's application as its priority. Only what the register holds counts.
"""

from __future__ import annotations

from sqlalchemy import Engine, and_, or_, select

from ipoffice.adapters import tables as t
from ipoffice.domain.document import Document


def priority_linked(engine: Engine, doc: Document) -> list[str]:
    """Compact numbers of the register's other publications linked to ``doc`` by priority."""
    d, p = t.documents, t.priority_claims
    conditions = []
    claimed = [(c.country, c.number) for c in doc.priority_claims]
    if claimed:
        conditions.append(or_(*(and_(p.c.country == country, p.c.number == number) for country, number in claimed)))
        conditions.append(d.c.application_number.in_([number for _, number in claimed]))
    if doc.application_number:
        conditions.append(and_(p.c.country == doc.number.country, p.c.number == doc.application_number))
    if not conditions:
        return []
    query = (select(d.c.number).select_from(d.outerjoin(p, p.c.document_id == d.c.id))
             .where(or_(*conditions), d.c.number != doc.number.compact).distinct())
    with engine.connect() as conn:
        return sorted(conn.execute(query).scalars())
