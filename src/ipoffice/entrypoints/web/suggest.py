"""IPC suggestions while an applicant types the abstract.

The classifier of ``ipoffice.services.classify`` answers once a model is trained (``ipoffice classify``);
until then the subclass model of concept search does (the nearest labelled texts and IPC scheme titles by
meaning, in either language: ``ipoffice index rebuild`` prepares it); without vectors, the IPC subclasses of
the register's nearest documents by BM25 (a k-nearest-neighbour vote weighted by score), which needs nothing
but the keyword index.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from ipoffice.domain.classification import ClassificationSymbol, Scheme
from ipoffice.domain.errors import DomainError
from ipoffice.domain.search import SearchError, SearchRequest

if TYPE_CHECKING:
    from ipoffice.entrypoints.web.deps import WebContext

NEIGHBOURS = 25


def suggest_ipc(ctx: WebContext, text: str, limit: int) -> list[dict[str, Any]]:
    found = _from_classifier(ctx, text, limit)
    if found is None:
        found = _from_concepts(ctx, text, limit)
    if found is None:
        found = _from_neighbours(ctx, text, limit)
    titles = ctx.register.ipc_titles(s for s, _ in found)
    return [{"symbol": symbol, "score": round(score, 4),
             "title_en": titles[symbol].title_en if symbol in titles else None,
             "title_zh": titles[symbol].title_zh if symbol in titles else None}
            for symbol, score in found]


def _from_classifier(ctx: WebContext, text: str, limit: int) -> list[tuple[str, float]] | None:
    """The trained IPC classifier's suggestions, when a model has been trained (``ipoffice classify``
    trains it once; training takes minutes, so a web request never does)."""
    if not ctx.office.classifier_trained:
        return None
    try:
        result = ctx.office.classifier().classify([text], top=limit)[0]
    except Exception:  # noqa: BLE001 - a classifier problem must not break filing; the fallback answers
        return None
    return [(s.symbol, s.score) for s in result.suggestions[:limit]]


def _from_concepts(ctx: WebContext, text: str, limit: int) -> list[tuple[str, float]] | None:
    """The subclass model's suggestions once it is built (None until then: its first build embeds the scheme,
    minutes on a cold cache, so it runs in the background and a request never waits for it), or when it fails."""
    model = ctx.office.ready_subclass_model()
    if model is None:
        return None
    try:
        return model.suggest(text, limit) or None
    except Exception:  # noqa: BLE001 - a model problem must not break filing; the next fallback answers
        return None


def _from_neighbours(ctx: WebContext, text: str, limit: int) -> list[tuple[str, float]]:
    try:
        hits = ctx.search().search(SearchRequest(query=text, syntax="text", limit=NEIGHBOURS)).hits
    except (SearchError, DomainError, ValueError, RecursionError, OverflowError):  # no neighbours for this text
        return []
    votes: dict[str, float] = defaultdict(float)
    for hit in hits:
        doc = ctx.register.get(hit.number)
        if doc is None:
            continue
        subclasses = set()
        for c in doc.classifications:
            if c.scheme not in (Scheme.IPC, Scheme.CPC):
                continue
            try:
                sub = ClassificationSymbol.parse(c.symbol).subclass_symbol
            except DomainError:
                continue
            if sub:
                subclasses.add(sub)
        for sub in subclasses:
            votes[sub] += hit.score / len(subclasses)
    norm = sum(votes.values()) or 1.0
    ranked = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [(symbol, score / norm) for symbol, score in ranked]
