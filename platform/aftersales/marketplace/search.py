"""Provider search: who can do an offering for a customer at a place, ranked by the tenant's vertical.

A provider is found when it is active, has an active price for the offering and an active location whose
service radius covers the customer's point (great-circle distance, and no farther than ``within_km`` when the
customer gives it). An in-warranty search for an offering that needs the tenant's authorisation finds only
providers authorised on the day (Entekhab: in-warranty installation and repair by authorised technicians only).

The database does the coarse work: a bounding box around the point, as wide as the widest service radius of the
tenant, on ``ix_provider_locations_geo``, joined to the provider's price and status. It is the tenant's hot read,
so it runs as SQLAlchemy Core on a read connection (architecture §7.17), in three statements. Exact distances are then
computed for those rows only. ``aftersales_rank_providers`` orders every candidate; the next free slot is
computed for the page only (it costs three reads and a walk over the calendar), and the vertical ranks the page
a second time knowing it, so a vertical that weighs the slot (Carmax) orders the page by it.
"""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from haversine import haversine
from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Row,
    Select,
    and_,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from aftersales.errors import FieldError, InvalidInput
from aftersales.marketplace.availability import (
    SEARCH_HORIZON_DAYS,
    DayException,
    ProviderWeek,
    WeeklyHours,
    next_free_start,
)
from aftersales.marketplace.models import (
    BookedSlot,
    Offering,
    Provider,
    ProviderException,
    ProviderHours,
    ProviderLocation,
    ProviderOffering,
)
from aftersales.money import Money
from aftersales.tenancy.services import CurrentTenant
from aftersales.values import ProviderCandidate, RankedProvider

DEFAULT_LIMIT = 20
MAX_LIMIT = 50
KM_PER_DEGREE_LATITUDE = math.pi * 6371.0088 / 180
"""On the mean Earth radius the ``haversine`` package measures with."""
BOX_MARGIN = 1.001
"""The bounding box is widened by 0.1% so a location exactly on a radius is never cut by rounding."""


@dataclass(frozen=True)
class SearchQuery:
    """What a customer (or an agent for them) searches: an offering's code, where, and how far at most."""

    offering: str
    latitude: float
    longitude: float
    within_km: float | None = None
    limit: int = DEFAULT_LIMIT
    under_warranty: bool = False


@dataclass(frozen=True)
class OfferingFacts:
    """The catalogue entry searched for."""

    id: uuid.UUID
    code: str
    name: str
    category: str
    duration_minutes: int
    warranty_needs_authorisation: bool


@dataclass(frozen=True)
class ProviderHit:
    """One provider of the page: where it would work from, at what price, how rated, when free, and why ranked."""

    provider_id: uuid.UUID
    name: str
    kind: str
    location_id: uuid.UUID
    location_name: str
    latitude: float
    longitude: float
    distance_km: float
    price: Money
    duration_minutes: int
    rating_average: float | None
    rating_count: int
    authorised: bool
    next_free_slot: datetime | None
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class SearchResult:
    offering: OfferingFacts
    hits: list[ProviderHit]
    candidates: int
    """How many providers matched, of which ``hits`` is the best page."""


@dataclass(frozen=True)
class Box:
    """A latitude/longitude rectangle; ``west > east`` when it crosses the antimeridian."""

    south: float
    north: float
    west: float
    east: float


def query_errors(query: SearchQuery) -> list[FieldError]:
    """Every reason the search cannot run (empty when it can)."""
    errors = []
    if not query.offering.strip():
        errors.append(FieldError("offering", "name an offering of the catalogue by its code"))
    if not (math.isfinite(query.latitude) and -90 <= query.latitude <= 90):
        errors.append(FieldError("lat", "a latitude is between -90 and 90 degrees"))
    if not (math.isfinite(query.longitude) and -180 <= query.longitude <= 180):
        errors.append(FieldError("lon", "a longitude is between -180 and 180 degrees"))
    if query.within_km is not None and not (math.isfinite(query.within_km) and query.within_km > 0):
        errors.append(FieldError("within_km", "must be more than 0 km"))
    if not 1 <= query.limit <= MAX_LIMIT:
        errors.append(FieldError("limit", f"must be between 1 and {MAX_LIMIT}"))
    return errors


