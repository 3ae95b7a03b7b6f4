"""Planning visits to technicians, and fixing a day's plan.

Planning a visit locks the technician's row (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite writes one
transaction at a time) before it counts their day, so two dispatchers racing for a technician's last free place
of the day cannot both have it: the second counts the first's visit and is refused. The visit's own row is
locked first, so it is not planned twice at once either.

A day's plan is fixed at the vertical's cut-off (``DispatchTerms.plan_cutoff_hour`` on the last business day
before it: :mod:`aftersales.dispatch.terms`) by the worker job :func:`fix_due_plans`, or earlier by a dispatcher:
its planned visits become ``fixed`` and their technicians and customers are told (:mod:`.notices`). Once the
cut-off has passed, a visit still unplanned is flagged (timeline, ``?flagged=true``, webhook
``visit.unplanned_at_cutoff``), and a visit planned after it is fixed and told at once.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.dispatch import notices, timeline
from aftersales.dispatch.models import Technician, TechnicianAuthorisation, Visit, VisitState
from aftersales.dispatch.suggestions import LOADING, needs_authorisation
from aftersales.dispatch.terms import MAX_DAYS_BACK, dispatch_terms, plan_cutoff
from aftersales.dispatch.visits import get_visit
from aftersales.errors import Conflict, FieldError, InvalidInput
from aftersales.outbox.events import VisitUnplannedAtCutoff
from aftersales.outbox.webhooks import emit
from aftersales.runtime import Runtime
from aftersales.tenancy.current import CurrentTenant, active_tenant

PLANNABLE = frozenset({VisitState.UNPLANNED, VisitState.PLANNED})
WORKER = "worker"


@dataclass
class FixedPlan:
    """What fixing a day's plan did: the visits fixed, and those flagged as unplanned at the cut-off."""

    day: date
    fixed: list[Visit] = field(default_factory=list)
    flagged: list[Visit] = field(default_factory=list)
    cutoff_at: datetime | None = None


async def plan_visit(session: AsyncSession, tenant: CurrentTenant, visit_id: uuid.UUID, technician_id: uuid.UUID,
                     *, window_start: time | None = None, window_end: time | None = None, actor: str,
                     now: datetime) -> Visit:
    """Plan the visit to the technician, in its window (or the one given).

    :raises NotFound: no such visit. :raises InvalidInput: no such technician, a window out of order.
    :raises Conflict: the visit is past planning, or the technician cannot take it (its ``code`` says why:
        ``dispatch.technician_inactive``, ``dispatch.outside_hours``, ``dispatch.no_skill``,
        ``dispatch.not_authorised``, ``dispatch.over_capacity``, ``dispatch.window_taken``).
    """
    visit = await _locked_visit(session, visit_id)
    start, end = window_start or visit.window_start, window_end or visit.window_end
    if start >= end:
        raise InvalidInput("the window is out of order", [FieldError(
            "window_end", "must be after window_start", code="dispatch.window_out_of_order")])
    technician = await session.scalar(select(Technician).where(Technician.id == technician_id).with_for_update())
    if technician is None:
        raise InvalidInput("no such technician", [FieldError("technician_id", "no such technician",
                                                             code="dispatch.unknown_technician")])
    if visit.state not in PLANNABLE:
        raise Conflict(f"the visit is {visit.state}; only an unplanned or planned visit is planned",
                       code="dispatch.visit_not_plannable", params={"state": visit.state})
    terms = dispatch_terms(tenant)
    await _check_fit(session, visit, technician, start, end, needs_authorisation(terms, visit))
    previous = visit.technician_id
    visit.technician_id, visit.window_start, visit.window_end = technician.id, start, end
    visit.state, visit.planned_at, visit.planned_by = VisitState.PLANNED, now, actor
    await session.flush()
    await _renumber(session, visit.day, technician.id)
    if previous is not None and previous != technician.id:
        await _renumber(session, visit.day, previous)
    await timeline.record(session, visit, "visit_planned", actor=actor, now=now, technician=technician.name)
    cutoff = plan_cutoff(tenant, visit.day, terms)
    if cutoff is not None and now >= cutoff:
        await _fix(session, tenant, [visit], actor=actor, now=now)
    await session.flush()
    return visit


