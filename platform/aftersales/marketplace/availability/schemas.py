"""Answers of the slot endpoints: a provider's free starts on a day."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, Field

from aftersales.marketplace.availability.slots import DaySlots


class SlotsOut(BaseModel):
    provider_id: UUID
    offering: str
    day: date
    duration_minutes: int
    price_minor: int
    currency: str
    starts: list[datetime] = Field(description="Free starts of the day (UTC), earliest first.")
    next_free_start: datetime | None = Field(description="When the day has none: the next one within 30 days.")


def slots_out(s: DaySlots) -> SlotsOut:
    return SlotsOut(provider_id=s.provider_id, offering=s.offering, day=s.day, duration_minutes=s.duration_minutes,
                    price_minor=s.price_minor, currency=s.currency, starts=s.starts, next_free_start=s.next_free_start)
