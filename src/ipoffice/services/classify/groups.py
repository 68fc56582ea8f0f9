"""Main-group level of the IPC suggestions: which main group of a suggested subclass the text belongs to, and
how sure that is.

No title file carries main groups, so the groups are ranked without training. A Chinese text: by the cosine of
its character n-grams to the group's scheme document (its Chinese title with its subgroups'), the embedding
cosine breaking ties; any other text: by the cosine of its multilingual embedding (USE) to the group's bilingual
title. Measured on the register's classified documents, share whose best group (within their true subclass) is
a true main group: CN abstracts 0.281 (embedding alone 0.105, sums 0.14–0.19), US 0.250 and EP 0.154 (character
n-grams, which only the Chinese scheme documents give, lower it to 0.09–0.19). The probability that the best
group of a subclass is right *given the subclass* is a logistic function of that best score, its margin over the
second and the text's language, fitted on the training documents that carry main groups (the register's
classified documents); a group's confidence is that times the subclass's probability.

Arrays: groups × dim (vectors), sparse groups × character features.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

TIE_BREAK = 0.01  # weight of the embedding cosine next to the character n-gram cosine (Chinese texts)
MIN_CALIBRATION = 20  # documents with main groups needed to fit the calibration; fewer: GROUP_PRIOR is used
GROUP_PRIOR = 0.24  # P(best group right | subclass right) without a calibration: its rate on the register's documents


@dataclass
class GroupRanker:
    """The main groups of the scheme (symbol "H02J 7/00", owning label index), their title vectors and character
    n-gram rows, and the calibration (logistic coefficients over [1, best score, margin, Chinese])."""

    symbols: list[str] = field(default_factory=list)
    owner: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    chars: Any = None
    calibration: np.ndarray | None = None

    def scores(self, label: int, vector: np.ndarray, chars: Any, chinese: bool) -> tuple[np.ndarray, np.ndarray]:
        """(group rows of subclass ``label``, their scores 0-1) for one text (``vector``: its USE vector,
        ``chars``: its 1 × features character TF-IDF row, ``chinese``: whether it is Chinese)."""
        rows = np.flatnonzero(self.owner == label)
        if not rows.size:
            return rows, np.zeros(0, dtype=np.float32)
        score = self.vectors[rows] @ vector
        if chinese:
            score = np.asarray((self.chars[rows] @ chars.T).toarray()).ravel() + TIE_BREAK * score
        return rows, np.asarray(score, dtype=np.float32)

    def best(self, label: int, vector: np.ndarray, chars: Any, chinese: bool) -> tuple[str, float] | None:
        """(best main group of subclass ``label``, P(it is right | the subclass is right)), None when the scheme
        has no group for it."""
        rows, score = self.scores(label, vector, chars, chinese)
        if not rows.size:
            return None
        order = np.argsort(-score)
        top = float(score[order[0]])
        margin = top - float(score[order[1]]) if rows.size > 1 else 1.0
        return self.symbols[rows[order[0]]], self.probability(top, margin, chinese)

    def probability(self, top: float, margin: float, chinese: bool) -> float:
        if self.calibration is None:
            return GROUP_PRIOR
        z = float(self.calibration @ np.array([1.0, top, margin, float(chinese)]))
        return float(1.0 / (1.0 + np.exp(-z)))

    def calibrate(self, labels: Sequence[int], groups: Sequence[frozenset[str]], vectors: np.ndarray,
                  chars: Any, chinese: Sequence[bool]) -> None:
        """Fit the calibration on training texts whose true main groups are known: per (text, true subclass
        ``labels[i]``) whether the best group is one of ``groups[i]``. Keeps GROUP_PRIOR when fewer than
        MIN_CALIBRATION such pairs or only one outcome."""
        from sklearn.linear_model import LogisticRegression

        features, hits = [], []
        for i, (label, true_groups) in enumerate(zip(labels, groups, strict=True)):
            rows, score = self.scores(label, vectors[i], chars[i], chinese[i])
            if not rows.size:
                continue
            order = np.argsort(-score)
            margin = float(score[order[0]] - score[order[1]]) if rows.size > 1 else 1.0
            features.append([float(score[order[0]]), margin, float(chinese[i])])
            hits.append(self.symbols[rows[order[0]]] in true_groups)
        if len(hits) < MIN_CALIBRATION or len(set(hits)) < 2:
            self.calibration = None
            return
        fitted = LogisticRegression(C=1.0).fit(np.array(features), np.array(hits))
        self.calibration = np.concatenate([fitted.intercept_, fitted.coef_.ravel()]).astype(np.float64)
