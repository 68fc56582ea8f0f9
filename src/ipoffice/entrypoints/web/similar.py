"""Similar documents for the document page and the API: the semantic index's nearest neighbours, and
those of them in another language (a Chinese document's English neighbours and vice versa)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ipoffice.domain.document import Document
from ipoffice.domain.search import SearchError, SearchHit
from ipoffice.domain.text import has_cjk

if TYPE_CHECKING:
    from ipoffice.entrypoints.web.deps import WebContext

# Cross-lingual neighbours are rarer than same-language ones: look this much deeper before filtering.
CROSSLINGUAL_DEPTH = 200


def language_of(country: str, title: str | None) -> str:
    """``zh`` for a Chinese document (by its office, or by the script of its title), else ``en``."""
    return "zh" if country == "CN" or has_cjk(title or "") else "en"


def similar_documents(ctx: WebContext, doc: Document, limit: int, *, crosslingual: bool = False) -> list[SearchHit]:
    """Nearest documents by meaning; [] when the semantic index is not built or lacks the document."""
    depth = CROSSLINGUAL_DEPTH if crosslingual else limit
    try:
        hits = ctx.office.semantic.more_like_this(doc.number.compact, depth)
    except (SearchError, LookupError):
        return []
    if not crosslingual:
        return hits[:limit]
    own = language_of(doc.number.country, doc.title)
    return [h for h in hits if language_of(h.number[:2], h.title) != own][:limit]
