"""Setting an open request's clocks again under its tenant's (new) rules, keeping the time already elapsed.

Used when a tenant moves to another vertical (:mod:`aftersales.onboarding.vertical_switch`): the promises a
request runs under are the new vertical's from then on, but the request's past is not rewritten. For each clock
the new rules set:

* a clock of that name already **met** stays as it was: a kept or broken promise is history;
* a clock of that name and the same clock kind keeps its start and the time it used; it takes the new duration,
  milestones, pauses, breach action and reason, and its due time is computed again from what is left (a breach
  already acted on stays acted on; a clock that now has time left is no longer breached);
* any other clock is set as if it had run since the request reached its start milestone, by the request's
  timeline (``opened``; a state entered or left; ``contacted``, ``on_site``, ``answered``): met when the timeline
  shows a milestone that meets it, otherwise running with the time since its start used up. Holds and pausing
  states before now are not replayed: the time counts as used, so a new promise errs on the customer's side.

A clock the new rules no longer set is removed unless it was met, and the timeline says so. Every clock then
pauses or runs by the request's current state and holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.calendar import BusinessCalendar
from aftersales.contract.values import SlaTarget
from aftersales.service.clocks.services import (
    RESULT_CLOCK,
    NewClock,
    _clock_from,
    _elapsed,
    _run,
    _settle,
    _start,
    clocks_of,
    request_facts,
    targets_of,
)
from aftersales.service.models import RequestEvent, ServiceRequest, SlaClock
from aftersales.tenancy.current import CurrentTenant

ACTOR = "platform:vertical-switch"


@dataclass(frozen=True)
class ClockChange:
    """What happened to one clock of a request: ``kept`` (met, untouched), ``retargeted`` (same clock, new
    terms), ``added``, ``replaced`` (same name, another clock kind) or ``removed``."""

    name: str
    effect: str
    before: str
    """The clock's terms before (``"7 days business_days"``), empty when added."""
    after: str
    """Its terms and standing after (``"24 h calendar, due 2026-11-21T13:00Z"``), empty when removed."""


async def retarget_request(session: AsyncSession, tenant: CurrentTenant, request: ServiceRequest,
                           now: datetime, *, why: str) -> list[ClockChange]:
    """Set ``request``'s clocks under ``tenant``'s current rules (see the module), note it on the timeline with
    ``why``, and return what changed per clock."""
    calendar = tenant.calendar
    targets = targets_of(tenant, await request_facts(session, tenant, request))
    existing = {clock.name: clock for clock in await clocks_of(session, request.id)}
    history = await _milestones(session, request)
    pending: list[tuple[str, str, str, SlaClock | None]] = []  # name, effect, terms before, clock after
    for target in targets:
        clock = existing.pop(target.name, None)
        if clock is not None and clock.met_at is not None:
            pending.append((target.name, "kept", _terms(clock), clock))
        elif clock is not None and clock.clock == target.clock:
            before = _terms(clock)
            _retarget(clock, target, calendar, now)
            pending.append((target.name, "retargeted", before, clock))
        else:
            before = ""
            if clock is not None:
                before = _terms(clock)
                await session.execute(delete(SlaClock).where(SlaClock.id == clock.id))
            added = SlaClock(**vars(_replayed(request, target, history, calendar, now)))
            session.add(added)
            pending.append((target.name, "replaced" if before else "added", before, added))
    for clock in existing.values():
        if clock.met_at is not None:
            pending.append((clock.name, "kept", _terms(clock), clock))
            continue
        await session.execute(delete(SlaClock).where(SlaClock.id == clock.id))
        pending.append((clock.name, "removed", _terms(clock), None))
    await session.flush()
    live = [c for c in await clocks_of(session, request.id) if c.started_at is not None and c.met_at is None]
    await _settle(session, calendar, request, live, now)
    changes = [ClockChange(name, effect, before, _standing(clock) if clock is not None else "")
               for name, effect, before, clock in pending]
    changes.sort(key=lambda change: change.effect != "removed")  # what goes, then what comes
    result = next((c for c in live if c.name == RESULT_CLOCK and c.due_at is not None), None)
    if result is not None:
        request.promised_at = result.due_at
    if any(change.effect != "kept" for change in changes):
        session.add(RequestEvent(request_id=request.id, occurred_at=now, actor=ACTOR, kind="note",
                                 note=f"{why}: " + "; ".join(describe(c) for c in changes if c.effect != "kept")))
    await session.flush()
    return changes