async def _locked_visit(session: AsyncSession, visit_id: uuid.UUID) -> Visit:
    await session.execute(select(Visit.id).where(Visit.id == visit_id).with_for_update())
    return await get_visit(session, visit_id)


async def _check_fit(session: AsyncSession, visit: Visit, technician: Technician, start: time, end: time,
                     authorisation_required: bool) -> None:
    """Refuse a technician who cannot take the visit in ``start``–``end``, with the rule's code."""
    def refuse(reason: str, code: str, **params: object) -> Conflict:
        return Conflict(f"{technician.name} cannot take this visit: {reason}", code=f"dispatch.{code}",
                        params={"technician_id": str(technician.id), **params})

    if not technician.active:
        raise refuse("they are not active", "technician_inactive")
    if visit.day.weekday() not in technician.weekdays or start < technician.works_from or end > technician.works_until:
        raise refuse(f"they work {technician.works_from:%H:%M}–{technician.works_until:%H:%M} on their days",
                     "outside_hours", works_from=f"{technician.works_from:%H:%M}",
                     works_until=f"{technician.works_until:%H:%M}")
    if visit.skill not in technician.skills:
        raise refuse(f"they lack the skill {visit.skill}", "no_skill", skill=visit.skill)
    if authorisation_required and await session.scalar(select(TechnicianAuthorisation.id).where(
            TechnicianAuthorisation.technician_id == technician.id, TechnicianAuthorisation.category == visit.category,
            TechnicianAuthorisation.until >= visit.day)) is None:
        raise refuse(f"an in-warranty visit needs a technician authorised for {visit.category or 'its category'} "
                     f"on {visit.day.isoformat()}", "not_authorised", category=visit.category or "")
    others = list(await session.scalars(select(Visit).where(
        Visit.technician_id == technician.id, Visit.day == visit.day, Visit.state.in_(LOADING), Visit.id != visit.id)))
    if len(others) >= technician.daily_capacity:
        raise refuse(f"their {technician.daily_capacity} places on {visit.day.isoformat()} are taken", "over_capacity",
                     daily_capacity=technician.daily_capacity)
    if any(other.window_start < end and other.window_end > start for other in others):
        raise refuse("they have another visit in that window", "window_taken")


async def _renumber(session: AsyncSession, day: date, technician_id: uuid.UUID) -> None:
    """Number the technician's visits of the day 1, 2, … in window order: their route."""
    visits = await session.scalars(select(Visit).where(
        Visit.technician_id == technician_id, Visit.day == day, Visit.state.in_(LOADING))
        .order_by(Visit.window_start, Visit.window_end, Visit.id))
    for order, visit in enumerate(visits, start=1):
        visit.route_order = order


async def unplan_visit(session: AsyncSession, visit_id: uuid.UUID) -> Visit:
    """Take a planned visit back from its technician. :raises Conflict: it is not planned (a fixed one was told)."""
    visit = await get_visit(session, visit_id)
    if visit.state != VisitState.PLANNED:
        raise Conflict(f"the visit is {visit.state}; only a planned visit is taken back",
                       code="dispatch.visit_not_planned", params={"state": visit.state})
    technician_id = visit.technician_id
    visit.technician_id, visit.route_order, visit.state = None, None, VisitState.UNPLANNED
    await session.flush()
    if technician_id is not None:
        await _renumber(session, visit.day, technician_id)
    return visit


async def cancel_visit(session: AsyncSession, visit_id: uuid.UUID, *, actor: str, now: datetime) -> Visit:
    """Cancel a visit nobody was told of yet (unplanned or planned), on the request's timeline.

    :raises Conflict: it is fixed or later (its technician and customer were told the window).
    """
    visit = await _locked_visit(session, visit_id)
    if visit.state not in PLANNABLE:
        raise Conflict(f"the visit is {visit.state}; only an unplanned or planned visit is cancelled",
                       code="dispatch.visit_not_cancellable", params={"state": visit.state})
    technician_id = visit.technician_id
    visit.state, visit.route_order = VisitState.CANCELLED, None
    await session.flush()
    if technician_id is not None:
        await _renumber(session, visit.day, technician_id)
    await timeline.record(session, visit, "visit_cancelled", actor=actor, now=now)
    return visit


