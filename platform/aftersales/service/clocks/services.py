"""SLA clocks: the promises on a request, kept on the tenant's business calendar.

The vertical sets a request's clocks (``aftersales_sla_targets``) when it is opened. Each clock starts at a
milestone (``opened``, a state, ``contacted`` …), stands still while the request is on a hold or in a state its
target names in ``pauses_on``, and stops when the request reaches one of its ``met_on`` milestones. A clock keeps
its budget and the time used in its own seconds (opening-hours seconds for business clocks), so a pause never
shortens or lengthens the promise, and its ``due_at`` is recomputed on the calendar whenever it starts running
again. Breaches are found and acted on by the worker (:mod:`aftersales.service.clocks.escalation`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace
from typing import Any, Literal
from uuid import UUID

from haversine import Unit, haversine
from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.calendar import BusinessCalendar
from aftersales.contract.defaults import COMPLAINT_CLOCK, complaint_response_target
from aftersales.contract.values import BusinessCalendarInfo, GeoPoint, ProductInfo, RequestFacts, SlaTarget
from aftersales.db.base import new_id
from aftersales.db.session import bound_tenant
from aftersales.errors import TenantNotBound
from aftersales.service.models import RequestHold, ServicePoint, ServiceRequest, SlaClock
from aftersales.service.states import FINAL, RequestState
from aftersales.tenancy.current import CurrentTenant
from aftersales.warranty.catalog import product_info
from aftersales.warranty.models import Coverage, ProductModel, Registration, Serial
from aftersales.warranty.registrations.coverage import status_on

RESULT_CLOCK = "result"
"""The clock whose due time the intake receipt promises as the result date (Mehr: 7 business days)."""


TENTH_KM = Decimal("0.1")
"""The precision of a request's site distance."""


@dataclass(frozen=True)
class ClockView:
    """A clock as an agent sees it: due when, how much is left, and whether the promise is on track."""

    name: str
    clock: str
    state: str
    """``waiting`` (not started), ``on_track``, ``at_risk``, ``breached`` or ``met`` (``breached`` also for a
    clock met late)."""
    started_at: datetime | None
    due_at: datetime | None
    """None while paused or not started."""
    remaining: timedelta | None
    """Time left in the clock's own measure (opening hours for business clocks); negative when overdue."""
    paused_for: str | None
    met_at: datetime | None
    breached_at: datetime | None
    on_breach: str
    reason: str


def state_milestones(current: RequestState, target: RequestState) -> list[str]:
    """What a move from ``current`` to ``target`` reaches: the state entered, the state left, and ``ended``."""
    reached = [target.value, f"left:{current.value}"]
    if target in FINAL:
        reached.append("ended")
    return reached


@dataclass(frozen=True)
class UnitFacts:
    """What the clocks need of a request's registered unit: its owner, its model, and whether it is covered."""

    customer_id: UUID
    product: ProductInfo
    under_warranty: bool


UNIT_OF_REGISTRATION = (
    select(Registration.customer_id, ProductModel.sku, ProductModel.name, ProductModel.category,
           ProductModel.volume_m3, ProductModel.weight_kg, ProductModel.warranty_months, ProductModel.attributes,
           Coverage.warranty_start, Coverage.warranty_end)
    .join(Serial, (Serial.tenant_id == Registration.tenant_id) & (Serial.id == Registration.serial_id))
    .join(ProductModel, (ProductModel.tenant_id == Serial.tenant_id) & (ProductModel.id == Serial.model_id))
    .outerjoin(Coverage, (Coverage.tenant_id == Registration.tenant_id)
               & (Coverage.registration_id == Registration.id) & Coverage.superseded_at.is_(None))
    .where(Registration.tenant_id == bindparam("tenant"), Registration.id == bindparam("registration_id"))
)
"""One read for a request's unit, the tenant named in the WHERE (built once; run as Core, see
:func:`unit_facts`)."""


