"""Shared set-up for marketplace tests: providers, offerings and bookings written straight to the tables, so a
test of quotes or ratings does not depend on the booking API (which has tests of its own)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aftersales.db.base import utcnow
from aftersales.identity.models import Customer
from aftersales.marketplace.availability.services import units
from aftersales.marketplace.models import (
    BookedSlot,
    Booking,
    Offering,
    Provider,
    ProviderHours,
    ProviderLocation,
    ProviderOffering,
)
from aftersales.tenancy.current import bind_tenant

BERLIN = (52.52, 13.405)
"""Where the test tenants' providers are (``conftest.minimal_manifest`` tenants are in Europe/Berlin, EUR)."""
ZONE = ZoneInfo("Europe/Berlin")
"""The test tenants' time zone."""


def working_monday(runtime: Any, tenant: Any, weeks_ahead: int = 2) -> date:
    """A Monday at least ``weeks_ahead`` weeks away that is a business day where the test tenants are."""
    calendar = bind_tenant(tenant, runtime.plugins).calendar
    day = datetime.now(ZONE).date() + timedelta(weeks=weeks_ahead)
    day -= timedelta(days=day.weekday())
    while not calendar.is_business_day(day):
        day += timedelta(weeks=1)
    return day


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """The UTC instant of a wall-clock time on ``day`` in the test tenants' zone."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE).astimezone(UTC)


@dataclass(frozen=True)
class ProviderSetup:
    """A provider offering one offering from one location, open Monday to Friday 09:00–17:00."""

    provider_id: uuid.UUID
    offering_id: uuid.UUID
    location_id: uuid.UUID
    price_minor: int
    duration_minutes: int


async def add_provider(runtime: Any, tenant: Any, *, name: str = "Garage One", status: str = "active",
                       authorised: bool = False, offering_code: str = "oil_change", price_minor: int = 50_00,
                       currency: str = "EUR", duration_minutes: int = 60, at: tuple[float, float] = BERLIN,
                       radius_km: float = 25.0, rating: tuple[float, int] | None = None,
                       warranty_needs_authorisation: bool = False) -> ProviderSetup:
    """A provider of ``tenant`` with one offering (created on first use) and a weekday 09:00–17:00 week."""
    from sqlalchemy import select

    async with runtime.db.transaction(tenant.id) as s:
        offering = await s.scalar(select(Offering).where(Offering.code == offering_code))
        if offering is None:
            offering = Offering(code=offering_code, name=offering_code.replace("_", " ").capitalize(),
                                category="service", duration_minutes=duration_minutes,
                                warranty_needs_authorisation=warranty_needs_authorisation)
            s.add(offering)
        average, count = rating or (None, 0)
        provider = Provider(name=name, kind="workshop", status=status, skills=[], authorised=authorised,
                            rating_average=average, rating_count=count, rating_weight=float(count),
                            rating_weighted_sum=(average or 0.0) * count)
        s.add(provider)
        await s.flush()
        location = ProviderLocation(provider_id=provider.id, name=f"{name} workshop", latitude=at[0],
                                    longitude=at[1], service_radius_km=radius_km)
        s.add(location)
        s.add(ProviderOffering(provider_id=provider.id, offering_id=offering.id, price_minor=price_minor,
                               currency=currency, duration_minutes=duration_minutes))
        s.add_all(ProviderHours(provider_id=provider.id, weekday=d, opens=time(9), closes=time(17)) for d in range(5))
        await s.flush()
        return ProviderSetup(provider.id, offering.id, location.id, price_minor, duration_minutes)


async def add_customer(runtime: Any, tenant: Any, name: str = "Sara Example") -> uuid.UUID:
    async with runtime.db.transaction(tenant.id) as s:
        customer = Customer(name=name, email=f"{uuid.uuid4().hex[:8]}@example.com")
        s.add(customer)
        await s.flush()
        return customer.id


async def add_booking(runtime: Any, tenant: Any, setup: ProviderSetup, customer_id: uuid.UUID, *,
                      starts_at: datetime | None = None, state: str = "booked", under_warranty: bool = False,
                      consumables: tuple[str, ...] = (), distance_km: float | None = None) -> uuid.UUID:
    """A booking written straight to the table, holding its slot units (``state="completed"`` for a done job)."""
    starts_at = starts_at or (utcnow() + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    duration = timedelta(minutes=setup.duration_minutes)
    now = utcnow()
    async with runtime.db.transaction(tenant.id) as s:
        booking = Booking(provider_id=setup.provider_id, offering_id=setup.offering_id, customer_id=customer_id,
                          location_id=setup.location_id, starts_at=starts_at, ends_at=starts_at + duration,
                          state=state, price_minor=setup.price_minor, currency="EUR", under_warranty=under_warranty,
                          consumables_requested=list(consumables), distance_km=distance_km, booked_by="test",
                          completed_at=now if state == "completed" else None)
        s.add(booking)
        await s.flush()
        if state not in ("cancelled", "no_show"):
            s.add_all(BookedSlot(provider_id=setup.provider_id, booking_id=booking.id, starts_at=unit)
                      for unit in units(starts_at, duration))
        return booking.id
