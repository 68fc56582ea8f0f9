"""IPC suggestions while an applicant types the abstract.

The classifier of ``ipoffice.services.classify`` answers once a model is trained (``ipoffice classify``);
until then the subclass model of concept search does (the nearest labelled texts and IPC scheme titles by
meaning, in either language: ``ipoffice index rebuild`` prepares it); without vectors, the IPC subclasses of
the register's nearest documents by BM25 (a k-nearest-neighbour vote weighted by score), which needs nothing
but the keyword index.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ipoffice.domain.classification import ClassificationSymbol, Scheme
from ipoffice.domain.errors import DomainError
from ipoffice.domain.search import SearchError, SearchRequest

if TYPE_CHECKING:
    from ipoffice.entrypoints.web.deps import WebContext

NEIGHBOURS = 25


@dataclass(frozen=True)
class Suggested:
    """A subclass, its score (0-1), whether that score is a calibrated probability, and its main group when the
    trained classifier is confident of it."""

    symbol: str
    score: float
    calibrated: bool
    group: str | None = None
    group_score: float | None = None


def suggest_ipc(ctx: WebContext, text: str, limit: int) -> list[dict[str, Any]]:
    """Suggestions as the API gives them: ``symbol``, ``score``, ``confidence`` (the calibrated probability that
    the subclass is right, or None when the answering model has no calibration), ``source`` (``classifier``,
    ``subclass_model`` or ``neighbours``), the subclass titles, and ``group``/``group_score`` when known."""
    source, found = "classifier", _from_classifier(ctx, text, limit)
    if found is None:
        source, found = "subclass_model", _from_concepts(ctx, text, limit)
    if found is None:
        source, found = "neighbours", _from_neighbours(ctx, text, limit)
    titles = ctx.register.ipc_titles([s.symbol for s in found] + [s.group for s in found if s.group])
    out = []
    for s in found:
        item: dict[str, Any] = {
            "symbol": s.symbol, "score": round(s.score, 4), "confidence": round(s.score, 4) if s.calibrated else None,
            "source": source,
            "title_en": titles[s.symbol].title_en if s.symbol in titles else None,
            "title_zh": titles[s.symbol].title_zh if s.symbol in titles else None}
        if s.group is not None:
            group = titles.get(s.group)
            item.update(group=s.group, group_score=round(s.group_score or 0.0, 4),
                        group_title_en=group.title_en if group else None,
                        group_title_zh=group.title_zh if group else None)
        out.append(item)
    return out


def _from_classifier(ctx: WebContext, text: str, limit: int) -> list[Suggested] | None:
    """The trained IPC classifier's suggestions, when a model has been trained (``ipoffice classify``
    trains it once; training takes minutes, so a web request never does)."""
    if not ctx.office.classifier_trained:
        return None
    try:
        result = ctx.office.classifier().classify([text], top=limit)[0]
    except Exception:  # noqa: BLE001 - a classifier problem must not break filing; the fallback answers
        return None
    # the stacker's probability is calibrated (bench/README.md, IPC section: ECE 0.008)
    return [Suggested(s.symbol, s.score, True, s.group, s.group_score) for s in result.suggestions[:limit]]


def _from_concepts(ctx: WebContext, text: str, limit: int) -> list[Suggested] | None:
    """The subclass model's suggestions once it is built (None until then: its first build embeds the scheme,
    minutes on a cold cache, so it runs in the background and a request never waits for it), or when it fails."""
    model = ctx.office.ready_subclass_model()
    if model is None:
        return None
    try:
        calibrated = model.calibration is not None
        return [Suggested(symbol, p, calibrated) for symbol, p in model.suggest(text, limit)] or None
    except Exception:  # noqa: BLE001 - a model problem must not break filing; the next fallback answers
        return None


def _from_neighbours(ctx: WebContext, text: str, limit: int) -> list[Suggested]:
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
    return [Suggested(symbol, score / norm, False) for symbol, score in ranked]  # a vote's share, not a probability