async def fix_day(session: AsyncSession, tenant: CurrentTenant, day: date, *, actor: str,
                  now: datetime) -> FixedPlan:
    """Fix the plan of ``day``: its planned visits are fixed and told; once the day's cut-off has passed, its
    unplanned visits not yet flagged are flagged. Fixing again fixes only what was planned since."""
    cutoff = plan_cutoff(tenant, day)
    result = FixedPlan(day, cutoff_at=cutoff)
    planned = list(await session.scalars(select(Visit).where(Visit.day == day, Visit.state == VisitState.PLANNED)
                                         .order_by(Visit.technician_id, Visit.route_order).with_for_update(
                                             skip_locked=True)))
    result.fixed = await _fix(session, tenant, planned, actor=actor, now=now)
    if cutoff is not None and now >= cutoff:
        unplanned = list(await session.scalars(select(Visit).where(
            Visit.day == day, Visit.state == VisitState.UNPLANNED, Visit.flagged_at.is_(None))
            .order_by(Visit.window_start, Visit.id).with_for_update(skip_locked=True)))
        for visit in unplanned:
            visit.flagged_at = now
            await timeline.record(session, visit, "visit_unplanned", actor=actor, now=now)
            await emit(session, VisitUnplannedAtCutoff(
                visit_id=visit.id, request_id=visit.request_id, booking_id=visit.booking_id, day=visit.day,
                window_start=f"{visit.window_start:%H:%M}", window_end=f"{visit.window_end:%H:%M}",
                cutoff_at=cutoff, flagged_at=now), key=visit.id, now=now)
        result.flagged = unplanned
    await session.flush()
    return result


async def _fix(session: AsyncSession, tenant: CurrentTenant, visits: list[Visit], *, actor: str,
               now: datetime) -> list[Visit]:
    by_technician: dict[uuid.UUID, list[Visit]] = defaultdict(list)
    for visit in visits:
        visit.state, visit.fixed_at = VisitState.FIXED, now
        assert visit.technician_id is not None  # a planned visit has its technician
        by_technician[visit.technician_id].append(visit)
    for technician_id, theirs in by_technician.items():
        technician = await session.scalar(select(Technician).where(Technician.id == technician_id))
        assert technician is not None
        theirs.sort(key=lambda v: (v.route_order or 0, v.window_start))
        await notices.tell_technician(session, tenant, technician, theirs, now=now)
        for visit in theirs:
            await notices.tell_customer(session, tenant, visit, now=now)
            await timeline.record(session, visit, "visit_fixed", actor=actor, now=now, technician=technician.name)
    return visits


async def fix_due_plans(runtime: Runtime, tenant_id: uuid.UUID, now: datetime) -> int:
    """Job: fix the plan of every coming day whose cut-off has passed (visits fixed plus visits flagged)."""
    tenant = await active_tenant(runtime.db, runtime.plugins, tenant_id)
    if tenant is None:
        return 0
    terms = dispatch_terms(tenant)
    if terms.plan_cutoff_hour is None:
        return 0
    today = now.astimezone(tenant.calendar.zone).date()
    handled = 0
    async with runtime.db.transaction(tenant_id) as session:
        days = list(await session.scalars(select(Visit.day).where(
            Visit.day >= today, Visit.day <= today + timedelta(days=MAX_DAYS_BACK + 1),
            (Visit.state == VisitState.PLANNED) | ((Visit.state == VisitState.UNPLANNED) & Visit.flagged_at.is_(None)))
            .group_by(Visit.day).order_by(Visit.day)))
        for day in days:
            cutoff = plan_cutoff(tenant, day, terms)
            if cutoff is not None and now >= cutoff:
                fixed = await fix_day(session, tenant, day, actor=WORKER, now=now)
                handled += len(fixed.fixed) + len(fixed.flagged)
    return handled


async def day_load(session: AsyncSession, technician_id: uuid.UUID, day: date) -> int:
    """How many of the technician's places on ``day`` are taken."""
    return int(await session.scalar(select(func.count()).select_from(Visit).where(
        Visit.technician_id == technician_id, Visit.day == day, Visit.state.in_(LOADING))) or 0)
