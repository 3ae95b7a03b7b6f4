"""Bodies and answers of the provider endpoints: profile, status, authorisation, service points, documents,
weekly hours, exceptions, prices and slots."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from aftersales.marketplace.models import (
    Offering,
    Provider,
    ProviderDocument,
    ProviderException,
    ProviderHours,
    ProviderLocation,
    ProviderOffering,
)
from aftersales.marketplace.providers.services import Kind, is_authorised


class StrictBody(BaseModel):
    """A request body that refuses fields it does not know."""

    model_config = ConfigDict(extra="forbid")


class ProviderIn(StrictBody):
    name: str = Field(max_length=200)
    kind: Kind
    skills: list[str] = Field(default_factory=list, max_length=50,
                              description="Skill words offerings may require, e.g. brakes, refrigerator.")
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=40, description="Read in the tenant's country unless +.")
    description: str = Field(default="", max_length=4000)


class ProviderPatch(StrictBody):
    """Only the fields given change; ``null`` clears a contact. A provider's own user may give only email,
    phone and description."""

    name: str | None = Field(default=None, max_length=200)
    kind: Kind | None = None
    skills: list[str] | None = Field(default=None, max_length=50)
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=40)
    description: str | None = Field(default=None, max_length=4000)


class StatusIn(StrictBody):
    status: Literal["active", "suspended"]
    reason: str = Field(max_length=2000, description="Why; kept on the provider.")


class AuthorisationIn(StrictBody):
    authorised: bool
    until: date | None = Field(default=None, description="Last day the authorisation holds; none for no end.")
    reference: str | None = Field(default=None, max_length=80, description="The tenant's reference (required "
                                                                             "when authorising).")


class ProviderOut(BaseModel):
    id: UUID
    name: str
    kind: str
    status: str
    status_reason: str
    skills: list[str]
    email: str | None
    phone: str | None
    description: str
    authorised: bool = Field(description="Whether the tenant's authorisation holds today.")
    authorised_until: date | None
    authorisation_ref: str | None
    rating_average: float | None
    rating_count: int


class ProviderPage(BaseModel):
    items: list[ProviderOut]
    next_cursor: str | None


def provider_out(p: Provider, today: date) -> ProviderOut:
    return ProviderOut(id=p.id, name=p.name, kind=p.kind, status=p.status, status_reason=p.status_reason,
                       skills=list(p.skills), email=p.email, phone=p.phone, description=p.description,
                       authorised=is_authorised(p, today), authorised_until=p.authorised_until,
                       authorisation_ref=p.authorisation_ref, rating_average=p.rating_average,
                       rating_count=p.rating_count)


class LocationIn(StrictBody):
    name: str = Field(max_length=200)
    latitude: float
    longitude: float
    service_radius_km: float = Field(description="How far from here the provider takes jobs: over 0, at most 500.")
    address: str = Field(default="", max_length=500)
    active: bool = True


class LocationOut(BaseModel):
    id: UUID
    name: str
    latitude: float
    longitude: float
    service_radius_km: float
    address: str
    active: bool


def location_out(loc: ProviderLocation) -> LocationOut:
    return LocationOut(id=loc.id, name=loc.name, latitude=loc.latitude, longitude=loc.longitude,
                       service_radius_km=loc.service_radius_km, address=loc.address, active=loc.active)


class DocumentOut(BaseModel):
    id: UUID
    kind: str
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime


def document_out(d: ProviderDocument) -> DocumentOut:
    return DocumentOut(id=d.id, kind=d.kind, filename=d.filename, content_type=d.content_type, size=d.size,
                       sha256=d.sha256, uploaded_by=d.uploaded_by, uploaded_at=d.created_at)


class HoursIn(StrictBody):
    weekday: int = Field(description="0 is Monday, 6 Sunday.")
    opens: time
    closes: time


class WeekIn(StrictBody):
    hours: list[HoursIn] = Field(max_length=100, description="The whole week; an absent weekday is closed.")


class HoursOut(BaseModel):
    weekday: int
    opens: time
    closes: time


def hours_out(h: ProviderHours) -> HoursOut:
    return HoursOut(weekday=h.weekday, opens=h.opens, closes=h.closes)


class IntervalIn(StrictBody):
    opens: time
    closes: time


class DayIn(StrictBody):
    intervals: list[IntervalIn] = Field(max_length=20, description="Empty: closed all day.")
    reason: str = Field(default="", max_length=500)


class ExceptionOut(BaseModel):
    day: date
    opens: time | None
    closes: time | None
    reason: str


def exception_out(e: ProviderException) -> ExceptionOut:
    return ExceptionOut(day=e.day, opens=e.opens, closes=e.closes, reason=e.reason)


class PriceIn(StrictBody):
    price: str = Field(max_length=40, description="Amount in the tenant's currency, e.g. 1250000 or 49.90.")
    duration_minutes: int | None = Field(default=None, description="Default: the offering's usual duration.")
    active: bool = True


class PriceOut(BaseModel):
    offering: str
    offering_name: str
    price_minor: int
    currency: str
    duration_minutes: int
    active: bool


def price_out(price: ProviderOffering, offering: Offering) -> PriceOut:
    return PriceOut(offering=offering.code, offering_name=offering.name, price_minor=price.price_minor,
                    currency=price.currency, duration_minutes=price.duration_minutes, active=price.active)


