"""A provider's service points: where it works from and how far from there it takes jobs (search measures the
customer's distance to them)."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.errors import FieldError, InvalidInput, NotFound
from aftersales.marketplace.models import ProviderLocation

MAX_RADIUS_KM = 500.0
"""The widest service area one point may claim: beyond it a provider adds another point."""


@dataclass(frozen=True)
class LocationDetails:
    """A service point as given: name, coordinates (WGS 84 degrees), radius in km, address, whether in use."""

    name: str
    latitude: float
    longitude: float
    service_radius_km: float
    address: str = ""
    active: bool = True


def location_errors(details: LocationDetails) -> list[FieldError]:
    """Why a service point is unusable: no name, coordinates off the globe, a radius of 0 or above 500 km."""
    errors = [] if details.name.strip() else [FieldError("name", "must not be empty")]
    for name, value, bound in (("latitude", details.latitude, 90), ("longitude", details.longitude, 180)):
        if not math.isfinite(value) or not -bound <= value <= bound:
            errors.append(FieldError(name, f"must be between -{bound} and {bound} degrees"))
    radius = details.service_radius_km
    if not math.isfinite(radius) or radius <= 0:
        errors.append(FieldError("service_radius_km", "must be more than 0 km"))
    elif radius > MAX_RADIUS_KM:
        errors.append(FieldError("service_radius_km", f"must be at most {MAX_RADIUS_KM:g} km"))
    return errors


def _apply(location: ProviderLocation, details: LocationDetails) -> None:
    if errors := location_errors(details):
        raise InvalidInput("invalid service point", errors)
    location.name, location.address = details.name.strip(), details.address.strip()
    location.latitude, location.longitude = details.latitude, details.longitude
    location.service_radius_km, location.active = details.service_radius_km, details.active


async def locations_of(session: AsyncSession, provider_id: uuid.UUID) -> list[ProviderLocation]:
    """The provider's service points by name."""
    return list(await session.scalars(select(ProviderLocation).where(ProviderLocation.provider_id == provider_id)
                                      .order_by(ProviderLocation.name, ProviderLocation.id)))


async def add_location(session: AsyncSession, provider_id: uuid.UUID, details: LocationDetails) -> ProviderLocation:
    """:raises InvalidInput: every bad field; nothing is written."""
    location = ProviderLocation(provider_id=provider_id)
    _apply(location, details)
    session.add(location)
    await session.flush()
    return location


async def edit_location(session: AsyncSession, provider_id: uuid.UUID, location_id: uuid.UUID,
                        details: LocationDetails) -> ProviderLocation:
    """Move, resize or retire a service point. :raises NotFound: not one of this provider's points."""
    location = await session.scalar(select(ProviderLocation).where(
        ProviderLocation.id == location_id, ProviderLocation.provider_id == provider_id))
    if location is None:
        raise NotFound("no such service point")
    _apply(location, details)
    await session.flush()
    return location
