"""Applicant type (university, research institute, enterprise, public body, individual) from an applicant's
name, by ordered rules kept as data (``ipoffice/rules/indicators/applicant_types.yaml``).

CNIPA's statistics group applicants as 大专院校 / 科研单位 / 企业 / 个人 / 机关团体; the rules follow that
grouping for Chinese and Latin-script names. The first rule whose pattern matches wins, so the order in the
data decides conflicts (a university's company is an enterprise: the legal-form suffix is tried first)::

    rules.classify("清华大学")                   # "university"
    rules.classify("Suzhou Lianhe Optics Co., Ltd.")  # "enterprise"
    rules.classify("Rankin, David")              # "individual"
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ipoffice.domain.errors import InvalidField

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class ApplicantTypeRule:
    type: str
    label_zh: str
    patterns: tuple[re.Pattern[str], ...]

    @classmethod
    def of(cls, type_: str, label_zh: str, patterns: Sequence[str]) -> ApplicantTypeRule:
        compiled = []
        for i, pattern in enumerate(patterns):
            try:
                compiled.append(re.compile(pattern, re.IGNORECASE))
            except re.error as exc:
                raise InvalidField(f"{type_}.patterns[{i}]", pattern, f"not a regular expression: {exc}") from None
        return cls(type_, label_zh, tuple(compiled))


class ApplicantTypes:
    """Ordered rules; ``classify`` gives the first matching type, or ``fallback`` (also for no name)."""

    def __init__(self, rules: Sequence[ApplicantTypeRule], fallback: str, reference: str) -> None:
        if not rules:
            raise InvalidField("types", rules, "needs at least one rule")
        self.rules = tuple(rules)
        self.fallback = fallback
        self.reference = reference

    @property
    def types(self) -> list[str]:
        return list(dict.fromkeys([r.type for r in self.rules] + [self.fallback]))

    def classify(self, name: str | None) -> str:
        text = _SPACES.sub(" ", (name or "").strip())
        if not text:
            return self.fallback
        for rule in self.rules:
            if any(p.search(text) for p in rule.patterns):
                return rule.type
        return self.fallback
