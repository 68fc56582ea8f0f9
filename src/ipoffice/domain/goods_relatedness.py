"""How related the goods and services of two marks are: the same Nice class, neighbouring classes, or
overlapping terms of the goods and services lists.

Neighbouring classes are pairs of Nice classes whose goods and services are commonly held similar or
complementary in relative-grounds examination (sold together, made by the same trade, one the service of
the other): e.g. software (9) and software as a service (42), clothing (25) and bags (18), beer (32) and
wine (33), foodstuffs (29, 30) and restaurants (43). The list follows the cross-class references of the
Nice Classification's explanatory notes (NCL 12th–13th ed.) and of CNIPA's 类似商品和服务区分表; it is a
ranking aid, not the legal finding of similarity, which remains the examiner's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ipoffice.domain.errors import InvalidField
from ipoffice.domain.reason_details import Params, detail_text, params

NEIGHBOURING_CLASSES: frozenset[frozenset[int]] = frozenset(frozenset(p) for p in (
    (9, 42), (9, 38), (38, 42), (9, 28), (28, 41), (9, 41), (16, 41), (35, 42),  # electronics, software, media
    (3, 5), (5, 10), (5, 44), (10, 44), (3, 44), (3, 21),  # cosmetics, pharmaceuticals, medical
    (18, 25), (14, 25), (25, 26), (24, 25), (14, 18), (23, 24), (22, 24),  # fashion, textiles
    (29, 30), (29, 31), (30, 31), (30, 32), (32, 33), (29, 43), (30, 43), (32, 43), (33, 43),  # food, drink
    (6, 19), (6, 20), (19, 37), (11, 37), (20, 21), (8, 21), (11, 21), (20, 24), (7, 8), (7, 11),  # home, building
    (12, 37), (12, 39), (39, 43), (4, 39), (1, 2), (1, 5), (2, 16), (15, 41), (34, 35),
))
NEIGHBOUR_RELATEDNESS = 0.7
_TERM_WORD = re.compile(r"[^\W\d_]{3,}")
# Words of every goods list that tell nothing about the goods.
_STOP = frozenset(["and", "for", "the", "not", "other", "with", "being", "use", "from", "included", "classes",
                   "class", "parts", "fittings", "thereof", "all", "kinds", "namely", "such"])


@dataclass(frozen=True)
class Relatedness:
    score: float  # 0..1: 1 the same class, 0.7 neighbouring classes, less for shared terms only
    detail: str
    code: str = ""  # the detail as data (domain.reason_details)
    params: Params = ()

    @classmethod
    def of(cls, score: float, code: str, **values: object) -> Relatedness:
        found = params(**values)
        return cls(score, detail_text(code, found), code, found)


def parse_nice_classes(text: str) -> list[int]:
    """``9,42`` (spaces and full-width commas allowed) → [9, 42]; raises InvalidField naming ``classes`` when
    a part is not a number (the range 1–45 is checked where the classes are used)."""
    parts = [p for p in text.replace("，", ",").replace(" ", "").split(",") if p]
    if not all(p.isdigit() for p in parts):
        raise InvalidField("classes", text, "expected Nice class numbers separated by commas (9,42)")
    return [int(p) for p in parts]


def are_neighbours(a: int, b: int) -> bool:
    return frozenset((a, b)) in NEIGHBOURING_CLASSES


def term_words(terms: str) -> frozenset[str]:
    """The content words of a goods and services text, lower case (``"Computer software; mobile apps"`` →
    {computer, software, mobile, apps})."""
    return frozenset(w for w in (m.lower() for m in _TERM_WORD.findall(terms)) if w not in _STOP)


def goods_relatedness(wanted: Sequence[int], earlier: Iterable[int], wanted_terms: frozenset[str] = frozenset(),
                      earlier_terms: frozenset[str] = frozenset()) -> Relatedness | None:
    """How related an earlier mark's classes (and terms) are to the ``wanted`` classes (and terms);
    None when nothing relates them."""
    earlier = sorted(set(earlier))
    same = sorted(set(wanted) & set(earlier))
    if same:
        return Relatedness.of(1.0, "goods.same_class", classes=", ".join(map(str, same)))
    pairs = [(a, b) for a in sorted(set(wanted)) for b in earlier if are_neighbours(a, b)]
    if pairs:
        return Relatedness.of(NEIGHBOUR_RELATEDNESS, "goods.neighbours",
                              pairs=", ".join(f"{a}~{b}" for a, b in pairs))
    shared = wanted_terms & earlier_terms
    if shared:
        overlap = len(shared) / max(1, min(len(wanted_terms), len(earlier_terms)))
        return Relatedness.of(round(0.5 * overlap, 3), "goods.terms", terms=", ".join(sorted(shared)[:5]))
    return None
