"""The draft decision of a dispute, from templates in Chinese and English (``decision_templates/``).

The draft fills in what the file says (parties, dates of receipt, acceptance, service and hearing, the claim, the
status of the patent then and now, the alerts, the claim chart when there is one) and leaves a marked blank
(``[date]``, ``【日期】``) for what is not decided yet. The handling officer edits it; it is not an act.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Literal

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ipoffice.domain.event_log import LogEntry
from ipoffice.domain.rules import RuleBook
from ipoffice.domain.time_limits import Period
from ipoffice.services.claim_chart import ClaimChart
from ipoffice.services.disputes import DisputeView

SUIT_RULE = "time_limit.adjudication_suit"
Language = Literal["en", "zh"]
LANGUAGES: tuple[Language, ...] = ("en", "zh")
_TEMPLATES = Path(__file__).with_name("decision_templates")
_ENV = Environment(loader=FileSystemLoader(_TEMPLATES), undefined=StrictUndefined, autoescape=False,
                   keep_trailing_newline=True)

# The states of a patent's case as the decision names them.
STATE_NAMES: dict[str, dict[str, str]] = {
    "en": {"granted": "in force", "invalidation_pending": "in force, with an invalidation request pending",
           "lapsed": "lapsed", "invalidated": "declared invalid", "expired": "expired (end of term)"},
    "zh": {"granted": "有效", "invalidation_pending": "有效（无效宣告请求审查中）", "lapsed": "终止（未缴年费）",
           "invalidated": "被宣告无效", "expired": "期限届满终止"},
}


# The changes of the patent an alert reports (``cn_patent_dispute.RIGHT_ALERTS``) as the decision names them.
ALERT_NAMES: dict[str, dict[str, str]] = {
    "en": {"lapse": "the patent lapsed", "request_invalidation": "a request for invalidation of the patent was filed",
           "declare_invalid": "the patent was declared invalid", "expire_term": "the term of the patent ended",
           "surrender": "the patentee surrendered the patent"},
    "zh": {"lapse": "专利权因未缴年费终止", "request_invalidation": "有人请求宣告该专利权无效",
           "declare_invalid": "该专利权被宣告无效", "expire_term": "专利权期限届满", "surrender": "专利权人放弃专利权"},
}


def alert_text(alert: LogEntry, lang: Language, day: Callable[[date], str]) -> str:
    """What changed and when, e.g. "the patent lapsed (11 Jul 2026)" / "专利权因未缴年费终止（2026年7月11日）"."""
    event = str(alert.payload.get("right_event"))
    when = day(date.fromisoformat(str(alert.payload.get("right_event_date") or alert.date.isoformat())))
    name = ALERT_NAMES[lang].get(event, event)
    return f"{name} ({when})" if lang == "en" else f"{name}（{when}）"


def state_name(state: str | None, lang: Language) -> str:
    if state is None:
        return "[date of the infringement not given]" if lang == "en" else "【未载明侵权行为日期】"
    return STATE_NAMES[lang].get(state, state)


def draft_decision(dispute: DisputeView, lang: Language, office_name: str, rules: RuleBook,
                   chart: ClaimChart | None = None, outcome: str = "stop_infringement",
                   cite: Callable[[str], str] = str, day: Callable[[date], str] = date.isoformat) -> str:
    """The draft decision in ``lang`` ("en" or "zh"); ``cite`` writes a legal reference and ``day`` a date in
    that language (the interfaces pass their translator's). ValueError naming ``lang`` when it is neither."""
    if lang not in LANGUAGES:
        raise ValueError(f"lang: expected one of {', '.join(LANGUAGES)}, got {lang!r}")

    def _day(value: object) -> str | None:
        return day(value) if isinstance(value, date) else None

    facts = dispute.view.case.facts
    record = dispute.view.record
    claim_number = dispute.asserted_claims[0]
    try:
        claim_text = dispute.claim_text(claim_number)
    except LookupError:
        claim_text = "[claim text not in the file]" if lang == "en" else "【案卷中无权利要求文本】"
    decided = facts.get("decision_date")
    suit = rules.value(SUIT_RULE, decided if isinstance(decided, date) else dispute.view.record.filing_date)
    suit_days = Period.from_mapping(suit.value, SUIT_RULE).days
    return _ENV.get_template(f"adjudication_decision_{lang}.txt.j2").render(
        office_name=office_name, number=record.application_number,
        requester=record.applicant, requester_agent=record.agent,
        respondent=dispute.respondent, respondent_agent=dispute.filing.get("respondent_agent"),
        received_on=_day(facts.get("received_on")), accepted_on=_day(facts.get("accepted_on")),
        served_on=_day(facts.get("served_on")), hearing_date=_day(facts.get("hearing_date")),
        decision_date=_day(facts.get("decision_date")),
        right_number=dispute.right.view.record.application_number, right_title=dispute.right.view.record.title,
        asserted_claims=", ".join(str(n) for n in dispute.asserted_claims),
        infringement_date=_day(dispute.infringement_date),
        right_state_then=state_name(dispute.right.state_on_infringement, lang),
        right_state_now=state_name(dispute.right.state_now, lang),
        alerts=[alert_text(a, lang, day) for a in dispute.alerts],
        claim_number=claim_number, claim_text=claim_text,
        chart_rows=chart.rows if chart is not None else [],
        outcome=str(facts.get("outcome") or outcome),
        suit_period=f"{suit_days} days", suit_period_zh=f"{suit_days}日", suit_reference=cite(suit.reference),
    )
