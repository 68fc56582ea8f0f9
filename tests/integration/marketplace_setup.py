"""Granted rights with open licences and licence contracts, for the marketplace's tests (integration, e2e,
browser): utility models of the office, granted through their procedure and put under open licence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ipoffice.services.procedures import Filing, ProcedureService
from ipoffice.services.recordals import RecordalService

TODAY = date(2026, 11, 30)


@dataclass(frozen=True)
class Right:
    key: str
    title: str
    abstract: str
    claims: list[str]
    ipc: list[str]
    filed: date


RIGHTS = (
    Right("hinge", "Folding bicycle hinge",
          "A folding bicycle hinge locks the two frame halves with a cam lever and a safety catch.",
          ["A folding bicycle hinge comprising: a first hinge plate; a second hinge plate; and a cam lever locking "
           "the plates together.", "The hinge of claim 1, wherein a safety catch holds the cam lever."],
          ["B62K 15/00"], date(2023, 5, 10)),
    Right("battery", "锂离子电池电解液添加剂",
          "一种锂离子电池电解液添加剂，含有氟代碳酸乙烯酯，提高电池的循环寿命和高温稳定性。",
          ["一种锂离子电池电解液，其特征在于，包含氟代碳酸乙烯酯添加剂和锂盐。",
           "根据权利要求1所述的电解液，其特征在于，所述锂盐为六氟磷酸锂。"],
          ["H01M 10/0567"], date(2021, 3, 1)),
    Right("crypto", "Network packet encryption device",
          "A network device encrypts data packets with a session key agreed by a key exchange protocol.",
          ["A network packet encryption device comprising: a key exchange unit agreeing a session key; and an "
           "encryption unit encrypting each data packet with the session key."],
          ["H04L 9/32"], date(2024, 6, 1)),
    Right("withdrawn", "Solar panel cleaning robot",
          "A robot moves along a solar panel and cleans it with a rotating brush.",
          ["A solar panel cleaning robot comprising a chassis, a rotating brush and a rail guide."],
          ["H02S 40/10"], date(2023, 2, 1)),
    Right("words", "Packet routing table compression",
          "A router compresses its routing table with a trie of prefixes.",
          ["A router compressing a routing table as a trie of address prefixes."],
          ["H04L 45/74"], date(2024, 2, 1)),
)


def _on(service: ProcedureService, day: date) -> None:
    service.clock = lambda: day


def grant(service: ProcedureService, right: Right) -> str:
    """A CN utility model filed by applicant.wang and granted in about six months."""
    _on(service, right.filed)
    payload = {"abstract": right.abstract, "claims": right.claims, "ipc": right.ipc}
    number = service.file(Filing("cn_utility_model", "CN-JS-SZ", "applicant.wang", right.filed, right.title,
                                 payload=payload), "applicant.wang").record.application_number
    for action, actor, days in (("notify_grant", "examiner.zhang", 120),
                                ("complete_registration", "applicant.wang", 150),
                                ("announce_grant", "registrar.zhou", 180)):
        day = date.fromordinal(right.filed.toordinal() + days)
        _on(service, day)
        service.act(number, action, day, actor)
    return number


def record(recordals: RecordalService, number: str, kind: str, who: str, day: date, payload: dict[str, Any]) -> int:
    """File and register a recordal on ``day`` (paying its fee when one is owed)."""
    _on(recordals.procedures, day)
    view = recordals.file(number, kind, who, payload)
    if view.request.fee_due:
        recordals.pay_fee(view.request.id, who)
    decided = recordals.decide(view.request.id, "register", "registrar.zhou")
    assert decided.request.state == "registered", decided.as_dict()
    return view.request.id


# The open licences declared (structured royalties, either language) and the contracts recorded.
DECLARATIONS: dict[str, dict[str, Any]] = {
    "hinge": {"royalty": {"type": "running_percentage", "rate_percent": 3, "basis": "net sales"},
              "industry": "自行车制造 bicycles", "products": "folding bicycles"},
    "battery": {"royalty": {"type": "lump_sum", "amount": 50000, "currency": "CNY"},
                "industry": "新能源 batteries", "products": "动力电池"},
    "crypto": {"royalty": {"type": "free"}, "industry": "telecommunications", "products": "routers, VPN gateways"},
    "withdrawn": {"royalty": {"type": "free"}, "industry": "solar energy"},
    "words": {"royalty": "3% of net sales"},  # as declarations were before royalties were structured
}
# Licence contracts recorded on the crypto right (IPC H04L): the comparables of the H04L guidance.
CRYPTO_LICENCE_RATES = ("1", "2", "4", "6")
CRYPTO_LUMP_SUM = "20000"


def build_market(service: ProcedureService, recordals: RecordalService) -> dict[str, str]:
    """The rights granted, declared under open licence (one withdrawn again), and the crypto right's licence
    contracts and open licence taken; the application number of each right, by key."""
    numbers = {r.key: grant(service, r) for r in RIGHTS}
    for key, payload in DECLARATIONS.items():
        # declared a few days after the grant, before the next annual fee falls due
        day = date.fromordinal(service.show(numbers[key], "registrar.zhou").events[-1].date.toordinal() + 3)
        record(recordals, numbers[key], "open_licence", "applicant.wang", day, payload)
    record(recordals, numbers["withdrawn"], "open_licence_withdrawal", "applicant.wang", date(2023, 8, 10), {})
    for i, rate in enumerate(CRYPTO_LICENCE_RATES):
        day = date(2025, 2, 3 + i)
        record(recordals, numbers["crypto"], "licence", "applicant.wang", day,
               {"kind": "non_exclusive", "licensee": f"Licensee {i}", "contract_effective": day.isoformat(),
                "royalty": {"type": "running_percentage", "rate_percent": rate}, "industry": "telecommunications"})
    record(recordals, numbers["crypto"], "licence", "applicant.wang", date(2025, 3, 3),
           {"kind": "non_exclusive", "licensee": "Lump Co", "contract_effective": "2025-03-01",
            "royalty": {"type": "lump_sum", "amount": CRYPTO_LUMP_SUM, "currency": "CNY"}})
    record(recordals, numbers["crypto"], "open_licence_take", "applicant.chen", date(2025, 4, 1),
           {"licensee": "applicant.chen"})
    _on(service, TODAY)
    return numbers
