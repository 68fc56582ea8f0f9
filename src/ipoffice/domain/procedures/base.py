"""A small, pure state-machine core for legal procedures (patents, utility models, designs, trademarks).

Vocabulary
----------
- A **procedure** (``Procedure``) is a set of named *states* and *transitions*. A transition is
  triggered by an *action* (``"file"``, ``"request_substantive_examination"``, ``"non_final_rejection"``,
  ...) allowed from some source states; it may have a *guard* (a legal condition, e.g. "priority
  claimed within 12 months"), change *facts* of the case (filing date, grant date, ...), open
  *time limits* and close the ones it satisfies.
- Every applied action is recorded as a ``ProcedureEvent(code, date, payload)``: ``code`` is the
  action name. These events are what the register stores (the legal events of the file).
- A ``Case`` is the value obtained by **folding events** through the procedure: ``state``,
  ``facts``, ``open_time_limits`` and the ``events`` themselves. The state is never stored on its
  own: ``procedure.replay(case.events, rules)`` always rebuilds the same case.
- Time limits are computed by the ``RuleBook`` (``ipoffice.domain.rules``) from the rule in force
  on the date of the event that opens them; each limit names the action applied as its legal
  consequence when it expires unmet (``"deem_withdrawn"``, ``"abandon"``, ``"lapse"``, ...).

API (all pure; no I/O)
----------------------
::

    proc = CN_INVENTION                           # a Procedure instance
    case = proc.new_case()                        # state == proc.initial_state, no events
    proc.allowed_actions(case)                    # ["file"]
    case, events = proc.apply(case, "file", on=date(2024, 3, 1), rules=rules,
                              payload={"priority_date": "2023-06-01"})
    case.state                                    # "filed"
    case.open_time_limits                         # (OpenTimeLimit(name="request_examination",
                                                  #   due=..., consequence="deem_withdrawn"), ...)
    proc.apply(case, "grant", on=..., rules=rules)  # raises ActionNotAllowed naming state and allowed actions
    proc.replay(events, rules) == case            # state derived from the events
    overdue = proc.expire(case, today=date(2027, 4, 1), rules=rules)
    # -> [ProcedureEvent("deem_withdrawn", date(2027, 3, 2), {"time_limit": ..., "notice": ...})]
    case, _ = proc.apply_all(case, overdue, rules)  # the scheduled job records them

Errors: ``ActionNotAllowed`` (the action has no transition from the current state; its message names
the state and the allowed actions) and ``ActionRefused`` (a transition exists but its guard, the
chronology or the payload refuses it). Both are ``DomainError``; on error nothing is returned, so
the register is unchanged.

For partial histories (e.g. USPTO files filtered to examination actions) ``implied_path`` finds the
shortest chain of transitions marked ``implied=True`` that leads from the current state to one where
a recorded action is allowed, and ``reachable_states`` tells which states the ordinary procedure can
still reach (extraordinary remedies such as restoration or revival are ``ordinary=False``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from ipoffice.domain.errors import DomainError
from ipoffice.domain.rules import RuleBook
from ipoffice.domain.time_limits import Period, due_date


@dataclass(frozen=True)
class ProcedureEvent:
    """One legal event of a case: the action applied, the day it took effect, its data."""

    code: str
    date: date
    payload: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class ActionContext:
    """What a guard, effect or time-limit start function sees about the action being applied."""

    action: str
    on: date
    rules: RuleBook
    payload: Mapping[str, object]


@dataclass(frozen=True)
class OpenTimeLimit:
    """A running time limit of a case."""

    name: str
    opened_by: str  # the action that opened it
    start: date  # the day the period is counted from (e.g. deemed receipt of a notice)
    due: date  # last day to act, after non-working-day roll-over
    consequence: str | None  # action applied when it expires unmet; None = rights simply end
    reference: str
    met_by: frozenset[str]
    last_day_with_extensions: date | None = None
    automatic_extension: bool = False  # US 37 CFR 1.136(a): extension bought with the late reply
    period: Period | None = None  # counted from ``start`` (extensions included); None: not extendable

    @property
    def expires_after(self) -> date:
        """The last day before the consequence applies."""
        if self.automatic_extension and self.last_day_with_extensions is not None:
            return self.last_day_with_extensions
        return self.due


@dataclass(frozen=True)
class Case:
    """A case derived from its events. Treat as immutable: every change yields a new Case."""

    procedure: str
    state: str
    events: tuple[ProcedureEvent, ...] = ()
    open_time_limits: tuple[OpenTimeLimit, ...] = ()
    facts: Mapping[str, object] = field(default_factory=dict)

    def date_fact(self, name: str) -> date | None:
        value = self.facts.get(name)
        return value if isinstance(value, date) else None

    def time_limit(self, name: str) -> OpenTimeLimit | None:
        return next((t for t in self.open_time_limits if t.name == name), None)

    @property
    def last_event_date(self) -> date | None:
        return self.events[-1].date if self.events else None


CaseState = Case  # alias used in the service layer's vocabulary

Guard = Callable[[Case, ActionContext], str | None]  # returns the reason for refusal, or None
Effect = Callable[[Case, ActionContext], Mapping[str, object]]  # fact updates
StartOf = Callable[[Case, ActionContext], date]
RuleName = str | Callable[[Case, ActionContext], str]  # a RuleBook parameter, or chosen per case


def _rule_name(rule: RuleName, case: Case, ctx: ActionContext) -> str:
    return rule if isinstance(rule, str) else rule(case, ctx)


PREVIOUS_STATE = "state_before_loss_of_rights"


def before_last_event(on: date, last: date) -> Reason:
    return Reason(f"dated {on.isoformat()}, before the last event ({last.isoformat()})", "before_last_event",
                  on=on, last=last)


def on_event_date(case: Case, ctx: ActionContext) -> date:
    return ctx.on


class ActionNotAllowed(DomainError):
    """The action has no transition from the case's current state."""

    def __init__(self, state: str, action: str, allowed: Sequence[str]) -> None:
        self.state = state
        self.action = action
        self.allowed = tuple(allowed)
        allowed_text = ", ".join(self.allowed) if self.allowed else "none (final state)"
        super().__init__(f"action {action!r} is not allowed in state {state!r}; allowed actions: {allowed_text}")


