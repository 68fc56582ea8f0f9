"""E-filing: the form of each kind of right, its validation (every wrong field named), and the fees due on
filing from the rule book in force on the filing date.

The application text (abstract, claims, description; the mark and its Nice classes for a trademark) and
the priority claims travel in the payload of the ``file`` event, so they are part of the case's
hash-chained record; ``priority_dates`` is what the procedures' priority guard checks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ipoffice.domain.rules import Fee
from ipoffice.services.procedures import Catalogue, Filing

MAX_TEXT = 100_000


@dataclass(frozen=True)
class FilingForm:
    procedure: str
    fees: tuple[str, ...]  # fee parameters due with the application
    reductions: tuple[str, ...]
    trademark: bool = False
    claims_required: bool = True

    @property
    def jurisdiction(self) -> str:
        return self.procedure.split("_", 1)[0].upper()


FORMS: dict[str, FilingForm] = {
    f.procedure: f
    for f in (
        FilingForm("cn_invention", ("fee.invention.application", "fee.invention.publication_printing"),
                   ("single_applicant", "joint_applicants")),
        FilingForm("cn_utility_model", ("fee.utility_model.application",), ("single_applicant", "joint_applicants")),
        FilingForm("cn_design", ("fee.design.application",), ("single_applicant", "joint_applicants"),
                   claims_required=False),
        FilingForm("cn_trademark", ("fee.trademark.application",), (), trademark=True, claims_required=False),
        FilingForm("us_utility", ("fee.utility.basic_filing", "fee.utility.search", "fee.utility.examination"),
                   ("small_entity", "micro_entity")),
    )
}


class FilingInvalid(ValueError):
    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = dict(errors)


@dataclass(frozen=True)
class FeeLine:
    name: str
    fee: Fee


def fees_due(catalogue: Catalogue, procedure: str, on: date, reduction: str | None = None,
             classes: int = 1) -> list[FeeLine]:
    """The filing fees of ``procedure`` in force on ``on`` (a trademark pays per Nice class)."""
    form = FORMS[procedure]
    rules = catalogue.rules(form.jurisdiction)
    lines = []
    for name in form.fees:
        fee = rules.fee(name, on, reduction=reduction or None)
        if form.trademark and classes > 1:
            fee = Fee(fee.amount * classes, fee.currency, fee.reference, fee.reduction)
        lines.append(FeeLine(name, fee))
    return lines


def total(lines: list[FeeLine]) -> Decimal:
    return sum((line.fee.amount for line in lines), Decimal(0))


def _split_claims(text: str) -> list[str]:
    parts = [p.strip() for p in re.split(r"\n\s*\n|\n(?=\s*\d+\s*[.、)])", text) if p.strip()]
    return [re.sub(r"^\d+\s*[.、)]\s*", "", p) for p in parts]


def build_filing(data: Mapping[str, object], *, filer: str, offices: set[str], today: date) -> Filing:
    """A Filing from submitted form or JSON fields; FilingInvalid names every field that is wrong."""
    errors: dict[str, str] = {}

    def text(name: str, required: bool = False, limit: int = MAX_TEXT) -> str:
        value = data.get(name)
        value = "" if value is None else str(value).strip()
        if required and not value:
            errors[name] = "is required"
        elif len(value) > limit:
            errors[name] = f"is longer than {limit:,} characters"
        return value

    procedure = text("procedure", required=True)
    form = FORMS.get(procedure)
    if procedure and form is None:
        errors["procedure"] = f"unknown; choose one of {', '.join(FORMS)}"
    office = text("office", required=True)
    if office and office not in offices:
        errors["office"] = "no such office"
    applicant = text("applicant") or filer
    title = text("title", required=True, limit=500)
    abstract = text("abstract", required=bool(form and not form.trademark))
    claims_text = text("claims", required=bool(form and form.claims_required))
    description = text("description")
    mark = text("mark", required=bool(form and form.trademark), limit=500)
    reduction = text("reduction", limit=40)
    if form and reduction and reduction not in form.reductions:
        errors["reduction"] = f"not available for {procedure}; choose one of {', '.join(form.reductions) or 'none'}"

    nice_classes: list[int] = []
    if form and form.trademark:
        raw = text("nice_classes", required=True, limit=200)
        try:
            nice_classes = sorted({int(c) for c in re.split(r"[,\s]+", raw) if c})
        except ValueError:
            errors["nice_classes"] = "must be numbers between 1 and 45, separated by commas"
        if raw and not nice_classes or any(not 1 <= c <= 45 for c in nice_classes):
            errors["nice_classes"] = "must be numbers between 1 and 45, separated by commas"

    priorities = []
    raw_priorities = data.get("priorities") or []
    if not isinstance(raw_priorities, list):
        errors["priorities"] = "must be a list of {country, number, date}"
        raw_priorities = []
    for i, item in enumerate(raw_priorities):
        if not isinstance(item, Mapping):
            errors[f"priorities[{i}]"] = "must be an object with country, number, date"
            continue
        country = str(item.get("country") or "").strip().upper()
        number = str(item.get("number") or "").strip()
        when = str(item.get("date") or "").strip()
        if not (country or number or when):
            continue  # an empty row of the form
        if not re.fullmatch(r"[A-Z]{2}", country):
            errors[f"priorities[{i}].country"] = "must be a two-letter country code"
        if not number:
            errors[f"priorities[{i}].number"] = "is required"
        try:
            claimed = date.fromisoformat(when)
            if claimed > today:
                errors[f"priorities[{i}].date"] = "is in the future"
        except ValueError:
            errors[f"priorities[{i}].date"] = "must be a date YYYY-MM-DD"
            continue
        priorities.append({"country": country, "number": number, "date": claimed.isoformat()})

    if errors:
        raise FilingInvalid(errors)
    assert form is not None
    payload: dict[str, object] = {"title": title}
    if priorities:
        payload["priorities"] = priorities
        payload["priority_dates"] = sorted(p["date"] for p in priorities)
    if abstract:
        payload["abstract"] = abstract
    if claims_text:
        payload["claims"] = _split_claims(claims_text)
    if description:
        payload["description"] = description
    if form.trademark:
        payload["mark"] = mark
        payload["nice_classes"] = nice_classes
    if reduction:
        payload["fee_reduction"] = reduction
    return Filing(procedure=procedure, office=office, applicant=applicant, filing_date=today, title=title,
                  payload=payload)
