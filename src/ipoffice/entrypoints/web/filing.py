"""E-filing: the form of each kind of right, its validation (every wrong field named), and the fees due on
filing from the rule book in force on the filing date.

The application text (abstract, claims, description; the mark and its Nice classes for a trademark) and
the priority claims travel in the payload of the ``file`` event, so they are part of the case's
hash-chained record; ``priority_dates`` is what the procedures' priority guard checks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ipoffice.domain.classification import normalise_locarno, normalise_symbol
from ipoffice.domain.errors import DomainError
from ipoffice.domain.fees_due import FILING_FEES, PRIORITY_CLAIM_FEE
from ipoffice.domain.procedures.cn_fast_track import CENTRE, ordinary_procedure
from ipoffice.domain.rules import Fee
from ipoffice.entrypoints.web.i18n import Translator
from ipoffice.entrypoints.web.vocabulary import VALIDATION
from ipoffice.services.procedures import Catalogue, Filing

MAX_TEXT = 100_000


@dataclass(frozen=True)
class FilingForm:
    procedure: str
    reductions: tuple[str, ...]
    trademark: bool = False
    claims_required: bool = True
    # CN Patent Law Art. 26: an invention or utility model application contains a request, a description,
    # its abstract and claims; 35 U.S.C. 111(a)(2), 112: a specification with a written description.
    description_required: bool = False
    fast_track: bool = False  # may be filed through an IP protection centre (domain.procedures.cn_fast_track)
    # The classification the applicant gives: IPC, or for a design its Locarno classes (Locarno Agreement)
    classification: str = "ipc"

    @property
    def fees(self) -> tuple[str, ...]:
        """Fee parameters due with the application (``ipoffice.domain.fees_due``)."""
        return FILING_FEES[self.procedure]

    @property
    def jurisdiction(self) -> str:
        return self.procedure.split("_", 1)[0].upper()


FORMS: dict[str, FilingForm] = {
    f.procedure: f
    for f in (
        FilingForm("cn_invention", ("single_applicant", "joint_applicants"), description_required=True,
                   fast_track=True),
        FilingForm("cn_utility_model", ("single_applicant", "joint_applicants"), description_required=True,
                   fast_track=True),
        FilingForm("cn_design", ("single_applicant", "joint_applicants"), claims_required=False, fast_track=True,
                   classification="locarno"),
        FilingForm("cn_trademark", (), trademark=True, claims_required=False),
        FilingForm("us_utility", ("small_entity", "micro_entity"), description_required=True),
    )
}


Problem = tuple[str, dict[str, object]]  # a code of ``vocabulary.VALIDATION`` and its parameters


class FilingInvalid(ValueError):
    """Every wrong field: ``errors`` field → English text (the API's), ``problems`` field → (code, params)
    (the portal's, in its language)."""

    def __init__(self, problems: Mapping[str, Problem]) -> None:
        self.problems = dict(problems)
        self.errors = {name: validation_text(code, params) for name, (code, params) in self.problems.items()}
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.errors.items()))


def validation_text(code: str, params: Mapping[str, object]) -> str:
    """The English text of a validation problem."""
    return VALIDATION[code][0].format(**params)


@dataclass(frozen=True)
class FeeLine:
    name: str
    fee: Fee  # the amount due (``times`` over)
    times: int = 1


def fees_due(catalogue: Catalogue, procedure: str, on: date, reduction: str | None = None,
             classes: int = 1, priorities: int = 0) -> list[FeeLine]:
    """The filing fees of ``procedure`` in force on ``on`` (a trademark pays per Nice class), and the
    priority-claim fee per priority claimed where the jurisdiction charges one."""
    form = FORMS[ordinary_procedure(procedure)]
    rules = catalogue.rules(form.jurisdiction)
    lines = []
    for name in form.fees:
        fee = rules.fee(name, on, reduction=reduction or None)
        if form.trademark and classes > 1:
            fee = Fee(fee.amount * classes, fee.currency, fee.reference, fee.reduction)
        lines.append(FeeLine(name, fee))
    claim_fee = PRIORITY_CLAIM_FEE.get(form.jurisdiction)
    if priorities > 0 and claim_fee is not None:
        fee = rules.fee(claim_fee, on, reduction=reduction or None)
        lines.append(FeeLine(claim_fee, Fee(fee.amount * priorities, fee.currency, fee.reference, fee.reduction),
                             priorities))
    return lines


def total(lines: list[FeeLine]) -> Decimal:
    return sum((line.fee.amount for line in lines), Decimal(0))


def _split_claims(text: str) -> list[str]:
    parts = [p.strip() for p in re.split(r"\n\s*\n|\n(?=\s*\d+\s*[.、)])", text) if p.strip()]
    return [re.sub(r"^\d+\s*[.、)]\s*", "", p) for p in parts]


IPC_SYMBOLS = 20


def _classification(raw: str, field: str, normalise: Callable[..., str], code: str,
                    fail: Callable[..., None]) -> list[str]:
    """Symbols separated by commas or semicolons, each normalised by ``normalise`` (IPC: ``H02J 7/00``,
    ``H02J7/00``, ``H02J``; Locarno: ``14-03``, ``1403``, ``14``), without repeats; a wrong one is reported
    through ``fail(field, code, symbol=...)``."""
    symbols: list[str] = []
    for part in (p.strip() for p in re.split(r"[,;，；\n]+", raw)):
        if not part:
            continue
        try:
            symbol = normalise(part, field=field)
        except DomainError:
            fail(field, code, symbol=part)
            return []
        if symbol not in symbols:
            symbols.append(symbol)
    if len(symbols) > IPC_SYMBOLS:
        fail(field, "at_most_symbols", limit=IPC_SYMBOLS)
    return symbols


