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
from datetime import datetime, time
from functools import cache

from haversine import haversine
from sqlalchemy import (
    CTE,
    ColumnElement,
    and_,
    bindparam,
    case,
    exists,
    func,
    literal,
    not_,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import CompoundSelect, Subquery

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


def _holds(dialect: str, column: ColumnElement[object], name: str) -> ColumnElement[bool]:
    """Whether the JSON list ``column`` holds the parameter ``name``: ``@>`` on PostgreSQL (given as a one-item
    list, :func:`_parameters`), ``json_each`` on SQLite."""
    if dialect == "postgresql":
        return column.cast(JSONB).contains(bindparam(name, type_=JSONB))
    items = func.json_each(column).table_valued("value")
    return exists(select(literal(1)).select_from(items).where(items.c.value == bindparam(name)))


def _day_visits() -> CTE:
    """The visits of the day that take a place, other than the visit itself: found once by ``ix_visits_day``
    and kept (``MATERIALIZED``) for the two aggregates over them. A visit taking a place has its technician."""
    return (select(Visit.technician_id, Visit.window_start, Visit.window_end, Visit.site_latitude,
                   Visit.site_longitude, Visit.id)
            .where(Visit.tenant_id == bindparam("tenant_id"), Visit.day == bindparam("day"),
                   Visit.state.in_(LOADING), Visit.id != bindparam("visit_id"))
            .cte("day_visits").prefix_with("MATERIALIZED"))


def _loads(day: CTE) -> Subquery:
    """Each technician's load that day, and whether one of their visits overlaps the window (``busy``): one
    aggregate over the day's visits, joined once (no subquery per technician)."""
    overlapping = and_(day.c.window_start < bindparam("window_end"), day.c.window_end > bindparam("window_start"))
    return (select(day.c.technician_id.label("technician_id"), func.count().label("load"),
                   func.max(case((overlapping, 1), else_=0)).label("busy"))
            .group_by(day.c.technician_id).subquery("loads"))


def _previous_sites(day: CTE) -> Subquery:
    """Each technician's latest visit that day ending by the window's start: where they come from."""
    ranked = (select(day.c.technician_id.label("technician_id"), day.c.site_latitude, day.c.site_longitude,
                     func.row_number().over(partition_by=day.c.technician_id,
                                            order_by=(day.c.window_end.desc(), day.c.id)).label("rank"))
              .where(day.c.window_end <= bindparam("window_start")).subquery("ranked"))
    return (select(ranked.c.technician_id, ranked.c.site_latitude, ranked.c.site_longitude)
            .where(ranked.c.rank == 1).subquery("previous"))


def _authorised() -> Subquery:
    """The technicians holding an authorisation for the visit's category valid on its day."""
    held = TechnicianAuthorisation
    return (select(held.technician_id.label("technician_id")).distinct()
            .where(held.tenant_id == bindparam("tenant_id"), held.category == bindparam("category"),
                   held.until >= bindparam("day"))
            .subquery("authorised"))


def _judged(dialect: str, authorisation_required: bool) -> CTE:
    """Every technician of the tenant with their load, where they come from, and the first rule they break
    (``reason``; NULL for those who can take the visit), in :data:`REASONS` order."""
    day = _day_visits()
    loads, previous = _loads(day), _previous_sites(day)
    joined = (Technician.__table__.outerjoin(loads, loads.c.technician_id == Technician.id)
              .outerjoin(previous, previous.c.technician_id == Technician.id))
    breaks: list[tuple[str, ColumnElement[bool]]] = [
        ("inactive", Technician.active.is_(False)),
        ("not_working_that_day", not_(_holds(dialect, Technician.weekdays, "weekday"))),
        ("outside_hours", or_(Technician.works_from > bindparam("window_start"),
                              Technician.works_until < bindparam("window_end"))),
        ("no_skill", not_(_holds(dialect, Technician.skills, "skill"))),
    ]
    if authorisation_required:
        authorised = _authorised()
        joined = joined.outerjoin(authorised, authorised.c.technician_id == Technician.id)
        breaks.append(("not_authorised", authorised.c.technician_id.is_(None)))
    load = func.coalesce(loads.c.load, 0)
    breaks += [("full", load >= Technician.daily_capacity), ("busy_in_window", func.coalesce(loads.c.busy, 0) == 1)]
    reason = case(*[(broken, literal(name)) for name, broken in breaks], else_=null())
    return (select(Technician.id.label("id"), Technician.name.label("name"),
                   Technician.home_latitude.label("home_latitude"), Technician.home_longitude.label("home_longitude"),
                   Technician.daily_capacity.label("daily_capacity"), load.label("load"),
                   previous.c.site_latitude.label("previous_latitude"),
                   previous.c.site_longitude.label("previous_longitude"), reason.label("reason"))
            .select_from(joined).where(Technician.tenant_id == bindparam("tenant_id")).cte("judged"))


def needs_authorisation(terms: DispatchTerms, visit: Visit) -> bool:
    """Whether only a technician authorised for the visit's product category may take it."""
    return terms.warranty_needs_authorisation and visit.in_warranty


async def suggest(session: AsyncSession, tenant: CurrentTenant, visit: Visit, *,
                  limit: int = DEFAULT_LIMIT) -> Suggestions:
    """The ``limit`` nearest technicians who can take ``visit`` (then the least loaded, then by name), with the
    count of those left out by reason and the on-site clocks the window would breach.

    One statement: a row per technician who can take the visit, then the counts of the others by reason."""
    dialect = session.get_bind().dialect.name
    required = needs_authorisation(dispatch_terms(tenant), visit)
    statement = _statement(dialect, required)
    left_out = dict.fromkeys(REASONS if required else [r for r in REASONS if r != "not_authorised"], 0)
    site = (visit.site_latitude, visit.site_longitude)
    found = []
    for row in (await session.execute(statement, _parameters(dialect, tenant, visit))).all():
        if row.reason is not None:
            left_out[row.reason] = row.n
            continue
        start, travels_from = (((row.previous_latitude, row.previous_longitude), "previous_visit")
                               if row.previous_latitude is not None else
                               ((row.home_latitude, row.home_longitude), "home"))
        found.append(Suggestion(row.id, row.name, round(haversine(start, site), 2), travels_from, row.load,
                                row.daily_capacity))
    found.sort(key=lambda s: (s.distance_km, s.load, s.name, str(s.technician_id)))
    warnings = await sla_warnings(session, tenant, visit)
    return Suggestions(visit, found[:limit], len(found), left_out, warnings, required)


_SURVIVOR = ("id", "name", "home_latitude", "home_longitude", "daily_capacity", "load", "previous_latitude",
             "previous_longitude")


@cache
def _statement(dialect: str, authorisation_required: bool) -> CompoundSelect:
    """The suggestion's one statement for a dialect, with or without the authorisation rule: a row per technician
    who can take the visit, then the counts of the others by reason. Built once (the visit's facts are bound
    parameters, :func:`_parameters`): building it per call cost more than running it."""
    judged = _judged(dialect, authorisation_required)
    counts = (select(judged.c.reason, func.count().label("n"), *[null().label(name) for name in _SURVIVOR])
              .where(judged.c.reason.is_not(None)).group_by(judged.c.reason))
    survivors = select(judged.c.reason, literal(1).label("n"), *[judged.c[name] for name in _SURVIVOR]).where(
        judged.c.reason.is_(None))
    return union_all(survivors, counts)


def _parameters(dialect: str, tenant: CurrentTenant, visit: Visit) -> dict[str, object]:
    """The visit's facts for :func:`_statement`; on PostgreSQL a JSON list's member is tested as a one-item list."""
    weekday, skill = visit.day.weekday(), visit.skill
    return {"tenant_id": tenant.record.id, "day": visit.day, "visit_id": visit.id, "window_start": visit.window_start,
            "window_end": visit.window_end, "category": visit.category,
            "weekday": [weekday] if dialect == "postgresql" else weekday,
            "skill": [skill] if dialect == "postgresql" else skill}


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

