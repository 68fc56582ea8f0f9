"""An international registration designating China under the Madrid Protocol (territorial extension to China).

The International Bureau (IB) notifies the designation (recorded as the case's ``file`` act, by the holder's
representative or the office) → the office examines it as a national application
within the refusal period, 18 months from the notification (Protocol Art. 5(2)(b); China's declaration,
Madrid (Marks) Notification No. 79) → oppositions within 3 months from the first day of the month after the
WIPO Gazette published the designation (Implementing Regulations of the Trademark Law (2014) Art. 45) →
a statement of grant of protection (Common Regulations Rule 18ter(1)), or a total or partial provisional
refusal (Rule 17) with review within 15 days (Trademark Law Art. 34); no refusal notified in the refusal
period: protection is deemed granted (Implementing Regulations Art. 42). A refusal based on an opposition may
be notified after the 18 months (Protocol Art. 5(2)(c), same declaration), so a pending opposition stops the
deemed grant. Protection runs 10 years from the international registration date (Protocol Art. 6(1);
Implementing Regulations Art. 46), renewed at the IB for 10 years (Protocol Art. 7(1)) with a 6-month grace
period (Art. 7(4)). The IB's later transactions are recorded as legal events: transfer (Art. 9), limitation
of the goods (Rule 25(1)(a)(ii)), renewal, and the ceasing of effect when the basic mark falls within 5 years
(Art. 6(3)-(4), "central attack").

Payload of ``file`` (the IB's notification): ``international_registration_number`` (required),
``international_registration_date`` and ``gazette_date`` (dates, required), ``nice_classes`` (list of ints),
``notification_date`` (the day the IB sent the notification, from which the refusal period runs; default: the
day the office records it).
"""

from __future__ import annotations

from datetime import date, timedelta

from ipoffice.domain.procedures.base import ActionContext, Case, Procedure, Reason, TimeLimitSpec, transition
from ipoffice.domain.procedures.cn_trademark import third_party_request
from ipoffice.domain.time_limits import add_period

LIVE = ("under_examination", "opposed", "provisionally_refused", "under_review", "protected")


def _date(ctx: ActionContext, key: str) -> date | None:
    raw = ctx.payload.get(key)
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        return None


def _classes(ctx: ActionContext, key: str) -> list[int] | None:
    raw = ctx.payload.get(key, [])
    if not isinstance(raw, list) or not all(isinstance(c, int) and not isinstance(c, bool) and 1 <= c <= 45
                                            for c in raw):
        return None
    return sorted(set(raw))


def _bad(field: str, expected: str) -> Reason:
    return Reason(f"payload {field!r} must be {expected}", "invalid_payload", field=field, expected=expected)


def _designation_guard(case: Case, ctx: ActionContext) -> Reason | None:
    if not str(ctx.payload.get("international_registration_number") or "").strip():
        return _bad("international_registration_number", "the international registration number")
    optional = ("notification_date",) if "notification_date" in ctx.payload else ()
    for key in ("international_registration_date", "gazette_date", *optional):
        day = _date(ctx, key)
        if day is None:
            return _bad(key, "a date (YYYY-MM-DD)")
        if day > ctx.on:
            return Reason(f"{key} is after the notification ({ctx.on})", "date_after_notification", field=key,
                          on=ctx.on)
    if not _classes(ctx, "nice_classes"):
        return _bad("nice_classes", "a list of Nice classes 1-45")
    return None


def _designation_effect(case: Case, ctx: ActionContext) -> dict[str, object]:
    return {"international_registration_number": str(ctx.payload["international_registration_number"]).strip(),
            "international_registration_date": _date(ctx, "international_registration_date"),
            "gazette_date": _date(ctx, "gazette_date"), "notification_date": _notified_on(ctx),
            "nice_classes": _classes(ctx, "nice_classes")}


def _notified_on(ctx: ActionContext) -> date:
    return _date(ctx, "notification_date") or ctx.on


def _refusal_period_start(case: Case, ctx: ActionContext) -> date:
    """Protocol Art. 5(2)(a)-(b): from the day the IB sent the notification of the designation."""
    return _notified_on(ctx)


def _designated(case: Case) -> list[int]:
    classes = case.facts.get("nice_classes")
    return [c for c in classes if isinstance(c, int)] if isinstance(classes, list) else []


def _first_day_after_gazette_month(case: Case, ctx: ActionContext) -> date:
    gazette = case.date_fact("gazette_date")
    assert gazette is not None
    return (gazette.replace(day=28) + timedelta(days=4)).replace(day=1)


def _registration_date(case: Case, ctx: ActionContext) -> date:
    start = case.date_fact("term_start") or case.date_fact("international_registration_date")
    if start is None:
        raise ValueError("the designation has no international registration date")
    return start


REFUSAL_PERIOD = TimeLimitSpec("refusal_period", "time_limit.madrid_refusal_period", "deem_protected",
                               frozenset({"provisionally_refuse", "grant_protection"}), start=_refusal_period_start)
# A grant (stated or deemed) comes after the opposition period, so it closes it too.
OPPOSITION_PERIOD = TimeLimitSpec("opposition_period", "time_limit.madrid_opposition", "end_opposition_period",
                                  frozenset({"file_opposition", "grant_protection", "deem_protected"}),
                                  start=_first_day_after_gazette_month, start_counts=True)
REVIEW_REQUEST = TimeLimitSpec("review_request", "time_limit.trademark_review_of_refusal", "refusal_final",
                               frozenset({"request_review"}))