async def unit_facts(session: AsyncSession, tenant: CurrentTenant, registration_id: UUID,
                     opened_at: datetime) -> UnitFacts | None:
    """The registered unit's owner, model and warranty on the day the request is opened, or None when the
    session's tenant has no such registration.

    Read as Core on the session's connection with the session's tenant as ``:tenant`` (every join also matches
    ``tenant_id``): one row of plain values, without the ORM's per-statement tenant criterion (it opens every
    request on a registered unit). On PostgreSQL row-level security still holds in the session's transaction.
    """
    tenant_id = bound_tenant(session)
    if tenant_id is None:
        raise TenantNotBound("a registration is read in a session bound to a tenant")
    connection = await session.connection()
    row = (await connection.execute(UNIT_OF_REGISTRATION, {"tenant": tenant_id,
                                                           "registration_id": registration_id})).first()
    if row is None:
        return None
    product = product_info(SimpleNamespace(sku=row.sku, name=row.name, category=row.category,
                                           volume_m3=row.volume_m3, weight_kg=row.weight_kg,
                                           warranty_months=row.warranty_months, attributes=row.attributes))
    covered = row.warranty_start is not None and status_on(
        row, opened_at.astimezone(tenant.calendar.zone).date()) == "in_warranty"
    return UnitFacts(row.customer_id, product, covered)


async def request_facts(session: AsyncSession, tenant: CurrentTenant, request: ServiceRequest,
                        unit: UnitFacts | None = None) -> RequestFacts:
    """The request as the SLA and resolution rules see it: its unit, warranty and distance facts (service
    points are read only when the request says where the unit is: distance needs both ends), the site's
    country, and the distance to the nearest service point."""
    if unit is None and request.registration_id is not None:
        unit = await unit_facts(session, tenant, request.registration_id, request.opened_at)
    location, points = None, ()
    if request.site_latitude is not None and request.site_longitude is not None:
        location = GeoPoint(request.site_latitude, request.site_longitude)
        points = tuple(GeoPoint(p.latitude, p.longitude) for p in (await session.scalars(
            select(ServicePoint).where(ServicePoint.active.is_(True)))).all())
    return RequestFacts(
        kind=request.kind, channel=request.channel, opened_at=request.opened_at,
        product=unit.product if unit else None, under_warranty=unit.under_warranty if unit else False,
        customer_location=location, customer_country=request.site_country, service_points=points,
        complaint_subject=request.complaint_subject, site_distance_km=nearest_km(location, points),
    )


def targets_of(tenant: CurrentTenant, facts: RequestFacts) -> list[SlaTarget]:
    """The clocks the tenant's vertical sets on a request with ``facts``, a complaint's ``complaint_response``
    always among them (a platform rule: a vertical may change it, not drop it), counted on the hours of the
    request's channel (:func:`on_channel_hours`)."""
    targets: list[SlaTarget] = tenant.hooks.aftersales_sla_targets(tenant=tenant.context, request=facts) or []
    if facts.kind == "complaint" and not any(t.name == COMPLAINT_CLOCK for t in targets):
        targets = [*targets, complaint_response_target()]
    return on_channel_hours(tenant.context.calendar, facts.channel, targets)


def on_channel_hours(calendar: BusinessCalendarInfo, channel: str, targets: list[SlaTarget]) -> list[SlaTarget]:
    """``targets`` as they count on ``channel``: on a channel the tenant keeps open around the clock (its 24/7 call
    centre) every business clock counts every hour instead — 48 business hours become 48 hours, N business days
    N whole days —, so the promise runs while the channel that took the request does; else unchanged."""
    if channel not in calendar.around_the_clock_channels:
        return targets
    return [replace(t, clock="calendar") if t.clock != "calendar" else t for t in targets]


ClockHours = Literal["office_hours", "around_the_clock"]


def hours_counted(clock_kind: str) -> ClockHours:
    """Which hours a clock of ``clock_kind`` counts: every hour for a calendar clock, else the office hours."""
    return "around_the_clock" if clock_kind == "calendar" else "office_hours"


def nearest_km(site: GeoPoint | None, points: Sequence[GeoPoint]) -> Decimal | None:
    """The great-circle distance from ``site`` to the nearest of ``points``, to 0.1 km (half up, so a vertical's
    "within 300 km" reads the same number its reason states); None without both."""
    if site is None or not points:
        return None
    km = min(haversine((site.latitude, site.longitude), (p.latitude, p.longitude), unit=Unit.KILOMETERS)
             for p in points)
    return Decimal(repr(km)).quantize(TENTH_KM, rounding=ROUND_HALF_UP)


