"""Use case: the chain of title of a patent or application from the recorded assignments (USPTO
assignment records and Open Data Portal assignment bags, imported by ``ipoffice import``).

Read only. Every answer is JSON-ready (dates ISO 8601). The conveyance types are those of
``domain.conveyances.CONVEYANCE_TYPES``, given by the dated vocabulary
``rules/vocabularies/uspto_conveyances.yaml``; security interests are paired with their releases by
``domain.assignments.pair_releases``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ipoffice.adapters.title_store import SqlTitleStore
from ipoffice.domain.assignments import Assignment, ReleasePair, chain_of_title, pair_releases

# Conveyances after which the assignees hold the title (a security interest, a licence, a release or a
# correction leaves it where it was).
TITLE_PASSING = frozenset({"assignment", "employee_assignment", "merger", "change_of_name"})


def assignment_dict(a: Assignment, pairs: Sequence[ReleasePair] = ()) -> dict[str, Any]:
    """One recording as JSON: ``reel_frame``, ``recorded``, ``conveyance_text``, ``conveyance_type``,
    ``assignors`` [{name, execution_date}], ``assignees`` [{name, address}], ``properties``
    [{application_number, patent_number, publication_number, title}], ``references`` (reel/frames the
    text names), ``released_by`` (for a security interest) / ``releases`` (for a release) with ``pairing``
    (``reference`` or ``parties``)."""
    out: dict[str, Any] = {
        "reel_frame": a.reel_frame, "reel": a.reel, "frame": a.frame, "recorded": a.recorded.isoformat(),
        "conveyance_text": a.conveyance_text, "conveyance_type": a.conveyance_type,
        "matched_pattern": a.matched_pattern, "source": a.source, "pages": a.pages, "correspondent": a.correspondent,
        "assignors": [{"name": x.name, "execution_date": x.execution_date.isoformat() if x.execution_date else None}
                      for x in a.assignors],
        "assignees": [{"name": x.name, "address": x.address} for x in a.assignees],
        "properties": [{"application_number": p.application_number, "patent_number": p.patent_number,
                        "publication_number": p.publication_number, "title": p.title} for p in a.properties],
        "references": [f"{reel:06d}/{frame:04d}" for reel, frame in a.references],
    }
    for pair in pairs:
        if pair.security_interest == a.reel_frame:
            out["released_by"], out["pairing"] = pair.release, pair.how
        if pair.release == a.reel_frame:
            out["releases"], out["pairing"] = pair.security_interest, pair.how
    if a.conveyance_type == "security_interest":
        out.setdefault("released_by", None)
    return out


SOURCES = ("uspto",)  # the offices whose recordings are imported (``uspto``: assignment records and ODP bags)


def _from(a: Assignment, source: str | None) -> bool:
    """Whether the recording comes from ``source`` (an office: ``uspto`` covers ``uspto-odp``); None: any."""
    return source is None or a.source == source or a.source.startswith(source + "-")


class TitleChainService:
    def __init__(self, store: SqlTitleStore) -> None:
        self.store = store

    def chain_of_title(self, number: str, source: str | None = None) -> dict[str, Any]:
        """The recordings (of ``source``; None: all) covering ``number`` (application, patent or publication
        number, with or without ``US``/kind code) in the order they took effect, typed and paired; ``owners``:
        the assignees of the last title-passing recording (empty when none is recorded);
        ``security_interests``: each with its secured parties and the release that ended it (None: still
        recorded)."""
        own = [a for a in chain_of_title(self.store.assignments_covering(number), number) if _from(a, source)]
        named = {ref for a in own for ref in a.references} - {(a.reel, a.frame) for a in own}
        pairs = pair_releases([*own, *self.store.assignments_at(named)])
        owners: list[str] = []
        for a in own:
            if a.conveyance_type in TITLE_PASSING:
                owners = [x.name for x in a.assignees]
        released = {p.security_interest: p.release for p in pairs}
        return {
            "number": number,
            "source": sorted({a.source for a in own}),
            "assignments": [assignment_dict(a, pairs) for a in own],
            "owners": owners,
            "security_interests": [
                {"reel_frame": a.reel_frame, "recorded": a.recorded.isoformat(),
                 "secured_parties": [x.name for x in a.assignees], "released_by": released.get(a.reel_frame)}
                for a in own if a.conveyance_type == "security_interest"],
        }

    def all_recordings(self, source: str | None = None) -> list[dict[str, Any]]:
        """Every recording (of ``source``), by reel and frame, with the release pairs found among them."""
        every = sorted((a for a in self.store.all_assignments() if _from(a, source)), key=lambda a: (a.reel, a.frame))
        pairs = pair_releases(every)
        return [assignment_dict(a, pairs) for a in every]
