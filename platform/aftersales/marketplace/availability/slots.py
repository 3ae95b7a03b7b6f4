"""The free starts of one provider for one offering on one day, as customers, staff and integrators see them.

Only an active provider that offers an active offering has slots (anything else answers 404, as if it did not
exist). A day with no free start also names the provider's next free start within the search horizon.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.calendar import BusinessCalendar
from aftersales.errors import FieldError, InvalidInput, NotFound
from aftersales.marketplace.availability.services import (
    SEARCH_HORIZON_DAYS,
    free_starts,
    load_week,
    next_free_start,
)
from aftersales.marketplace.models import Offering, Provider, ProviderOffering


@dataclass(frozen=True)
class DaySlots:
    """The free starts of a day (UTC, earliest first) and, when there are none, the next free start (or None)."""

    provider_id: uuid.UUID
    offering: str
    day: date
    duration_minutes: int
    price_minor: int
    currency: str
    starts: list[datetime]
    next_free_start: datetime | None


async def day_slots(session: AsyncSession, calendar: BusinessCalendar, provider_id: uuid.UUID, code: str,
                    day: date, *, now: datetime) -> DaySlots:
    """:raises NotFound: the provider is not active or does not offer ``code``.
    :raises InvalidInput: ``day`` is before the tenant's today."""
    row = (await session.execute(
        select(ProviderOffering.duration_minutes, ProviderOffering.price_minor, ProviderOffering.currency)
        .join(Offering, Offering.id == ProviderOffering.offering_id)
        .join(Provider, Provider.id == ProviderOffering.provider_id)
        .where(ProviderOffering.provider_id == provider_id, Offering.code == code, Offering.active,
               ProviderOffering.active, Provider.status == "active"))).first()
    if row is None:
        raise NotFound("no such provider offering that service")
    if day < now.astimezone(calendar.zone).date():
        raise InvalidInput("invalid day", [FieldError("day", "is in the past")])
    duration = timedelta(minutes=row.duration_minutes)
    day_start = datetime.combine(day, time(), tzinfo=calendar.zone).astimezone(UTC)
    week = await load_week(session, provider_id,
                           between=(day_start, day_start + timedelta(days=SEARCH_HORIZON_DAYS + 2)))
    starts = free_starts(calendar, week, day, duration, not_before=now)
    following = None if starts else next_free_start(calendar, week, duration, after=max(now, day_start))
    return DaySlots(provider_id, code, day, row.duration_minutes, row.price_minor, row.currency, starts, following)
