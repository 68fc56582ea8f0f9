"""Demo offers for the marketplace on a register of sample data (``ipoffice seed-offers``; issue #16).

Recordals — open licences included — are recorded on the office's own granted cases, not on documents imported
from other offices. So the demo turns a few documents of the register (patents with claims and IPC symbols, in
Chinese and English) into utility-model cases of the Suzhou office, takes each through its procedure to the
grant, and records on them open-licence declarations with structured royalties and, in the largest IPC subclass,
licence contracts with royalties (so that royalty guidance has comparable contracts). The acts are dated in the
past, as if the office had received each on its day (the procedures' clock is moved for the seeding only).
Idempotent: a register that already has an open licence is left as it is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ipoffice.adapters.register import SqlRegister
from ipoffice.domain import recordals
from ipoffice.domain.document import Document, RightType, TextField
from ipoffice.domain.value_indicators import claims_of_one_language
from ipoffice.services.procedures import Filing, ProcedureService
from ipoffice.services.recordals import RecordalService

SCAN = 50000  # documents of the register looked at, in its order
RIGHTS = 8
APPLICANT, EXAMINER, REGISTRAR, OFFICE = "applicant.wang", "examiner.zhang", "registrar.zhou", "CN-JS-SZ"
# Industry by IPC section, in both languages (free text, as a patentee would declare it).
INDUSTRY = {"A": "生活用品 daily necessities", "B": "装备制造 manufacturing", "C": "化工材料 chemistry",
            "D": "纺织 textiles", "E": "建筑 construction", "F": "机械 mechanical engineering",
            "G": "仪器仪表 instruments and computing", "H": "电子信息 electronics"}
ROYALTIES: tuple[dict[str, object], ...] = (
    {"type": "running_percentage", "rate_percent": "3", "basis": "net sales"},
    {"type": "lump_sum", "amount": "80000", "currency": "CNY"},
    {"type": "free", "text": "free for small and medium-sized enterprises"},
    {"type": "per_unit", "amount": "1.5", "currency": "CNY", "basis": "per product sold"},
    {"type": "running_percentage", "rate_percent": "5", "basis": "net sales"},
)
CONTRACT_RATES = ("2", "2.5", "4", "6", "8")


@dataclass(frozen=True)
class SeededOffer:
    number: str
    title: str
    source_document: str
    royalty: dict[str, object]

    def as_dict(self) -> dict[str, Any]:
        return {"number": self.number, "title": self.title, "source_document": self.source_document,
                "royalty": self.royalty}


def _usable(doc: Document) -> bool:
    """A patent with IPC symbols and an independent claim, or (Chinese documents of the sample hold none) an
    abstract."""
    claims = claims_of_one_language(doc.claims)
    return (doc.right_type in (RightType.INVENTION, RightType.UTILITY_MODEL) and bool(doc.title)
            and any(c.subclass_symbol for c in doc.classifications)
            and (any(c.is_independent for c in claims) or bool(doc.text(TextField.ABSTRACT))))


def pick_documents(register: SqlRegister, count: int = RIGHTS) -> list[Document]:
    """Documents with claims and IPC symbols, most from the subclass most of them share, then two Chinese ones,
    then one of each other subclass."""
    found: list[Document] = []
    for i, doc in enumerate(register.iter_documents()):
        if i >= SCAN:
            break
        if _usable(doc):
            found.append(doc)
    with_claims = [d for d in found if d.claims]
    subclass = Counter(_subclass(d) for d in with_claims).most_common(1)
    top = [d for d in with_claims if _subclass(d) == subclass[0][0]][:len(CONTRACT_RATES)] if subclass else []
    chinese = [d for d in found if d.number.country == "CN" and d not in top][:2]
    others = list({_subclass(d): d for d in with_claims if d not in top}.values())
    unique = {d.number.compact: d for d in reversed(top + chinese + others)}
    return list(reversed(unique.values()))[:count]


def _subclass(doc: Document) -> str:
    return next(s for c in doc.classifications if (s := c.subclass_symbol))


class DemoOffers:
    def __init__(self, procedures: ProcedureService, recordals: RecordalService, register: SqlRegister) -> None:
        self.procedures = procedures
        self.recordals = recordals
        self.register = register

    @contextmanager
    def _day(self, day: date) -> Iterator[None]:
        clock: Callable[[], date] = self.procedures.clock
        self.procedures.clock = lambda: day
        try:
            yield
        finally:
            self.procedures.clock = clock

    def _grant(self, doc: Document, filed: date) -> str:
        claims = [c.text[:4000] for c in claims_of_one_language(doc.claims)][:10]
        abstract = doc.text(TextField.ABSTRACT, "en") or doc.text(TextField.ABSTRACT) or doc.title or ""
        ipc = [c.symbol for c in doc.classifications if c.subclass_symbol][:3]
        payload = {"abstract": abstract[:4000], "claims": claims, "ipc": ipc}
        with self._day(filed):
            number = self.procedures.file(Filing("cn_utility_model", OFFICE, APPLICANT, filed, (doc.title or "")[:200],
                                                 payload=payload), APPLICANT).record.application_number
        for action, actor, days in (("notify_grant", EXAMINER, 120), ("complete_registration", APPLICANT, 150),
                                    ("announce_grant", REGISTRAR, 180)):
            day = filed + timedelta(days=days)
            with self._day(day):
                self.procedures.act(number, action, day, actor)
        return number

    def _record(self, number: str, kind: str, who: str, day: date, payload: dict[str, object]) -> None:
        with self._day(day):
            view = self.recordals.file(number, kind, who, payload)
            if view.request.fee_due:
                self.recordals.pay_fee(view.request.id, who)
            self.recordals.decide(view.request.id, "register", REGISTRAR)

    def already_seeded(self) -> bool:
        return any(r.type == "open_licence" and r.state == recordals.REGISTERED
                   for r in self.recordals.requests(REGISTRAR))

    def seed(self, today: date) -> list[SeededOffer]:
        """Seed the demo offers (see the module); [] when the register already has an open licence or holds no
        usable document."""
        self.procedures.seed_demo()
        if self.already_seeded():
            return []
        filed = today - timedelta(days=200)  # granted 20 days ago; the next annual fee falls due in ~5 months
        out: list[SeededOffer] = []
        docs = pick_documents(self.register)
        top = _subclass(docs[0]) if docs else None
        for i, doc in enumerate(docs):
            number = self._grant(doc, filed)
            royalty = ROYALTIES[i % len(ROYALTIES)]
            use = {"industry": INDUSTRY.get(_subclass(doc)[0], "其他 other")}
            declared = filed + timedelta(days=185)
            if _subclass(doc) == top and i < len(CONTRACT_RATES):  # the first ones are of the top subclass
                # a licence contract recorded before the declaration: comparables of the royalty guidance
                self._record(number, "licence", APPLICANT, declared, {
                    "kind": "non_exclusive", "licensee": f"Demo Licensee {i + 1} Ltd", "contract_effective":
                    declared.isoformat(), **use,
                    "royalty": {"type": "running_percentage", "rate_percent": CONTRACT_RATES[i], "basis": "net sales"}})
            self._record(number, "open_licence", APPLICANT, declared + timedelta(days=1), {"royalty": royalty, **use})
            out.append(SeededOffer(number, doc.title or "", doc.number.compact, royalty))
        return out