TERM = TimeLimitSpec("protection_term", "term.madrid", "lapse_for_non_renewal", frozenset({"record_renewal"}),
                     start=_registration_date, rule_date=_registration_date, term=True,
                     extension_rule="time_limit.madrid_term_with_grace", automatic_extension=True)


def _grant_guard(case: Case, ctx: ActionContext) -> Reason | None:  # the opposition period must have ended
    opposition = case.time_limit(OPPOSITION_PERIOD.name)
    if opposition is not None and ctx.on <= opposition.due:
        return Reason(f"protection may be granted once the opposition period has ended on {opposition.due} "
                      "(Trademark Implementing Regulations Art. 45)", "opposition_period_running",
                      due=opposition.due)
    return None


def _protection_effect(case: Case, ctx: ActionContext) -> dict[str, object]:
    start = _registration_date(case, ctx)
    return {"protection_date": ctx.on, "term_start": start,
            "term_ends": add_period(start, ctx.rules.period("term.madrid", start)) - timedelta(days=1)}


def _refusal_guard(case: Case, ctx: ActionContext) -> Reason | None:
    if "refused_classes" not in ctx.payload:
        return None  # a total refusal
    refused = _classes(ctx, "refused_classes")
    if not refused or not set(refused) <= set(_designated(case)):
        return _bad("refused_classes", f"some of the designated classes {_designated(case)}")
    return None


def _refusal_effect(case: Case, ctx: ActionContext) -> dict[str, object]:
    refused = _classes(ctx, "refused_classes") if "refused_classes" in ctx.payload else _designated(case)
    return {"refused_classes": refused, "refusal_date": ctx.on}


def _renewal_effect(case: Case, ctx: ActionContext) -> dict[str, object]:
    ends = case.date_fact("term_ends")
    assert ends is not None
    start = ends + timedelta(days=1)
    return {"term_start": start,
            "term_ends": add_period(start, ctx.rules.period("term.madrid", start)) - timedelta(days=1)}


def _limitation_guard(case: Case, ctx: ActionContext) -> Reason | None:
    removed = _classes(ctx, "removed_classes")
    if not removed or not set(removed) < set(_designated(case)):
        return _bad("removed_classes", f"some, not all, of the designated classes {_designated(case)}")
    return None


def _limitation_effect(case: Case, ctx: ActionContext) -> dict[str, object]:
    removed = set(_classes(ctx, "removed_classes") or [])
    return {"nice_classes": [c for c in _designated(case) if c not in removed]}


def _transfer_guard(case: Case, ctx: ActionContext) -> Reason | None:
    return None if str(ctx.payload.get("new_holder") or "").strip() else _bad("new_holder", "the new holder's name")


def _transfer_effect(case: Case, ctx: ActionContext) -> dict[str, object]:
    return {"holder": str(ctx.payload["new_holder"]).strip()}


CN_MADRID_TRADEMARK = Procedure(
    name="cn_madrid_trademark",
    description=__doc__ or "",
    states={
        "new": "Nothing notified yet",
        "under_examination": "Designation notified by the IB; examined within the refusal period",
        "opposed": "Opposition filed against the territorial extension; decision pending",
        "provisionally_refused": "Provisional refusal notified to the IB; review may be requested",
        "under_review": "Review of the provisional refusal pending",
        "protected": "Protection granted (or deemed granted) in China",
        "refused": "Refusal final (confirmed to the IB)",
        "expired": "Protection ended: the international registration was not renewed",
        "ceased": "Effect ceased: the basic mark fell within 5 years (central attack) or the holder renounced",
    },
    initial_state="new",
    final_states=("refused", "expired", "ceased"),
    transitions=[
        transition("file", "new", "under_examination", guard=_designation_guard,
                   effect=_designation_effect, opens=(REFUSAL_PERIOD, OPPOSITION_PERIOD),
                   description="The IB notifies the designation of China (Protocol Art. 3bis)"),
        transition("end_opposition_period", ("under_examination", "protected", "provisionally_refused",
                                             "under_review"), None,
                   description="The opposition period ended without an opposition"),
        transition("file_opposition", "under_examination", "opposed",
                   guard=lambda case, ctx: third_party_request(ctx)),
        transition("reject_opposition", "opposed", "under_examination"),
        transition("provisionally_refuse", ("under_examination", "opposed"), "provisionally_refused",
                   guard=_refusal_guard, effect=_refusal_effect, opens=(REVIEW_REQUEST,),
                   description="Provisional refusal, total or of some classes (Rule 17)"),
        transition("request_review", "provisionally_refused", "under_review"),
        transition("refusal_final", "provisionally_refused", "refused"),
        transition("uphold_refusal", "under_review", "refused"),
        transition("overturn_refusal", "under_review", "protected", effect=_protection_effect, opens=(TERM,)),
        transition("grant_protection", "under_examination", "protected", guard=_grant_guard,
                   effect=_protection_effect, opens=(TERM,),
                   description="Statement of grant of protection (Rule 18ter(1))"),
        transition("deem_protected", "under_examination", "protected", effect=_protection_effect, opens=(TERM,),
                   description="No refusal notified in the refusal period (Implementing Regulations Art. 42)"),
        transition("record_renewal", "protected", None, effect=_renewal_effect, opens=(TERM,)),
        transition("record_transfer", LIVE, None, guard=_transfer_guard, effect=_transfer_effect),
        transition("record_limitation", LIVE, None, guard=_limitation_guard, effect=_limitation_effect),
        transition("lapse_for_non_renewal", "protected", "expired"),
        transition("record_ceasing_of_effect", LIVE, "ceased"),
    ],
)