def build_filing(data: Mapping[str, object], *, filer: str, offices: set[str], today: date,
                 filer_is_applicant: bool = True) -> Filing:
    """A Filing from submitted form or JSON fields; FilingInvalid names every field that is wrong.

    The applicant is the party: an applicant filing for itself may leave the field empty; an agent (or office
    staff) files for the applicant it names, so there the field is required (``filer_is_applicant`` False)."""
    errors: dict[str, Problem] = {}

    def fail(name: str, code: str, **params: object) -> None:
        errors[name] = (code, params)

    def text(name: str, required: bool = False, limit: int = MAX_TEXT) -> str:
        value = data.get(name)
        value = "" if value is None else str(value).strip()
        if required and not value:
            fail(name, "required")
        elif len(value) > limit:
            fail(name, "too_long", limit=f"{limit:,}")
        return value

    procedure = text("procedure", required=True)
    form = FORMS.get(procedure)
    if procedure and form is None:
        fail("procedure", "unknown_procedure", choices=", ".join(FORMS))
    office = text("office", required=True)
    if office and office not in offices:
        fail("office", "unknown_office")
    applicant = text("applicant", required=not filer_is_applicant, limit=64) or filer
    if not filer_is_applicant and "applicant" in errors and errors["applicant"][0] == "required":
        fail("applicant", "applicant_required")
    title = text("title", required=True, limit=500)
    abstract = text("abstract", required=bool(form and not form.trademark))
    claims_text = text("claims", required=bool(form and form.claims_required))
    description = text("description", required=bool(form and form.description_required))
    scheme = None if form is None or form.trademark else form.classification
    ipc = _classification(text("ipc", limit=500), "ipc", normalise_symbol, "ipc_symbol", fail) \
        if scheme == "ipc" else []
    locarno = _classification(text("locarno", limit=500), "locarno", normalise_locarno, "locarno_class", fail) \
        if scheme == "locarno" else []
    mark = text("mark", required=bool(form and form.trademark), limit=500)
    reduction = text("reduction", limit=40)
    centre = text("pre_examination_centre", limit=32) if form and form.fast_track else ""
    if centre and centre not in offices:
        fail("pre_examination_centre", "unknown_office")
    if form and reduction and reduction not in form.reductions:
        fail("reduction", "reduction_unavailable", choices=", ".join(form.reductions) or "—")

    nice_classes: list[int] = []
    if form and form.trademark:
        raw = text("nice_classes", required=True, limit=200)
        try:
            nice_classes = sorted({int(c) for c in re.split(r"[,\s]+", raw) if c})
        except ValueError:
            fail("nice_classes", "nice_classes")
        if raw and not nice_classes or any(not 1 <= c <= 45 for c in nice_classes):
            fail("nice_classes", "nice_classes")

    priorities = []
    raw_priorities = data.get("priorities") or []
    if not isinstance(raw_priorities, list):
        fail("priorities", "not_a_list")
        raw_priorities = []
    for i, item in enumerate(raw_priorities):
        if not isinstance(item, Mapping):
            fail(f"priorities[{i}]", "not_an_object")
            continue
        country = str(item.get("country") or "").strip().upper()
        number = str(item.get("number") or "").strip()
        when = str(item.get("date") or "").strip()
        if not (country or number or when):
            continue  # an empty row of the form
        if not re.fullmatch(r"[A-Z]{2}", country):
            fail(f"priorities[{i}].country", "country_code")
        if not number:
            fail(f"priorities[{i}].number", "required")
        try:
            claimed = date.fromisoformat(when)
            if claimed > today:
                fail(f"priorities[{i}].date", "future_date")
        except ValueError:
            fail(f"priorities[{i}].date", "date")
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
    if ipc:
        payload["ipc"] = ipc
    if locarno:
        payload["locarno"] = locarno
    if form.trademark:
        payload["mark"] = mark
        payload["nice_classes"] = nice_classes
    if reduction:
        payload["fee_reduction"] = reduction
    if centre:  # the service checks that the centre may take it (and refuses with the reason)
        payload[CENTRE] = centre
    return Filing(procedure=procedure, office=office, applicant=applicant, filing_date=today, title=title,
                  payload=payload)


FIELD_LABELS = {"procedure": "file.procedure", "office": "file.office", "applicant": "file.applicant",
                "title": "file.title_field", "abstract": "file.abstract", "claims": "file.claims",
                "description": "file.description", "mark": "file.mark", "nice_classes": "file.nice_classes",
                "reduction": "file.reduction", "priorities": "file.priority", "ipc": "file.ipc",
                "locarno": "file.locarno", "pre_examination_centre": "file.pre_examination_centre"}
_PRIORITY_FIELD = re.compile(r"priorities\[(\d+)\](?:\.(country|number|date))?")


def field_label(t: Translator, name: str) -> str:
    """The form's label of a field named by :func:`build_filing` (``title``, ``priorities[0].date``...)."""
    row = _PRIORITY_FIELD.fullmatch(name)
    if row:
        part = t(f"file.priority_{row[2]}") if row[2] else t("file.priority")
        return t("file.priority_row", n=int(row[1]) + 1, part=part)
    return t(FIELD_LABELS[name]) if name in FIELD_LABELS else name


def problem_texts(t: Translator, problems: Mapping[str, Problem]) -> dict[str, str]:
    """Each wrong field's message in the page's language: its label and what is wrong with it."""
    return {name: t("file.problem", field=field_label(t, name), problem=t(f"validation.{code}", **params))
            for name, (code, params) in problems.items()}
