"""Bodies and answers of the booking endpoints."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from aftersales.marketplace.bookings.services import NewBooking, Site, arrived_on_time
from aftersales.marketplace.models import Booking


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SiteIn(_Body):
    latitude: float
    longitude: float


class BookingIn(_Body):
    provider_id: UUID
    offering_id: UUID
    starts_at: datetime = Field(description="The start, with its UTC offset, on the 15-minute grid.")
    customer_id: UUID | None = Field(default=None, description="Whom staff book for; a customer books for "
                                                                "themself and leaves it out.")
    registration_id: UUID | None = Field(default=None, description="The customer's registered unit: its "
                                                                    "warranty on the day decides under_warranty.")
    request_id: UUID | None = Field(default=None, description="The customer's service request this job serves.")
    site: SiteIn | None = Field(default=None, description="Where the provider comes to, when not at its workshop: "
                                                          "within the service radius of one of its locations.")
    consumables: list[Annotated[str, Field(max_length=200)]] = Field(
        default_factory=list, max_length=30, description="What the customer asks to be used (Carmax: what is used "
                                                         "must match).")
    note: str = Field(default="", max_length=4000)

    def to_new(self) -> NewBooking:
        site = Site(self.site.latitude, self.site.longitude) if self.site else None
        return NewBooking(provider_id=self.provider_id, offering_id=self.offering_id, starts_at=self.starts_at,
                          customer_id=self.customer_id, registration_id=self.registration_id,
                          request_id=self.request_id, site=site, consumables=tuple(self.consumables), note=self.note)


class CancelIn(_Body):
    reason: str = Field(default="", max_length=2000, description="Why; required when a provider cancels.")


class RescheduleIn(_Body):
    starts_at: datetime


class BookingOut(BaseModel):
    id: UUID
    state: str
    provider_id: UUID
    offering_id: UUID
    customer_id: UUID
    location_id: UUID | None
    starts_at: datetime
    ends_at: datetime
    price_minor: int
    currency: str
    under_warranty: bool
    registration_id: UUID | None
    request_id: UUID | None
    site: SiteIn | None
    distance_km: float | None
    consumables: list[str]
    note: str
    booked_by: str
    booked_at: datetime
    arrived_at: datetime | None
    arrived_on_time: bool = Field(description="Arrived by the booked time plus the grace period: served first.")
    started_at: datetime | None
    completed_at: datetime | None
    no_show_at: datetime | None
    cancelled_at: datetime | None
    cancelled_by: str | None
    cancel_reason: str | None
    rescheduled_from_id: UUID | None


class ProviderDayOut(BaseModel):
    provider_id: UUID
    date: date
    bookings: list[BookingOut] = Field(description="On-time arrivals first in booked order, then the rest in "
                                                   "booked order; cancelled bookings left out.")


def booking_out(b: Booking) -> BookingOut:
    site = SiteIn(latitude=b.site_latitude, longitude=b.site_longitude) if b.site_latitude is not None else None
    return BookingOut(
        id=b.id, state=b.state, provider_id=b.provider_id, offering_id=b.offering_id, customer_id=b.customer_id,
        location_id=b.location_id, starts_at=b.starts_at, ends_at=b.ends_at, price_minor=b.price_minor,
        currency=b.currency, under_warranty=b.under_warranty, registration_id=b.registration_id,
        request_id=b.request_id, site=site, distance_km=b.distance_km,
        consumables=list(b.consumables_requested or ()), note=b.note, booked_by=b.booked_by, booked_at=b.created_at,
        arrived_at=b.arrived_at, arrived_on_time=arrived_on_time(b), started_at=b.started_at,
        completed_at=b.completed_at, no_show_at=b.no_show_at, cancelled_at=b.cancelled_at,
        cancelled_by=b.cancelled_by, cancel_reason=b.cancel_reason, rescheduled_from_id=b.rescheduled_from_id)