def bounding_box(latitude: float, longitude: float, radius_km: float) -> Box | None:
    """The smallest latitude/longitude rectangle holding every point within ``radius_km`` of the given one, or
    None when the circle reaches a pole (then every longitude is in)."""
    spread = radius_km * BOX_MARGIN / KM_PER_DEGREE_LATITUDE
    south, north = latitude - spread, latitude + spread
    if south <= -90 or north >= 90:
        return None
    angular = math.radians(spread)
    reach = math.degrees(math.asin(min(1.0, math.sin(angular) / math.cos(math.radians(latitude)))))
    if reach >= 180:
        return None
    west, east = longitude - reach, longitude + reach
    return Box(south, north, west + 360 if west < -180 else west, east - 360 if east > 180 else east)


def near(latitude: float, longitude: float, reach_km: float) -> list[ColumnElement[bool]]:
    """SQL conditions a location must meet to possibly cover the point: inside the bounding box of
    ``reach_km``, and no farther north–south or east–west than its own radius could reach.

    Both only ever keep too many rows (the exact distance is checked after), never too few: a great circle is
    never shorter than its north–south part, and within the box a radius reaches at most its share of the
    box's half-width (the width grows faster than the radius, so the chord from 0 bounds it). The second
    bound is checked on the location row, before the joins: most rows of the box belong to locations whose
    radius is smaller than the widest.
    """
    loc = ProviderLocation
    box = bounding_box(latitude, longitude, reach_km)
    if box is None:
        return []
    conditions = [loc.latitude.between(box.south, box.north),
                  func.abs(loc.latitude - latitude) <= loc.service_radius_km * (BOX_MARGIN / KM_PER_DEGREE_LATITUDE)]
    if box.west <= box.east:
        degrees_per_km = (box.east - box.west) / 2 / reach_km
        conditions += [loc.longitude.between(box.west, box.east),
                       func.abs(loc.longitude - longitude) <= loc.service_radius_km * degrees_per_km]
    else:
        conditions.append(or_(loc.longitude >= box.west, loc.longitude <= box.east))
    return conditions


def candidate_query(tenant_id: uuid.UUID, offering_id: uuid.UUID, latitude: float, longitude: float,
                    reach_km: float, *, authorised_on: date | None) -> Select[Any]:
    """The rows the database finds: active locations :func:`near` the point of active providers with an active
    price for the offering (and, given ``authorised_on``, authorised that day). ``tenant_id`` is named in every join, so
    each index is entered by its leading column."""
    loc, price, provider = ProviderLocation, ProviderOffering, Provider
    statement = (
        select(provider.id, provider.name, provider.kind, provider.rating_average, provider.rating_count,
               provider.authorised, provider.authorised_until, loc.id.label("location_id"),
               loc.name.label("location_name"), loc.latitude, loc.longitude, loc.service_radius_km,
               price.price_minor, price.currency, price.duration_minutes)
        .select_from(loc)
        .join(price, and_(price.tenant_id == loc.tenant_id, price.provider_id == loc.provider_id,
                          price.offering_id == offering_id, price.active.is_(True)))
        .join(provider, and_(provider.tenant_id == loc.tenant_id, provider.id == loc.provider_id,
                             provider.status == "active"))
        .where(loc.tenant_id == tenant_id, loc.active.is_(True), *near(latitude, longitude, reach_km))
    )
    if authorised_on is not None:
        statement = statement.where(provider.authorised.is_(True),
                                    or_(provider.authorised_until.is_(None), provider.authorised_until >= authorised_on))
    return statement


