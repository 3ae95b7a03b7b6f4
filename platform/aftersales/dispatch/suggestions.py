"""The dispatcher's suggestion: which technicians can take a visit, nearest first, and why the others cannot.

A technician can take the visit when they are active, work on its weekday and through its whole window, have
the skill it needs, hold an authorisation for the product's category valid on the day (only for an
in-warranty visit, and only where the vertical requires it: ``DispatchTerms.warranty_needs_authorisation``),
have a free place that day (visits planned to them < their daily capacity) and no other visit overlapping the
window. Every rule is decided in SQL (a JSON membership test, an aggregate of the day's visits, a join to the
authorisations), so Entekhab's 2,500 technicians never leave the database; Python computes only the survivors'
great-circle distances (the ``haversine`` package) from the technician's previous visit that day, else from
their home base. A second query counts the left-out technicians by the first rule each breaks.

The suggestion also warns when the visit's window ends after the due time of a running on-site clock of its
request (a clock met on ``on_site``, :mod:`aftersales.service.clocks.services`): whoever goes, they arrive late.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from haversine import haversine
from sqlalchemy import ColumnElement, and_, case, exists, func, literal, not_, or_, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql import Subquery

from aftersales.contract.values import DispatchTerms
from aftersales.dispatch import timeline
from aftersales.dispatch.models import Technician, TechnicianAuthorisation, Visit, VisitState
from aftersales.dispatch.terms import dispatch_terms, local_instant
from aftersales.service.models import SlaClock
from aftersales.tenancy.current import CurrentTenant

LOADING = (VisitState.PLANNED, VisitState.FIXED, VisitState.ARRIVED, VisitState.STARTED, VisitState.FINISHED)
"""The states of a visit that takes one of its technician's places that day."""
REASONS = ("inactive", "not_working_that_day", "outside_hours", "no_skill", "not_authorised", "full",
           "busy_in_window")
"""Why a technician is left out, in the order the rules are checked (each is counted under its first)."""
DEFAULT_LIMIT = 10
MAX_LIMIT = 100


@dataclass(frozen=True)
class Suggestion:
    """A technician who can take the visit: how far they travel to it, from where, and their day's load."""

    technician_id: uuid.UUID
    name: str
    distance_km: float
    travels_from: str
    """``previous_visit`` (the site of their visit before this window that day) or ``home``."""
    load: int
    daily_capacity: int


@dataclass(frozen=True)
class SlaWarning:
    """An on-site clock of the visit's request that is due before the window ends."""

    clock: str
    due_at: datetime
    window_ends_at: datetime


@dataclass(frozen=True)
class Suggestions:
    """The nearest technicians who can take the visit, how many could, and why the others could not."""

    visit: Visit
    suggestions: list[Suggestion]
    eligible: int
    left_out: dict[str, int]
    warnings: list[SlaWarning]
    authorisation_required: bool


def _holds(dialect: str, column: ColumnElement[object], value: object) -> ColumnElement[bool]:
    """Whether the JSON list ``column`` holds ``value``: ``@>`` on PostgreSQL, ``json_each`` on SQLite."""
    if dialect == "postgresql":
        return column.cast(JSONB).contains([value])
    items = func.json_each(column).table_valued("value")
    return exists(select(literal(1)).select_from(items).where(items.c.value == value))


def _loads(tenant_id: uuid.UUID, day: date, visit_id: uuid.UUID) -> Subquery:
    """Each technician's planned visits on ``day`` other than ``visit_id``: their load."""
    return (select(Visit.technician_id.label("technician_id"), func.count().label("load"))
            .where(Visit.tenant_id == tenant_id, Visit.day == day, Visit.state.in_(LOADING), Visit.id != visit_id,
                   Visit.technician_id.is_not(None))
            .group_by(Visit.technician_id).subquery("loads"))


def _rules(dialect: str, tenant_id: uuid.UUID, visit: Visit, needs_authorisation: bool,
           load: ColumnElement[int]) -> list[tuple[str, ColumnElement[bool]]]:
    """Each rule as the condition that *breaks* it, in :data:`REASONS` order."""
    other = aliased(Visit)
    overlapping = exists().where(
        other.tenant_id == tenant_id, other.technician_id == Technician.id, other.day == visit.day,
        other.state.in_(LOADING), other.id != visit.id, other.window_start < visit.window_end,
        other.window_end > visit.window_start)
    authorised = exists().where(
        TechnicianAuthorisation.tenant_id == tenant_id, TechnicianAuthorisation.technician_id == Technician.id,
        TechnicianAuthorisation.category == visit.category, TechnicianAuthorisation.until >= visit.day)
    rules: list[tuple[str, ColumnElement[bool]]] = [
        ("inactive", Technician.active.is_(False)),
        ("not_working_that_day", not_(_holds(dialect, Technician.weekdays, visit.day.weekday()))),
        ("outside_hours", or_(Technician.works_from > visit.window_start, Technician.works_until < visit.window_end)),
        ("no_skill", not_(_holds(dialect, Technician.skills, visit.skill))),
    ]
    if needs_authorisation:
        rules.append(("not_authorised", not_(authorised)))
    rules += [("full", load >= Technician.daily_capacity), ("busy_in_window", overlapping)]
    return rules


