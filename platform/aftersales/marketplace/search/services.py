"""Provider search: who can do an offering for a customer at a place, ranked by the tenant's vertical.

A provider is found when it is active, has an active price for the offering and an active location whose
service radius covers the customer's point (great-circle distance, and no farther than ``within_km`` when the
customer gives it). An in-warranty search for an offering that needs the tenant's authorisation finds only
providers authorised on the day (Entekhab: in-warranty installation and repair by authorised technicians only).

The database does the coarse work (:mod:`~aftersales.marketplace.search.queries`): a bounding box around the
point, as wide as the widest service radius of the tenant, on ``ix_provider_locations_geo``, joined to the
provider's price and status. It is the tenant's hot read, so it runs as SQLAlchemy Core on a read connection
(architecture §7.17), in three statements. Exact distances are then computed for those rows only.
``aftersales_rank_providers`` orders every candidate; the next free slot is computed for the page only (a read
and a walk over the calendar), and the vertical ranks the page a second time knowing it, so a vertical that
weighs the slot (Carmax) orders the page by it.
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
from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from aftersales.contract.money import Money
from aftersales.contract.values import ProviderCandidate, RankedProvider
from aftersales.errors import FieldError, InvalidInput
from aftersales.marketplace.availability.services import (
    SEARCH_HORIZON_DAYS,
    DayException,
    ProviderWeek,
    WeeklyHours,
    next_free_start,
)
from aftersales.marketplace.search import queries as search_queries
from aftersales.tenancy.current import CurrentTenant

DEFAULT_LIMIT = 20
MAX_LIMIT = 50


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


async def load_weeks(connection: AsyncConnection, tenant_id: uuid.UUID, provider_ids: Sequence[uuid.UUID], *,
                     between: tuple[datetime, datetime]) -> dict[uuid.UUID, ProviderWeek]:
    """Each provider's :class:`~aftersales.marketplace.availability.services.ProviderWeek`, in one read."""
    if not provider_ids:
        return {}
    hours: dict[uuid.UUID, list[WeeklyHours]] = defaultdict(list)
    exceptions: dict[uuid.UUID, list[DayException]] = defaultdict(list)
    taken: dict[uuid.UUID, set[datetime]] = defaultdict(set)
    for kind, pid, weekday, day, opens, closes, starts_at in await connection.execute(
            *search_queries.weeks(tenant_id, provider_ids, between=between)):
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
    found_offering = (await connection.execute(search_queries.OFFERING_AND_WIDEST,
                                               {"tenant": tenant_id, "code": query.offering.strip()})).first()
    if found_offering is None:
        raise InvalidInput("no such offering", [FieldError("offering", "is not an offering of the catalogue")])
    *facts, widest = found_offering
    offering = OfferingFacts(*facts)
    if widest is None:
        return SearchResult(offering, [], 0)
    reach = min(widest, query.within_km) if query.within_km is not None else widest
    today = now.astimezone(tenant.calendar.zone).date()
    warranty_only = query.under_warranty and offering.warranty_needs_authorisation
    rows = (await connection.execute(*search_queries.candidates(
        tenant_id, offering.id, query.latitude, query.longitude, reach,
        authorised_on=today if warranty_only else None))).all()
    found = nearest_covering(rows, query.latitude, query.longitude, query.within_km)
    candidates = {pid: ProviderCandidate(pid, row.rating_average, row.rating_count,
                                         Money(row.price_minor, row.currency), distance,
                                         authorised=_authorised(row, today))
                  for pid, (distance, row) in found.items()}
    page = await _ranked_page(connection, tenant, offering.code, candidates, found, limit=query.limit, now=now)
    return SearchResult(offering, page, len(candidates))


async def _ranked_page(connection: AsyncConnection, tenant: CurrentTenant, offering: str,
                       candidates: dict[uuid.UUID, ProviderCandidate],
                       found: dict[uuid.UUID, tuple[float, Row[Any]]], *, limit: int,
                       now: datetime) -> list[ProviderHit]:
    """The vertical's first ``limit`` of every candidate, given their next free slots and ranked again."""
    first = _rank(tenant, offering, candidates.values())
    page_ids = [r.provider_id for r in first if r.provider_id in candidates][:limit]
    weeks = await load_weeks(connection, tenant.record.id, page_ids,
                             between=(now, now + timedelta(days=SEARCH_HORIZON_DAYS + 1)))
    timed = {}
    for pid in page_ids:
        duration = timedelta(minutes=found[pid][1].duration_minutes)
        slot = next_free_start(tenant.calendar, weeks[pid], duration, after=now)
        timed[pid] = replace(candidates[pid], next_free_slot=slot)
    return [_hit(ranked, timed[ranked.provider_id], found[ranked.provider_id][1])
            for ranked in _rank(tenant, offering, list(timed.values())) if ranked.provider_id in timed]


def _hit(ranked: RankedProvider, candidate: ProviderCandidate, row: Row[Any]) -> ProviderHit:
    return ProviderHit(
        provider_id=candidate.provider_id, name=row.name, kind=row.kind, location_id=row.location_id,
        location_name=row.location_name, latitude=row.latitude, longitude=row.longitude,
        distance_km=candidate.distance_km, price=candidate.price, duration_minutes=row.duration_minutes,
        rating_average=candidate.rating_average, rating_count=candidate.rating_count,
        authorised=candidate.authorised, next_free_slot=candidate.next_free_slot, score=ranked.score,
        reasons=ranked.reasons)