def _authorised(row: Row[Any], today: date) -> bool:
    until = row.authorised_until
    return bool(row.authorised) and (until is None or until >= today)


def nearest_covering(rows: Sequence[Row[Any]], latitude: float, longitude: float,
                     within_km: float | None) -> dict[uuid.UUID, tuple[float, Row[Any]]]:
    """Per provider, its nearest location whose service radius (and ``within_km``) covers the point."""
    best: dict[uuid.UUID, tuple[float, Row[Any]]] = {}
    here = (latitude, longitude)
    for row in rows:
        distance = haversine(here, (row.latitude, row.longitude))
        if distance > row.service_radius_km or (within_km is not None and distance > within_km):
            continue
        held = best.get(row.id)
        if held is None or distance < held[0]:
            best[row.id] = (distance, row)
    return best


def offering_query(tenant_id: uuid.UUID, code: str) -> Select[Any]:
    """The active offering with this code, and the widest active service radius of the tenant (None without
    locations): one statement, the maximum read from the end of ``ix_provider_locations_radius``."""
    loc = ProviderLocation
    widest = (select(func.max(loc.service_radius_km))
              .where(loc.tenant_id == tenant_id, loc.active.is_(True)).scalar_subquery())
    return (select(Offering.id, Offering.code, Offering.name, Offering.category, Offering.duration_minutes,
                   Offering.warranty_needs_authorisation, widest.label("widest_km"))
            .where(Offering.tenant_id == tenant_id, Offering.code == code.strip(), Offering.active.is_(True)))


def weeks_query(tenant_id: uuid.UUID, provider_ids: Sequence[uuid.UUID], *,
                between: tuple[datetime, datetime]) -> CompoundSelect:
    """What :func:`~aftersales.marketplace.availability.load_week` reads, for several providers in one
    statement: weekly hours (kind 0), exceptions near ``between`` (kind 1) and units held in it (kind 2)."""
    start, end = between
    hours, exceptions, held = ProviderHours, ProviderException, BookedSlot
    day_type, time_type, instant_type = exceptions.day.type, hours.opens.type, held.starts_at.type
    weekday_type = hours.weekday.type
    return union_all(
        select(literal(0).label("kind"), hours.provider_id, hours.weekday, cast(null(), day_type).label("day"),
               hours.opens, hours.closes, cast(null(), instant_type).label("starts_at"))
        .where(hours.tenant_id == tenant_id, hours.provider_id.in_(provider_ids)),
        select(literal(1), exceptions.provider_id, cast(null(), weekday_type), exceptions.day, exceptions.opens, exceptions.closes,
               cast(null(), instant_type))
        .where(exceptions.tenant_id == tenant_id, exceptions.provider_id.in_(provider_ids),
               exceptions.day >= (start - timedelta(days=1)).date(),
               exceptions.day <= (end + timedelta(days=1)).date()),
        select(literal(2), held.provider_id, cast(null(), weekday_type), cast(null(), day_type), cast(null(), time_type),
               cast(null(), time_type), held.starts_at)
        .where(held.tenant_id == tenant_id, held.provider_id.in_(provider_ids),
               held.starts_at >= start - timedelta(days=1), held.starts_at < end),
    )


async def load_weeks(connection: AsyncConnection, tenant_id: uuid.UUID, provider_ids: Sequence[uuid.UUID], *,
                     between: tuple[datetime, datetime]) -> dict[uuid.UUID, ProviderWeek]:
    """Each provider's :class:`~aftersales.marketplace.availability.ProviderWeek`, in one read."""
    if not provider_ids:
        return {}
    hours: dict[uuid.UUID, list[WeeklyHours]] = defaultdict(list)
    exceptions: dict[uuid.UUID, list[DayException]] = defaultdict(list)
    taken: dict[uuid.UUID, set[datetime]] = defaultdict(set)
    for kind, pid, weekday, day, opens, closes, starts_at in await connection.execute(
            weeks_query(tenant_id, provider_ids, between=between)):
        if kind == 0:
            hours[pid].append(WeeklyHours(weekday, opens, closes))
        elif kind == 1:
            exceptions[pid].append(DayException(day, opens, closes))
        else:
            taken[pid].add(starts_at)
    return {pid: ProviderWeek(tuple(hours[pid]), tuple(exceptions[pid]), frozenset(taken[pid]))
            for pid in provider_ids}