def needs_authorisation(terms: DispatchTerms, visit: Visit) -> bool:
    """Whether only a technician authorised for the visit's product category may take it."""
    return terms.warranty_needs_authorisation and visit.in_warranty


async def suggest(session: AsyncSession, tenant: CurrentTenant, visit: Visit, *,
                  limit: int = DEFAULT_LIMIT) -> Suggestions:
    """The ``limit`` nearest technicians who can take ``visit`` (then the least loaded, then by name), with the
    count of those left out by reason and the on-site clocks the window would breach."""
    dialect = session.get_bind().dialect.name
    tenant_id = tenant.record.id
    required = needs_authorisation(dispatch_terms(tenant), visit)
    loads = _loads(tenant_id, visit.day, visit.id)
    load = func.coalesce(loads.c.load, 0)
    rules = _rules(dialect, tenant_id, visit, required, load)
    technicians = Technician.__table__.outerjoin(loads, loads.c.technician_id == Technician.id)

    reason = case(*[(broken, literal(name)) for name, broken in rules], else_=literal(None))
    counted = await session.execute(
        select(reason.label("reason"), func.count().label("n")).select_from(technicians)
        .where(Technician.tenant_id == tenant_id).group_by(reason))
    left_out = {name: 0 for name, _ in rules}
    eligible = 0
    for name, count in counted.all():
        if name is None:
            eligible = count
        else:
            left_out[name] = count

    previous = _previous_sites(tenant_id, visit)
    rows = await session.execute(
        select(Technician.id, Technician.name, Technician.home_latitude, Technician.home_longitude,
               Technician.daily_capacity, load.label("load"), previous.c.site_latitude, previous.c.site_longitude)
        .select_from(technicians.outerjoin(previous, and_(previous.c.technician_id == Technician.id,
                                                          previous.c.rank == 1)))
        .where(Technician.tenant_id == tenant_id, *[not_(broken) for _, broken in rules]))
    site = (visit.site_latitude, visit.site_longitude)
    found = []
    for tech_id, name, home_lat, home_lon, capacity, busy, prev_lat, prev_lon in rows.all():
        start, travels_from = ((prev_lat, prev_lon), "previous_visit") if prev_lat is not None else (
            (home_lat, home_lon), "home")
        found.append(Suggestion(tech_id, name, round(haversine(start, site), 2), travels_from, busy, capacity))
    found.sort(key=lambda s: (s.distance_km, s.load, s.name, str(s.technician_id)))
    warnings = await sla_warnings(session, tenant, visit)
    return Suggestions(visit, found[:limit], eligible, left_out, warnings, required)


def _previous_sites(tenant_id: uuid.UUID, visit: Visit) -> Subquery:
    """Each technician's visits that day ending by the window's start, latest first (``rank`` 1: the one they
    come from)."""
    return (select(Visit.technician_id.label("technician_id"), Visit.site_latitude, Visit.site_longitude,
                   func.row_number().over(partition_by=Visit.technician_id,
                                          order_by=(Visit.window_end.desc(), Visit.id)).label("rank"))
            .where(Visit.tenant_id == tenant_id, Visit.day == visit.day, Visit.state.in_(LOADING),
                   Visit.id != visit.id, Visit.technician_id.is_not(None), Visit.window_end <= visit.window_start)
            .subquery("previous"))


async def sla_warnings(session: AsyncSession, tenant: CurrentTenant, visit: Visit,
                       window_end: time | None = None) -> list[SlaWarning]:
    """The running on-site clocks of the visit's request due before its window (or ``window_end``) ends."""
    request_id = await timeline.request_of(session, visit)
    if request_id is None:
        return []
    ends_at = local_instant(tenant, visit.day, window_end or visit.window_end)
    clocks: Sequence[SlaClock] = list(await session.scalars(select(SlaClock).where(
        SlaClock.request_id == request_id, SlaClock.met_at.is_(None), SlaClock.due_at.is_not(None))))
    return [SlaWarning(clock.name, clock.due_at, ends_at) for clock in clocks
            if "on_site" in (clock.met_on or []) and clock.due_at is not None and clock.due_at < ends_at]

