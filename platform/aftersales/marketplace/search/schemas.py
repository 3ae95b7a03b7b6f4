"""Answers of the provider search endpoint."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, Field

from aftersales.http.language import Said
from aftersales.marketplace.search.services import ProviderHit, SearchResult
from aftersales.warranty.registrations.schemas import MoneyOut


class SearchedOfferingOut(BaseModel):
    code: str
    name: str
    category: str
    duration_minutes: int
    warranty_needs_authorisation: bool = Field(
        description="In-warranty jobs go only to providers the tenant has authorised (search with under_warranty).")


class RatingOut(BaseModel):
    average: float | None = Field(description="Counted customer ratings (1–5); None before the first.")
    count: int


class LocationOut(BaseModel):
    id: UUID
    name: str
    latitude: float
    longitude: float


class ProviderHitOut(BaseModel):
    provider_id: UUID
    name: str
    kind: str
    location: LocationOut = Field(description="The provider's nearest location whose service radius covers the point.")
    distance_km: float = Field(description="Great-circle distance from that location, to 10 m.")
    price: MoneyOut
    duration_minutes: int
    rating: RatingOut
    authorised: bool = Field(description="The tenant's authorisation holds today.")
    next_free_slot: datetime | None = Field(
        description="The first start free for this offering within the next 30 days; None when there is none.")
    score: float = Field(description="The vertical's ranking score (higher first).")
    reasons: list[Said]


class SearchOut(BaseModel):
    offering: SearchedOfferingOut
    candidates: int = Field(description="How many providers match; items is the best page of them.")
    items: list[ProviderHitOut]


def hit_out(hit: ProviderHit) -> ProviderHitOut:
    return ProviderHitOut(
        provider_id=hit.provider_id, name=hit.name, kind=hit.kind,
        location=LocationOut(id=hit.location_id, name=hit.location_name, latitude=hit.latitude,
                             longitude=hit.longitude),
        distance_km=round(hit.distance_km, 2), price=MoneyOut.of(hit.price), duration_minutes=hit.duration_minutes,
        rating=RatingOut(average=hit.rating_average, count=hit.rating_count), authorised=hit.authorised,
        next_free_slot=hit.next_free_slot, score=hit.score, reasons=list(hit.reasons),
    )


def search_out(result: SearchResult) -> SearchOut:
    o = result.offering
    return SearchOut(
        offering=SearchedOfferingOut(code=o.code, name=o.name, category=o.category,
                                     duration_minutes=o.duration_minutes,
                                     warranty_needs_authorisation=o.warranty_needs_authorisation),
        candidates=result.candidates, items=[hit_out(h) for h in result.hits],
    )
