"""Rating endpoints: the customer and the provider rate each other after a completed job; anyone in the tenant
reads a provider's counted ratings; raters read what they gave; staff review held ratings and rebuild the
aggregates. Customer and provider tokens reach only their own bookings (404 for anyone else's)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from aftersales.db.base import utcnow
from aftersales.http.context import TOKEN_TENANT, SessionDep, TenantDep
from aftersales.http.paging import DEFAULT_LIMIT, check_limit, decode_cursor, invalid_cursor, split_page
from aftersales.identity.guards import actor, current_principal, requires_any_scope, requires_scope
from aftersales.identity.scopes import CUSTOMER_SELF, MARKETPLACE_MANAGE, MARKETPLACE_READ, PROVIDER_WORK
from aftersales.marketplace.ratings import services as service
from aftersales.marketplace.ratings.schemas import (
    ProviderRatingsPage,
    RatingIn,
    RatingOut,
    RatingPage,
    RecountOut,
    ReviewIn,
    StaffRatingOut,
    StaffRatingPage,
    provider_ratings_page,
    public_rating_out,
    rating_out,
    staff_rating_out,
)


def _after(cursor: str | None) -> UUID | None:
    """The rating id a page cursor names."""
    if cursor is None:
        return None
    (key,) = decode_cursor(cursor, 1)
    try:
        return UUID(str(key))
    except ValueError:
        raise invalid_cursor() from None


class RatingController(Controller):
    """Mutual ratings of the tenant's marketplace."""

    path = "/api/v1/marketplace"
    tags = ("marketplace",)
    dependencies = TOKEN_TENANT

    @post("/bookings/{booking_id:uuid}/rating", operation_id="rateBooking",
          guards=[requires_any_scope(CUSTOMER_SELF, PROVIDER_WORK)])
    async def rate(self, request: Request[Any, Any, Any], booking_id: FromPath[UUID], data: JSONBody[RatingIn],
                   session: SessionDep, tenant: TenantDep) -> RatingOut:
        """Rate the other side of your completed job: a customer token rates the provider, a provider token the
        customer. Once per side (409 after that), only after completion (409 before), 422 for stars or criteria
        outside 1–5 or a refusal by the tenant's policy; a flagged rating is kept as ``held`` and counts only
        once a reviewer accepts it."""
        rater = service.Rater.of(current_principal(request))
        new = service.NewRating(stars=data.stars, comment=data.comment, criteria=data.criteria)
        rating = await service.rate_booking(session, tenant, rater, booking_id, new, actor=actor(request),
                                            now=utcnow())
        return rating_out(rating)

    @get("/providers/{provider_id:uuid}/ratings", operation_id="listProviderRatings",
         guards=[requires_any_scope(MARKETPLACE_READ, CUSTOMER_SELF, PROVIDER_WORK)])
    async def provider_ratings(self, provider_id: FromPath[UUID], session: SessionDep,
                               limit: FromQuery[int] = DEFAULT_LIMIT,
                               cursor: FromQuery[str | None] = None) -> ProviderRatingsPage:
        """A provider's weighted average and its counted ratings from customers, newest first (held and rejected
        ones are not shown); raters appear as first name and initial."""
        provider = await service.get_provider(session, provider_id)
        rows = await service.public_ratings(session, provider_id, limit=check_limit(limit) + 1, before=_after(cursor))
        page, next_cursor = split_page(rows, limit, lambda row: (str(row[0].id),))
        return provider_ratings_page(provider, [public_rating_out(r, name) for r, name in page], next_cursor)

    @get("/ratings/given", operation_id="listGivenRatings", guards=[requires_any_scope(CUSTOMER_SELF, PROVIDER_WORK)])
    async def given(self, request: Request[Any, Any, Any], session: SessionDep,
                    limit: FromQuery[int] = DEFAULT_LIMIT, cursor: FromQuery[str | None] = None) -> RatingPage:
        """The ratings the caller (a customer, or a provider) gave, newest first, with what became of them."""
        rater = service.Rater.of(current_principal(request))
        rows = await service.given_ratings(session, rater, limit=check_limit(limit) + 1, before=_after(cursor))
        page, next_cursor = split_page(rows, limit, lambda r: (str(r.id),))
        return RatingPage(items=[rating_out(r) for r in page], next_cursor=next_cursor)

    @get("/ratings/held", operation_id="listHeldRatings", guards=[requires_scope(MARKETPLACE_READ)])
    async def held(self, session: SessionDep, limit: FromQuery[int] = DEFAULT_LIMIT,
                   cursor: FromQuery[str | None] = None) -> StaffRatingPage:
        """The review queue: ratings the policy flagged, oldest first."""
        rows = await service.held_ratings(session, limit=check_limit(limit) + 1, after=_after(cursor))
        page, next_cursor = split_page(rows, limit, lambda r: (str(r.id),))
        return StaffRatingPage(items=[staff_rating_out(r) for r in page], next_cursor=next_cursor)

    @post("/ratings/{rating_id:uuid}/review", operation_id="reviewRating", status_code=200,
          guards=[requires_scope(MARKETPLACE_MANAGE)])
    async def review(self, request: Request[Any, Any, Any], rating_id: FromPath[UUID], data: JSONBody[ReviewIn],
                     session: SessionDep) -> StaffRatingOut:
        """Accept a held rating (it counts from now on) or reject it (it never counts). Once (409 after that)."""
        rating = await service.review(session, rating_id, accept=data.decision == "accept", note=data.note,
                                      actor=actor(request), now=utcnow())
        return staff_rating_out(rating)

    @post("/ratings/recount", operation_id="recountRatings", status_code=200,
          guards=[requires_scope(MARKETPLACE_MANAGE)])
    async def recount(self, session: SessionDep) -> RecountOut:
        """Rebuild every provider's and customer's rating aggregate from the counted ratings."""
        done = await service.recount(session)
        return RecountOut(providers=done.providers, customers=done.customers)