class Reason(str):
    """Why an action is refused: the English text, with a ``code`` naming the kind of refusal and its
    ``params`` (dates, numbers, codes of time limits), so an interface can say it in its own language."""

    code: str
    params: Mapping[str, object]

    def __new__(cls, text: str, code: str, **params: object) -> Reason:
        reason = super().__new__(cls, text)
        reason.code = code
        reason.params = params
        return reason


class ActionRefused(DomainError):
    """A transition exists but a legal condition (guard), the chronology or the payload refuses it; ``code``
    and ``params`` are those of the reason (``refused`` and none for a reason given as plain text)."""

    def __init__(self, state: str, action: str, reason: str) -> None:
        self.state = state
        self.action = action
        self.reason = reason
        self.code = reason.code if isinstance(reason, Reason) else "refused"
        self.params: Mapping[str, object] = reason.params if isinstance(reason, Reason) else {}
        super().__init__(f"action {action!r} refused in state {state!r}: {reason}")


@dataclass(frozen=True)
class TimeLimitSpec:
    """A time limit opened by a transition.

    ``rule`` names the RuleBook period; it is read on the date of the opening event, or on the
    date ``rule_date`` gives (e.g. the filing date, for terms of protection). ``start`` gives the day
    the period counts from (default: the event date). ``extension_rule`` (optional) names the period
    giving the last day with all extensions, counted from the same start. A ``term`` (of protection)
    ends the day before the anniversary and is not rolled over to a working day. With ``start_counts`` the
    start day is itself the period's first day (a period "beginning on" a day, e.g. "within 3 months from the
    first day of the following month"): it ends the day before the corresponding day, then rolls over."""

    name: str
    rule: RuleName
    consequence: str | None
    met_by: frozenset[str]
    start: StartOf = on_event_date
    extension_rule: RuleName | None = None
    automatic_extension: bool = False
    rule_date: StartOf | None = None
    term: bool = False
    start_counts: bool = False


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str | None = None  # None: the state does not change
    guard: Guard | None = None
    effect: Effect | None = None
    opens: tuple[TimeLimitSpec, ...] = ()
    extends: str | tuple[str, ...] | None = None  # open time limit(s) an extension request moves (payload "months")
    implied: bool = False  # may be inferred between the recorded events of a partial history
    records_previous_state: bool = False  # a loss of rights: remember the state for a restoration
    returns_to_previous_state: bool = False  # restoration/revival: back to the remembered state
    ordinary: bool = True  # False for extraordinary remedies (restoration, revival)
    once: bool = False  # a request made once per case: a repeat is refused, naming the first (its date)
    description: str = ""


