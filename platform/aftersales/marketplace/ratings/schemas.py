"""Bodies and answers of the rating endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from aftersales.http.language import Said
from aftersales.marketplace.models import Provider, Rating
from aftersales.marketplace.ratings.services import CRITERIA, MAX_COMMENT, short_name


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RatingIn(_Body):
    stars: int = Field(description="1 to 5.")
    comment: str = Field(default="", description=f"Optional, at most {MAX_COMMENT} characters.")
    criteria: dict[str, int] = Field(
        default_factory=dict,
        description="Optional marks 1 to 5 by name. A customer rates the provider's "
                    f"{', '.join(CRITERIA['customer_rates_provider'])}; a provider the customer's "
                    f"{', '.join(CRITERIA['provider_rates_customer'])}.")


class ReviewIn(_Body):
    decision: Literal["accept", "reject"] = Field(description="accept: the held rating counts; reject: it never does.")
    note: str = Field(default="", description=f"Why, kept with the rating's reasons (at most {MAX_COMMENT} characters).")


class RatingOut(BaseModel):
    """A rating as its rater and staff see it, with what the policy and a reviewer decided."""

    id: UUID
    booking_id: UUID
    direction: str
    provider_id: UUID
    customer_id: UUID
    stars: int
    comment: str
    criteria: dict[str, int]
    weight: float = Field(description="Its weight in the aggregates, from the tenant's rating policy.")
    status: str = Field(description="counted, held (flagged: not counted until reviewed) or rejected.")
    reasons: list[Said]
    created_at: datetime
    reviewed_at: datetime | None


class StaffRatingOut(RatingOut):
    rater: str
    reviewed_by: str | None


class PublicRatingOut(BaseModel):
    """A counted rating as anyone in the tenant sees it: the customer's first name and initial, nothing else."""

    id: UUID
    stars: int
    comment: str
    criteria: dict[str, int]
    rated_by: str
    created_at: datetime


class RatingPage(BaseModel):
    items: list[RatingOut]
    next_cursor: str | None


class StaffRatingPage(BaseModel):
    items: list[StaffRatingOut]
    next_cursor: str | None


class ProviderRatingsPage(BaseModel):
    provider_id: UUID
    rating_average: float | None = Field(description="Weighted average of the counted ratings.")
    rating_count: int
    items: list[PublicRatingOut]
    next_cursor: str | None


class RecountOut(BaseModel):
    providers: int = Field(description="Providers with counted ratings after the rebuild.")
    customers: int = Field(description="Customers with counted ratings after the rebuild.")


def _fields(rating: Rating) -> dict[str, Any]:
    return {"id": rating.id, "booking_id": rating.booking_id, "direction": rating.direction,
            "provider_id": rating.provider_id, "customer_id": rating.customer_id, "stars": rating.stars,
            "comment": rating.comment, "criteria": rating.criteria, "weight": rating.weight, "status": rating.status,
            "reasons": rating.reasons, "created_at": rating.created_at, "reviewed_at": rating.reviewed_at}


def rating_out(rating: Rating) -> RatingOut:
    return RatingOut(**_fields(rating))


def staff_rating_out(rating: Rating) -> StaffRatingOut:
    return StaffRatingOut(**_fields(rating), rater=rating.rater, reviewed_by=rating.reviewed_by)


def public_rating_out(rating: Rating, customer_name: str) -> PublicRatingOut:
    return PublicRatingOut(id=rating.id, stars=rating.stars, comment=rating.comment, criteria=rating.criteria,
                           rated_by=short_name(customer_name), created_at=rating.created_at)


def provider_ratings_page(provider: Provider, items: list[PublicRatingOut], next_cursor: str | None) -> ProviderRatingsPage:
    return ProviderRatingsPage(provider_id=provider.id, rating_average=provider.rating_average,
                               rating_count=provider.rating_count, items=items, next_cursor=next_cursor)
