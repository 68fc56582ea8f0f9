"""The register's trademarks as the similarity search reads them (domain.mark_similarity.MarkRecord): one
query per table, whatever the number of marks, and the state the mark index is built from."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from ipoffice.adapters import tables as t
from ipoffice.domain.document import RightType
from ipoffice.domain.mark_similarity import MarkRecord
from ipoffice.domain.trademark import MarkTextKind

# Texts that stand for the mark itself (a Hebrew mark's Latin transliteration); a translation is a meaning,
# which the vectors of the mark already carry.
_ALSO = (MarkTextKind.TRANSLITERATION.value,)


def trademark_state(engine: Engine) -> str:
    """What the mark index must be rebuilt on a change of: the trademarks' count and latest update."""
    with engine.connect() as conn:
        count, latest = conn.execute(
            select(func.count(), func.max(t.documents.c.updated_at))
            .where(t.documents.c.right_type == RightType.TRADEMARK.value)).one()
    return f"{count}:{latest.isoformat() if latest else ''}"


def trademark_records(engine: Engine) -> Iterator[MarkRecord]:
    """Every trademark of the register with a verbal element (a purely figurative mark has no words to
    compare), in number order. ``filed`` is the application date, else the publication date."""
    d = t.documents
    trademark = d.c.right_type == RightType.TRADEMARK.value
    with engine.connect() as conn:
        classes: dict[int, set[int]] = defaultdict(set)
        terms: dict[int, list[str]] = defaultdict(list)
        for doc_id, nice_class, text in conn.execute(
                select(t.goods_and_services.c.document_id, t.goods_and_services.c.nice_class,
                       t.goods_and_services.c.terms)
                .join(d, d.c.id == t.goods_and_services.c.document_id).where(trademark)
                .order_by(t.goods_and_services.c.document_id, t.goods_and_services.c.sequence)):
            classes[doc_id].add(nice_class)
            terms[doc_id].append(text)
        also: dict[int, list[str]] = defaultdict(list)
        for doc_id, text in conn.execute(
                select(t.mark_texts.c.document_id, t.mark_texts.c.text)
                .join(d, d.c.id == t.mark_texts.c.document_id)
                .where(trademark, t.mark_texts.c.kind.in_(_ALSO)).order_by(t.mark_texts.c.sequence)):
            also[doc_id].append(text)
        rows = conn.execute(select(d.c.id, d.c.number, d.c.mark_text, d.c.application_date, d.c.publication_date)
                            .where(trademark).order_by(d.c.number)).all()
    for doc_id, number, mark, applied, published in rows:
        if not (mark or "").strip():
            continue
        yield MarkRecord(number=number, mark=mark, classes=tuple(sorted(classes[doc_id])),
                         filed=applied or published, terms="; ".join(terms[doc_id]),
                         also=tuple(dict.fromkeys(a for a in also[doc_id] if a.strip() and a != mark)))