def _rank(tenant: CurrentTenant, offering: str, candidates: Sequence[ProviderCandidate]) -> list[RankedProvider]:
    return list(tenant.hooks.aftersales_rank_providers(tenant=tenant.context, offering=offering,
                                                       candidates=list(candidates)) or [])


async def search_providers(connection: AsyncConnection, tenant: CurrentTenant, query: SearchQuery, *,
                           now: datetime) -> SearchResult:
    """The best page of providers for ``query``, ranked by the tenant's vertical, in three reads on a read
    connection of the tenant (:meth:`~aftersales.db.session.Database.reading`: every statement names the tenant).

    :raises InvalidInput: a point off the globe, a distance not above zero, a page size out of range, or an
        offering the catalogue does not have (each with its field).
    """
    if errors := query_errors(query):
        raise InvalidInput("the search is invalid", errors)
    tenant_id = tenant.record.id
    found_offering = (await connection.execute(offering_query(tenant_id, query.offering))).first()
    if found_offering is None:
        raise InvalidInput("no such offering", [FieldError("offering", "is not an offering of the catalogue")])
    *facts, widest = found_offering
    offering = OfferingFacts(*facts)
    if widest is None:
        return SearchResult(offering, [], 0)
    reach = min(widest, query.within_km) if query.within_km is not None else widest
    today = now.astimezone(tenant.calendar.zone).date()
    warranty_only = query.under_warranty and offering.warranty_needs_authorisation
    rows = (await connection.execute(candidate_query(tenant_id, offering.id, query.latitude, query.longitude, reach,
                                                     authorised_on=today if warranty_only else None))).all()
    found = nearest_covering(rows, query.latitude, query.longitude, query.within_km)
    candidates = {pid: ProviderCandidate(pid, row.rating_average, row.rating_count,
                                         Money(row.price_minor, row.currency), distance,
                                         authorised=_authorised(row, today))
                  for pid, (distance, row) in found.items()}
    first = _rank(tenant, offering.code, candidates.values())
    page_ids = [r.provider_id for r in first if r.provider_id in candidates][: query.limit]
    weeks = await load_weeks(connection, tenant_id, page_ids, between=(now, now + timedelta(days=SEARCH_HORIZON_DAYS + 1)))
    timed = []
    for pid in page_ids:
        duration = timedelta(minutes=found[pid][1].duration_minutes)
        slot = next_free_start(tenant.calendar, weeks[pid], duration, after=now)
        timed.append(replace(candidates[pid], next_free_slot=slot))
    page = [r for r in _rank(tenant, offering.code, timed) if r.provider_id in weeks]
    by_id = {c.provider_id: c for c in timed}
    hits = []
    for ranked in page:
        candidate, row = by_id[ranked.provider_id], found[ranked.provider_id][1]
        hits.append(ProviderHit(
            provider_id=candidate.provider_id, name=row.name, kind=row.kind,
            location_id=row.location_id, location_name=row.location_name,
            latitude=row.latitude, longitude=row.longitude, distance_km=candidate.distance_km,
            price=candidate.price, duration_minutes=row.duration_minutes,
            rating_average=candidate.rating_average, rating_count=candidate.rating_count,
            authorised=candidate.authorised, next_free_slot=candidate.next_free_slot, score=ranked.score,
            reasons=ranked.reasons))
    return SearchResult(offering, hits, len(candidates))