def plan_clocks(tenant: CurrentTenant, request: ServiceRequest, facts: RequestFacts,
                now: datetime) -> list[dict[str, Any]]:
    """The clocks of a request being opened, as rows to insert, from the vertical's targets, those that start
    on ``opened`` already running (a new request has no holds); the ``result`` clock's due time becomes the
    request's promised date. Nothing is read or written: the caller inserts the rows with the request."""
    clocks = [_clock_from(request.id, target, now) for target in targets_of(tenant, facts)]
    for clock in clocks:
        if clock.starts_on == "opened":
            _start(clock, tenant.calendar, now)
    _pause_or_run([c for c in clocks if c.started_at is not None], tenant.calendar, [request.state], now)
    for clock in clocks:
        if clock.name == RESULT_CLOCK and clock.due_at is not None:
            request.promised_at = clock.due_at
    return [vars(clock) for clock in clocks]


async def reach(session: AsyncSession, tenant: CurrentTenant, request: ServiceRequest, milestones: Iterable[str],
                now: datetime) -> None:
    """Record that ``request`` reached ``milestones``: stop the clocks they meet, start those they start, and
    pause or resume clocks by the request's state."""
    clocks = await clocks_of(session, request.id)
    await _reach(session, tenant.calendar, request, clocks, list(milestones), now)


async def settle_pauses(session: AsyncSession, tenant: CurrentTenant, request: ServiceRequest, now: datetime) -> None:
    """Pause the clocks the request's holds and state now stop, and resume the others (after a hold changed)."""
    clocks = await clocks_of(session, request.id)
    await _settle(session, tenant.calendar, request, clocks, now)


async def clocks_of(session: AsyncSession, request_id: UUID) -> list[SlaClock]:
    return list(await session.scalars(select(SlaClock).where(SlaClock.request_id == request_id)
                                      .order_by(SlaClock.created_at, SlaClock.name)))


def view(clock: SlaClock, calendar: BusinessCalendar, now: datetime) -> ClockView:
    """How ``clock`` stands at ``now``."""
    base: dict[str, Any] = {
        "name": clock.name, "clock": clock.clock, "started_at": clock.started_at, "due_at": clock.due_at,
        "paused_for": clock.paused_for, "met_at": clock.met_at, "breached_at": clock.breached_at,
        "on_breach": clock.on_breach, "reason": clock.reason,
    }
    if clock.started_at is None or clock.budget_seconds is None:
        return ClockView(state="waiting", remaining=None, **base)
    used = clock.used_seconds
    if clock.running_since is not None:
        used += _elapsed(clock, calendar, clock.running_since, now)
    remaining = timedelta(seconds=clock.budget_seconds - used)
    if clock.met_at is not None:
        state = "breached" if clock.breached_at is not None else "met"
    elif clock.breached_at is not None or remaining <= timedelta(0):
        state = "breached"
    elif used >= clock.at_risk_fraction * clock.budget_seconds:
        state = "at_risk"
    else:
        state = "on_track"
    return ClockView(state=state, remaining=remaining, **base)


# -- the mechanics -------------------------------------------------------------------------------------------


class NewClock(SimpleNamespace):
    """A clock being planned for a request being opened: the columns of its ``sla_clocks`` row (all but
    ``tenant_id``) as plain attributes, which the mechanics work on as on a stored :class:`SlaClock`; cheaper to
    build and to turn into a row than an ORM object."""


Clock = SlaClock | NewClock


def _clock_from(request_id: UUID, target: SlaTarget, now: datetime) -> NewClock:
    return NewClock(
        id=new_id(), created_at=now, request_id=request_id, name=target.name, clock=target.clock,
        duration_seconds=int(target.duration.total_seconds()), starts_on=target.starts_on,
        met_on=list(target.met_on), pauses_on=list(target.pauses_on), on_breach=target.on_breach,
        at_risk_fraction=target.at_risk_fraction, reason=target.reason, started_at=None, budget_seconds=None,
        used_seconds=0, running_since=None, due_at=None, paused_for=None, met_at=None, breached_at=None,
        breach_handled_at=None, at_risk_at=None, at_risk_handled_at=None,
    )