def describe(change: ClockChange) -> str:
    """One change as a line of the timeline and of the dry run."""
    if change.effect == "removed":
        return f"{change.name} ({change.before}) removed"
    if change.effect == "added":
        return f"{change.name} added: {change.after}"
    if change.effect == "kept":
        return f"{change.name} kept as it was ({change.after})"
    if change.effect == "replaced":
        return f"{change.name} {change.before} replaced: {change.after}"
    return f"{change.name} {change.before} → {change.after}"


def _retarget(clock: SlaClock, target: SlaTarget, calendar: BusinessCalendar, now: datetime) -> None:
    """Give a clock the target's terms, keeping its start and the time it used."""
    if clock.running_since is not None:
        clock.used_seconds += _elapsed(clock, calendar, clock.running_since, now)
        clock.running_since = None
    clock.duration_seconds = int(target.duration.total_seconds())
    clock.starts_on, clock.met_on, clock.pauses_on = target.starts_on, list(target.met_on), list(target.pauses_on)
    clock.on_breach, clock.at_risk_fraction, clock.reason = target.on_breach, target.at_risk_fraction, target.reason
    if clock.started_at is None:
        return
    clock.budget_seconds = _budget(clock, calendar, clock.started_at)
    if clock.used_seconds < clock.budget_seconds:
        clock.breached_at = clock.breach_handled_at = None
    if clock.used_seconds < clock.at_risk_fraction * clock.budget_seconds:
        clock.at_risk_handled_at = None
    _run(clock, calendar, now)


def _replayed(request: ServiceRequest, target: SlaTarget, history: dict[str, datetime], calendar: BusinessCalendar,
              now: datetime) -> NewClock:
    """A new clock for ``target`` as if it had run since the request reached its start milestone."""
    clock = _clock_from(request.id, target, now)
    started = history.get(target.starts_on)
    if started is None:
        return clock
    _start(clock, calendar, started)
    clock.budget_seconds = _budget(clock, calendar, started)
    met = min((history[m] for m in target.met_on if m in history and history[m] >= started), default=None)
    end = met or now
    clock.used_seconds, clock.running_since = _elapsed(clock, calendar, started, end), None
    if met is not None:
        clock.met_at, clock.due_at = met, None
        if clock.used_seconds > clock.budget_seconds:
            clock.breached_at = clock.breach_handled_at = met
        return clock
    _run(clock, calendar, now)
    return clock


def _budget(clock: SlaClock, calendar: BusinessCalendar, started: datetime) -> int:
    """The clock's budget in its own seconds, for a clock started at ``started``."""
    if clock.clock != "business_days":
        return clock.duration_seconds
    due = calendar.add_business_days(started, clock.duration_seconds // 86_400)
    return int(calendar.business_time_between(started, due).total_seconds())


async def _milestones(session: AsyncSession, request: ServiceRequest) -> dict[str, datetime]:
    """When the request first reached each milestone, by its timeline."""
    reached = {"opened": request.opened_at, "received": request.opened_at}
    events = await session.scalars(select(RequestEvent).where(RequestEvent.request_id == request.id)
                                   .order_by(RequestEvent.occurred_at))
    for event in events:
        names = [event.kind]
        if event.kind == "moved":
            names = [event.to_state or "", f"left:{event.from_state}"]
        for name in names:
            reached.setdefault(name, event.occurred_at)
    return reached


def _terms(clock: SlaClock) -> str:
    seconds = clock.duration_seconds
    amount = f"{seconds // 86_400} days" if clock.clock == "business_days" else f"{seconds / 3600:g} h"
    return f"{amount} {clock.clock.replace('_', ' ')}"


def _standing(clock: SlaClock) -> str:
    terms = _terms(clock)
    if clock.met_at is not None:
        return terms + (", met late" if clock.breached_at is not None else ", met")
    if clock.started_at is None:
        return terms + f", starts on {clock.starts_on}"
    if clock.due_at is None:
        return terms + ", paused"
    return terms + f", due {clock.due_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
