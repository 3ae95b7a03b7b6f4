"""The SQL of provider search, built once: the offering with the widest radius, the candidates near a point,
and the weeks of a page of providers.

Search is a hot read (architecture §7.17): Core statements on a read connection, each naming ``tenant_id`` in
every table it reads (no ORM guard adds it), built at import or once per shape and executed with bound values
only, so a search does not pay for building and caching statements.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any, Literal

from sqlalchemy import (
    CompoundSelect,
    Select,
    and_,
    bindparam,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
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

KM_PER_DEGREE_LATITUDE = math.pi * 6371.0088 / 180
"""On the mean Earth radius the ``haversine`` package measures with."""
BOX_MARGIN = 1.001
"""The bounding box is widened by 0.1% so a location exactly on a radius is never cut by rounding."""

_loc, _price, _provider = ProviderLocation, ProviderOffering, Provider


@dataclass(frozen=True)
class Box:
    """A latitude/longitude rectangle; ``west > east`` when it crosses the antimeridian."""

    south: float
    north: float
    west: float
    east: float


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


OFFERING_AND_WIDEST = (
    select(Offering.id, Offering.code, Offering.name, Offering.category, Offering.duration_minutes,
           Offering.warranty_needs_authorisation,
           select(func.max(_loc.service_radius_km))
           .where(_loc.tenant_id == bindparam("tenant"), _loc.active.is_(True))
           .scalar_subquery().label("widest_km"))
    .where(Offering.tenant_id == bindparam("tenant"), Offering.code == bindparam("code"), Offering.active.is_(True))
)
"""The active offering with this code, and the tenant's widest active service radius (None without locations),
read from the end of ``ix_provider_locations_radius``."""

Shape = Literal["box", "across_antimeridian", "round_a_pole"]


@cache
def candidate_statement(shape: Shape, authorised_only: bool) -> Select[Any]:
    """Active locations near the point of active providers with an active price for the offering (and, with
    ``authorised_only``, authorised on ``:today``). ``tenant_id`` is named in every join, so each index is entered
    by its leading column.

    "Near" is the bounding box of the search's reach and, per location, no farther north–south or east–west
    than its own radius could reach. Both only ever keep too many rows (the exact distance is checked after),
    never too few: a great circle is never shorter than its north–south part, and within the box a radius
    reaches at most its share of the box's half-width (the width grows faster than the radius, so the chord
    from 0 bounds it). The per-location bound is checked before the joins: most locations in the box have a
    smaller radius than the widest.
    """
    near = []
    if shape != "round_a_pole":
        near += [_loc.latitude.between(bindparam("south"), bindparam("north")),
                 func.abs(_loc.latitude - bindparam("latitude")) <= _loc.service_radius_km * bindparam("lat_per_km")]
    if shape == "box":
        near += [_loc.longitude.between(bindparam("west"), bindparam("east")),
                 func.abs(_loc.longitude - bindparam("longitude")) <= _loc.service_radius_km * bindparam("lon_per_km")]
    elif shape == "across_antimeridian":
        near.append(or_(_loc.longitude >= bindparam("west"), _loc.longitude <= bindparam("east")))
    statement = (
        select(_provider.id, _provider.name, _provider.kind, _provider.rating_average, _provider.rating_count,
               _provider.authorised, _provider.authorised_until, _loc.id.label("location_id"),
               _loc.name.label("location_name"), _loc.latitude, _loc.longitude, _loc.service_radius_km,
               _price.price_minor, _price.currency, _price.duration_minutes)
        .select_from(_loc)
        .join(_price, and_(_price.tenant_id == _loc.tenant_id, _price.provider_id == _loc.provider_id,
                           _price.offering_id == bindparam("offering"), _price.active.is_(True)))
        .join(_provider, and_(_provider.tenant_id == _loc.tenant_id, _provider.id == _loc.provider_id,
                              _provider.status == "active"))
        .where(_loc.tenant_id == bindparam("tenant"), _loc.active.is_(True), *near)
    )
    if authorised_only:
        until = _provider.authorised_until
        statement = statement.where(_provider.authorised.is_(True),
                                    or_(until.is_(None), until >= bindparam("today", type_=until.type)))
    return statement


def candidates(tenant_id: uuid.UUID, offering_id: uuid.UUID, latitude: float, longitude: float, reach_km: float,
               *, authorised_on: date | None) -> tuple[Select[Any], dict[str, Any]]:
    """The candidate statement for a point and a reach, with its values."""
    values: dict[str, Any] = {"tenant": tenant_id, "offering": offering_id}
    if authorised_on is not None:
        values["today"] = authorised_on
    box = bounding_box(latitude, longitude, reach_km)
    shape: Shape = "round_a_pole" if box is None else "box" if box.west <= box.east else "across_antimeridian"
    if box is not None:
        values |= {"south": box.south, "north": box.north, "west": box.west, "east": box.east,
                   "latitude": latitude, "lat_per_km": BOX_MARGIN / KM_PER_DEGREE_LATITUDE}
        if shape == "box":
            values |= {"longitude": longitude, "lon_per_km": (box.east - box.west) / 2 / reach_km}
    return candidate_statement(shape, authorised_on is not None), values


def _null(column: Any) -> Any:
    return cast(null(), column.type)


_hours, _exceptions, _held = ProviderHours, ProviderException, BookedSlot
WEEKS: CompoundSelect = union_all(
    select(literal(0).label("kind"), _hours.provider_id, _hours.weekday, _null(_exceptions.day).label("day"),
           _hours.opens, _hours.closes, _null(_held.starts_at).label("starts_at"))
    .where(_hours.tenant_id == bindparam("tenant"), _hours.provider_id.in_(bindparam("ids", expanding=True))),
    select(literal(1), _exceptions.provider_id, _null(_hours.weekday), _exceptions.day, _exceptions.opens,
           _exceptions.closes, _null(_held.starts_at))
    .where(_exceptions.tenant_id == bindparam("tenant"),
           _exceptions.provider_id.in_(bindparam("ids", expanding=True)),
           _exceptions.day.between(bindparam("first_day"), bindparam("last_day"))),
    select(literal(2), _held.provider_id, _null(_hours.weekday), _null(_exceptions.day), _null(_hours.opens),
           _null(_hours.closes), _held.starts_at)
    .where(_held.tenant_id == bindparam("tenant"), _held.provider_id.in_(bindparam("ids", expanding=True)),
           _held.starts_at >= bindparam("held_from"), _held.starts_at < bindparam("held_until")),
)
"""What :func:`~aftersales.marketplace.availability.services.load_week` reads, for several providers at once: weekly
hours (kind 0), exceptions (kind 1) and held units (kind 2)."""


def weeks(tenant_id: uuid.UUID, provider_ids: Sequence[uuid.UUID], *,
          between: tuple[datetime, datetime]) -> tuple[CompoundSelect, dict[str, Any]]:
    """:data:`WEEKS` with its values, the same window ``load_week`` reads."""
    start, end = between
    return WEEKS, {"tenant": tenant_id, "ids": list(provider_ids), "first_day": (start - timedelta(days=1)).date(),
                   "last_day": (end + timedelta(days=1)).date(), "held_from": start - timedelta(days=1),
                   "held_until": end}