def transition(
    action: str,
    sources: str | Iterable[str],
    target: str | None = None,
    **options: object,
) -> Transition:
    """Shorthand: ``transition("publish", "formality_examined", "published", opens=(...,))``."""
    source_set = frozenset([sources] if isinstance(sources, str) else sources)
    return Transition(action, source_set, target, **options)  # type: ignore[arg-type]


class Procedure:
    """A legal procedure as an explicit state machine. See the module docstring for the API."""

    def __init__(
        self,
        name: str,
        states: Mapping[str, str],
        initial_state: str,
        final_states: Iterable[str],
        transitions: Sequence[Transition],
        description: str = "",
    ) -> None:
        self.name = name
        self.states = dict(states)
        self.initial_state = initial_state
        self.final_states = frozenset(final_states)
        self.transitions = tuple(transitions)
        self.description = description
        self._check_definition()

    def _check_definition(self) -> None:
        actions = {t.action for t in self.transitions}
        known = set(self.states)
        problems: list[str] = []
        if self.initial_state not in known:
            problems.append(f"initial state {self.initial_state!r} is not a state")
        problems += [f"final state {s!r} is not a state" for s in self.final_states - known]
        for t in self.transitions:
            problems += [f"{t.action}: unknown source state {s!r}" for s in t.sources - known]
            if t.target is not None and t.target not in known:
                problems.append(f"{t.action}: unknown target state {t.target!r}")
            for spec in t.opens:
                if spec.consequence is not None and spec.consequence not in actions:
                    problems.append(f"{t.action}: time limit {spec.name!r} has unknown consequence")
        seen: set[tuple[str, str]] = set()
        for t in self.transitions:
            for s in t.sources:
                if (s, t.action) in seen:
                    problems.append(f"two transitions for action {t.action!r} from state {s!r}")
                seen.add((s, t.action))
        if problems:
            raise ValueError(f"procedure {self.name}: " + "; ".join(problems))

    # -- queries ---------------------------------------------------------------------------------

    def new_case(self) -> Case:
        return Case(procedure=self.name, state=self.initial_state)

    def actions_from(self, state: str) -> list[str]:
        return sorted({t.action for t in self.transitions if state in t.sources})

    def allowed_actions(self, case: Case) -> list[str]:
        """Actions with a transition from the case's state, less the requests made once that the case holds
        already (other guards are checked only on apply)."""
        made = {e.code for e in case.events}
        return [a for a in self.actions_from(case.state)
                if not (a in made and (t := self.transition_for(case.state, a)) is not None and t.once)]

    def transition_for(self, state: str, action: str) -> Transition | None:
        return next((t for t in self.transitions if t.action == action and state in t.sources), None)

    def reachable_states(self, state: str, ordinary_only: bool = True) -> frozenset[str]:
        """States reachable from ``state`` (itself included), ignoring guards and time."""
        seen = {state}
        queue = deque([state])
        while queue:
            current = queue.popleft()
            for t in self.transitions:
                if current in t.sources and (t.ordinary or not ordinary_only):
                    nxt = t.target or current
                    if nxt not in seen:
                        seen.add(nxt)
                        queue.append(nxt)
        return frozenset(seen)

    def implied_path(
        self, state: str, action: str, max_steps: int = 4, avoid: frozenset[str] = frozenset()
    ) -> list[Transition] | None:
        """The shortest chain of ``implied`` transitions after which ``action`` is allowed
        (``[]`` when it is allowed already; ``None`` when no such chain exists). Actions in ``avoid``
        are never implied (e.g. kinds of event the partial history would have recorded)."""
        queue: deque[tuple[str, list[Transition]]] = deque([(state, [])])
        seen = {state}
        while queue:
            current, path = queue.popleft()
            if self.transition_for(current, action) is not None:
                return path
            if len(path) >= max_steps:
                continue
            for t in self.transitions:
                if t.implied and t.action not in avoid and current in t.sources and t.target and t.target not in seen:
                    seen.add(t.target)
                    queue.append((t.target, [*path, t]))
        return None

    # -- commands --------------------------------------------------------------------------------

    def apply(
        self,
        case: Case,
        action: str,
        on: date,
        rules: RuleBook,
        payload: Mapping[str, object] | None = None,
        *,
        recorded: bool = False,
    ) -> tuple[Case, list[ProcedureEvent]]:
        """Apply ``action`` on day ``on``. Returns the new case and the events to record. A request made once
        per case (``Transition.once``) is refused when the case holds it already — unless ``recorded`` (the
        event is replayed from the log, which keeps whatever it holds)."""
        if case.procedure != self.name:
            raise ActionRefused(case.state, action, Reason(f"case belongs to procedure {case.procedure!r}",
                                                           "wrong_procedure", procedure=case.procedure))
        chosen = self.transition_for(case.state, action)
        if chosen is None:
            raise ActionNotAllowed(case.state, action, self.allowed_actions(case))
        if case.last_event_date is not None and on < case.last_event_date:
            raise ActionRefused(case.state, action, before_last_event(on, case.last_event_date))
        if chosen.once and not recorded:
            first = next((e for e in case.events if e.code == action), None)
            if first is not None:
                raise ActionRefused(case.state, action, Reason(
                    f"already requested on {first.date.isoformat()}; a request is made once", "already_requested",
                    on=first.date))
        ctx = ActionContext(action, on, rules, dict(payload or {}))
        if chosen.guard is not None:
            reason = chosen.guard(case, ctx)
            if reason is not None:
                raise ActionRefused(case.state, action, reason)
        event = ProcedureEvent(action, on, ctx.payload)
        return self._fold(case, event, chosen, ctx), [event]

    def apply_all(
        self, case: Case, events: Iterable[ProcedureEvent], rules: RuleBook, *, recorded: bool = False
    ) -> tuple[Case, list[ProcedureEvent]]:
        applied: list[ProcedureEvent] = []
        for event in events:
            case, new = self.apply(case, event.code, event.date, rules, event.payload, recorded=recorded)
            applied += new
        return case, applied

    def replay(self, events: Iterable[ProcedureEvent], rules: RuleBook) -> Case:
        """The case derived from its recorded events (each is re-validated; a repeated request the log
        holds from before ``Transition.once`` is kept)."""
        return self.apply_all(self.new_case(), events, rules, recorded=True)[0]

    def expire(self, case: Case, today: date, rules: RuleBook) -> list[ProcedureEvent]:
        """Consequence events of the limits that expired before ``today``, earliest first, as the
        scheduled job must record them. A consequence takes effect the day after the last day;
        once one has applied, limits it closed (or made moot) produce nothing."""
        produced: list[ProcedureEvent] = []
        while True:
            overdue = sorted(
                (t for t in case.open_time_limits if t.expires_after < today),
                key=lambda t: (t.expires_after, t.name),
            )
            if not overdue:
                return produced
            limit = overdue[0]
            effective = limit.expires_after + timedelta(days=1)
            if limit.consequence is None or self.transition_for(case.state, limit.consequence) is None:
                case = replace(case, open_time_limits=tuple(t for t in case.open_time_limits if t != limit))
                continue
            notice = (
                f"Time limit {limit.name!r} ({limit.reference}) opened by {limit.opened_by!r} "
                f"ended on {limit.expires_after.isoformat()} without the required act; "
                f"consequence: {limit.consequence} from {effective.isoformat()}."
            )
            payload = {"time_limit": limit.name, "due": limit.expires_after.isoformat(), "notice": notice}
            on = max(effective, case.last_event_date or effective)
            case, events = self.apply(case, limit.consequence, on, rules, payload)
            case = replace(case, open_time_limits=tuple(t for t in case.open_time_limits if t != limit))
            produced += events

    # -- folding ---------------------------------------------------------------------------------

    def _fold(self, case: Case, event: ProcedureEvent, chosen: Transition, ctx: ActionContext) -> Case:
        facts = dict(case.facts)
        if chosen.effect is not None:
            facts.update(chosen.effect(case, ctx))
        if chosen.records_previous_state:
            facts[PREVIOUS_STATE] = case.state
        target = chosen.target or case.state
        if chosen.returns_to_previous_state:
            target = str(case.facts.get(PREVIOUS_STATE, target))
        if target in self.final_states and target != case.state:
            limits: list[OpenTimeLimit] = []
        else:
            # A limit ends when it is met, or when its own consequence has been applied.
            limits = [t for t in case.open_time_limits if event.code not in t.met_by and t.consequence != event.code]
        if chosen.extends is not None:
            names = (chosen.extends,) if isinstance(chosen.extends, str) else chosen.extends
            if not any(t.name in names for t in limits):
                raise ActionRefused(case.state, ctx.action, Reason(
                    f"no open time limit {' or '.join(names)} to extend", "nothing_to_extend", limits=names))
            limits = [self._extended(t, ctx, case.state) if t.name in names else t for t in limits]
        updated = Case(case.procedure, target, (*case.events, event), (), facts)
        for spec in chosen.opens:
            limits = [t for t in limits if t.name != spec.name] + [self._open(spec, updated, ctx)]
        return replace(updated, open_time_limits=tuple(limits))

    @staticmethod
    def _open(spec: TimeLimitSpec, case: Case, ctx: ActionContext) -> OpenTimeLimit:
        start = spec.start(case, ctx)
        rule_date = spec.rule_date(case, ctx) if spec.rule_date is not None else ctx.on
        deadline = ctx.rules.deadline(_rule_name(spec.rule, case, ctx), start, rule_date=rule_date)
        if spec.term:
            due = deadline.nominal - timedelta(days=1)
        elif spec.start_counts:
            due = ctx.rules.calendar.next_working_day(deadline.nominal - timedelta(days=1))
        else:
            due = deadline.due
        last_day = None
        if spec.extension_rule is not None:
            extension_rule = _rule_name(spec.extension_rule, case, ctx)
            extended = ctx.rules.deadline(extension_rule, start, rule_date=rule_date)
            # A term and its grace period end the day before the anniversary, as the term itself does.
            last_day = extended.nominal - timedelta(days=1) if spec.term else extended.due
        return OpenTimeLimit(
            name=spec.name,
            opened_by=ctx.action,
            start=start,
            due=due,
            consequence=spec.consequence,
            reference=deadline.reference,
            met_by=spec.met_by,
            last_day_with_extensions=last_day,
            automatic_extension=spec.automatic_extension,
            period=None if spec.term else deadline.period,
        )

    @staticmethod
    def _extended(limit: OpenTimeLimit, ctx: ActionContext, state: str) -> OpenTimeLimit:
        """The limit extended by ``months``: the period plus all extensions, counted from the
        original start and rolled over once at the end (see ``ipoffice.domain.time_limits``)."""
        months = ctx.payload.get("months")
        if not isinstance(months, int) or isinstance(months, bool) or months < 1:
            raise ActionRefused(state, ctx.action, Reason("payload 'months' must be a positive integer",
                                                          "extension_months"))
        if limit.period is None:
            raise ActionRefused(state, ctx.action, Reason(f"time limit {limit.name!r} cannot be extended",
                                                          "not_extendable", limit=limit.name))
        period = limit.period + Period(months=months)
        new_due = due_date(limit.start, period, ctx.rules.calendar)
        if limit.automatic_extension:
            # US 37 CFR 1.136(a): the extension may be bought up to the end of the extended period.
            if ctx.on > new_due:
                raise ActionRefused(state, ctx.action, Reason(
                    f"an extension of {months} month(s) ends on {new_due.isoformat()}, before the request",
                    "extension_too_late", months=months, due=new_due))
        elif ctx.on > limit.due:
            raise ActionRefused(state, ctx.action, Reason(
                f"requested after the limit ended on {limit.due.isoformat()}", "limit_ended", due=limit.due))
        if limit.last_day_with_extensions is not None and new_due > limit.last_day_with_extensions:
            raise ActionRefused(state, ctx.action, Reason(
                f"extension to {new_due.isoformat()} goes beyond the maximum "
                f"{limit.last_day_with_extensions.isoformat()}", "extension_beyond_maximum", due=new_due,
                maximum=limit.last_day_with_extensions))
        return replace(limit, due=new_due, period=period)