async def _reach(session: AsyncSession, calendar: BusinessCalendar, request: ServiceRequest, clocks: list[SlaClock],
                 milestones: list[str], now: datetime) -> None:
    ended = "ended" in milestones
    for clock in clocks:
        if clock.started_at is not None and clock.met_at is None and (ended or set(clock.met_on) & set(milestones)):
            _stop(clock, calendar, now)
    if ended:  # an ended request promises nothing more: its clocks stop and those not started never will
        return
    for clock in clocks:
        if clock.started_at is None and clock.starts_on in milestones:
            _start(clock, calendar, now)
    await _settle(session, calendar, request, clocks, now)


async def _settle(session: AsyncSession, calendar: BusinessCalendar, request: ServiceRequest, clocks: list[SlaClock],
                  now: datetime) -> None:
    """Pause and resume ``clocks`` by the request's state and its open holds."""
    live = [c for c in clocks if c.started_at is not None and c.met_at is None]
    if not live:
        return
    holds = (await session.scalars(select(RequestHold.reason).where(
        RequestHold.request_id == request.id, RequestHold.ended_at.is_(None)))).all()
    _pause_or_run(live, calendar, [request.state, *holds], now)


def _pause_or_run(live: Sequence[Clock], calendar: BusinessCalendar, stoppers: Sequence[str], now: datetime) -> None:
    """Pause each running clock one of ``stoppers`` (the state, open hold reasons) stops; resume each paused
    clock none does."""
    for clock in live:
        pauser = next((s for s in stoppers if s in clock.pauses_on), None)
        if pauser is not None and clock.running_since is not None:
            clock.used_seconds += _elapsed(clock, calendar, clock.running_since, now)
            clock.running_since, clock.due_at, clock.at_risk_at, clock.paused_for = None, None, None, pauser
        elif pauser is None and clock.running_since is None:
            _run(clock, calendar, now)
        elif pauser is not None:
            clock.paused_for = pauser


def _start(clock: Clock, calendar: BusinessCalendar, now: datetime) -> None:
    clock.started_at, clock.used_seconds = now, 0
    if clock.clock != "business_days":
        clock.budget_seconds = clock.duration_seconds
        _run(clock, calendar, now)
        return
    due = calendar.add_business_days(now, clock.duration_seconds // 86_400)
    clock.budget_seconds = int(calendar.business_time_between(now, due).total_seconds())
    # Due at the very instant "N business days later" names, not at the end of its budget counted again.
    clock.running_since, clock.paused_for, clock.due_at = now, None, due
    clock.at_risk_at = _at_risk_at(clock, calendar, now)


def _run(clock: Clock, calendar: BusinessCalendar, now: datetime) -> None:
    assert clock.budget_seconds is not None
    left = timedelta(seconds=max(clock.budget_seconds - clock.used_seconds, 0))
    clock.running_since, clock.paused_for = now, None
    clock.due_at = now + left if clock.clock == "calendar" else calendar.add_business_hours(now, left)
    clock.at_risk_at = _at_risk_at(clock, calendar, now)


def _at_risk_at(clock: Clock, calendar: BusinessCalendar, now: datetime) -> datetime:
    """When the clock, running from ``now``, will have used its at-risk share of its budget (``now`` if it has)."""
    assert clock.budget_seconds is not None
    left = timedelta(seconds=max(clock.at_risk_fraction * clock.budget_seconds - clock.used_seconds, 0))
    return now + left if clock.clock == "calendar" else calendar.add_business_hours(now, left)


def _stop(clock: Clock, calendar: BusinessCalendar, now: datetime) -> None:
    if clock.running_since is not None:
        clock.used_seconds += _elapsed(clock, calendar, clock.running_since, now)
    if clock.budget_seconds is not None and clock.used_seconds > clock.budget_seconds and clock.breached_at is None:
        clock.breached_at = clock.due_at or now
    clock.met_at, clock.running_since = now, None


def _elapsed(clock: Clock, calendar: BusinessCalendar, start: datetime, end: datetime) -> int:
    if clock.clock == "calendar":
        return max(int((end - start).total_seconds()), 0)
    return int(calendar.business_time_between(start, end).total_seconds())
