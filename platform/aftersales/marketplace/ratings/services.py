"""Mutual ratings after a completed job: the customer rates the provider, the provider rates the customer.

Once each per booking (the unique key ``(tenant_id, booking_id, direction)`` decides a race), 1–5 stars with an
optional comment and criteria. The tenant's ``aftersales_rating_policy`` refuses, weighs or flags each rating:
a counted one moves the aggregates (the provider's row, or the customer's :class:`CustomerRatingTotal`) in the
same transaction with ``SET x = x + :d`` statements, so concurrent ratings of one provider never lose an update;
a flagged one is held, uncounted, until a reviewer accepts it (then it counts) or rejects it (it never does).
:func:`recount` rebuilds every aggregate from the ratings table.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import ColumnElement, and_, case, delete, exists, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.values import RatingDecision, RatingFacts
from aftersales.errors import Conflict, FieldError, InvalidInput, NotFound, PermissionDenied
from aftersales.identity.models import Customer
from aftersales.identity.principals import Principal
from aftersales.marketplace.models import Booking, CustomerRatingTotal, Provider, Quote, Rating
from aftersales.payments.ledger.models import Payment
from aftersales.tenancy.current import CurrentTenant

Direction = Literal["customer_rates_provider", "provider_rates_customer"]
CUSTOMER_RATES_PROVIDER: Direction = "customer_rates_provider"
PROVIDER_RATES_CUSTOMER: Direction = "provider_rates_customer"

STARS = range(1, 6)
"""Stars and every criterion are whole numbers from 1 to 5."""
MAX_COMMENT = 2000
CRITERIA: dict[Direction, tuple[str, ...]] = {
    CUSTOMER_RATES_PROVIDER: ("punctuality", "quality", "honesty", "communication"),
    PROVIDER_RATES_CUSTOMER: ("punctuality", "communication", "payment", "conduct"),
}
"""What each side may rate besides the stars. Punctuality is Carmax's booked day and hour (seed 002) both ways;
honesty is the provider doing only the requested work at the accepted price; payment is the customer paying it."""
BURST_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class Rater:
    """Who rates: a customer (rating the provider of their job) or a provider (rating its customer)."""

    direction: Direction
    account_id: uuid.UUID
    """The customer's id, or the provider's (the business, whichever of its users rates)."""

    @classmethod
    def of(cls, principal: Principal) -> Rater:
        """:raises PermissionDenied: a token that speaks for neither a customer nor a provider (staff rate no one)."""
        if principal.customer_id is not None:
            return cls(CUSTOMER_RATES_PROVIDER, principal.customer_id)
        if principal.provider_id is not None:
            return cls(PROVIDER_RATES_CUSTOMER, principal.provider_id)
        raise PermissionDenied("ratings are given by the job's customer and provider, not by staff")

    def owns(self) -> ColumnElement[bool]:
        """Bookings of this rater: the customer's own, or the provider's own."""
        if self.direction == CUSTOMER_RATES_PROVIDER:
            return Booking.customer_id == self.account_id
        return Booking.provider_id == self.account_id

    def gave(self) -> ColumnElement[bool]:
        """Ratings this rater gave."""
        account = Rating.customer_id if self.direction == CUSTOMER_RATES_PROVIDER else Rating.provider_id
        return and_(Rating.direction == self.direction, account == self.account_id)


@dataclass(frozen=True)
class NewRating:
    stars: int
    comment: str = ""
    criteria: Mapping[str, int] = field(default_factory=dict)


def rating_errors(new: NewRating, direction: Direction) -> list[FieldError]:
    """Every rule ``new`` breaks: stars and criteria 1–5, criteria from the direction's vocabulary, comment length."""
    errors = []
    if new.stars not in STARS:
        errors.append(FieldError("stars", "must be a whole number from 1 to 5"))
    if len(new.comment.strip()) > MAX_COMMENT:
        errors.append(FieldError("comment", f"must be at most {MAX_COMMENT} characters"))
    allowed = CRITERIA[direction]
    for name, value in new.criteria.items():
        if name not in allowed:
            errors.append(FieldError(f"criteria.{name}", f"is not a criterion here; use {', '.join(allowed)}"))
        elif value not in STARS:
            errors.append(FieldError(f"criteria.{name}", "must be a whole number from 1 to 5"))
    return errors


# -- giving a rating -------------------------------------------------------------------------------------------

async def rate_booking(session: AsyncSession, tenant: CurrentTenant, rater: Rater, booking_id: uuid.UUID,
                       new: NewRating, *, actor: str, now: datetime) -> Rating:
    """Rate the other side of a completed job, as the tenant's rating policy decides.

    :raises NotFound: no booking of this rater's with that id.
    :raises InvalidInput: stars, criteria or comment break a rule, or the policy refused the rating.
    :raises Conflict: the job is not completed, or this side has rated it already.
    """
    booking = await session.scalar(select(Booking).where(Booking.id == booking_id, rater.owns()))
    if booking is None:
        raise NotFound("no such booking")
    errors = rating_errors(new, rater.direction)
    if errors:
        raise InvalidInput("the rating is invalid", errors)
    if booking.state != "completed":
        raise Conflict(f"the job is {booking.state}: a job is rated only after it is completed")
    if await session.scalar(select(exists().where(Rating.booking_id == booking.id,
                                                  Rating.direction == rater.direction))):
        raise Conflict("this job has been rated by this side already; a rating is given once")
    facts = await rating_facts(session, rater, booking, new, now)
    decision: RatingDecision = tenant.hooks.aftersales_rating_policy(tenant=tenant.context, rating=facts)
    if not decision.accepted:
        raise InvalidInput("the rating was refused", [FieldError("rating", r) for r in decision.reasons])
    if not (math.isfinite(decision.weight) and decision.weight >= 0):
        raise ValueError(f"the rating policy gave the weight {decision.weight!r}; weights are finite and >= 0")
    rating = Rating(booking_id=booking.id, direction=rater.direction, provider_id=booking.provider_id,
                    customer_id=booking.customer_id, rater=actor, stars=new.stars, comment=new.comment.strip(),
                    criteria=dict(new.criteria), weight=decision.weight,
                    status="held" if decision.flagged else "counted", reasons=list(decision.reasons), created_at=now)
    try:
        async with session.begin_nested():
            session.add(rating)
            await session.flush()
    except IntegrityError:
        raise Conflict("this job has been rated by this side already; a rating is given once") from None
    if rating.status == "counted":
        await _count(session, rating)
    return rating


async def rating_facts(session: AsyncSession, rater: Rater, booking: Booking, new: NewRating,
                       now: datetime) -> RatingFacts:
    """What the policy decides on, from the database: the job, its payment, the rater's recent ratings."""
    recent = await session.scalar(select(func.count()).select_from(Rating).where(
        rater.gave(), Rating.created_at > now - BURST_WINDOW, Rating.created_at <= now))
    other = (Rating.provider_id == booking.provider_id if rater.direction == CUSTOMER_RATES_PROVIDER
             else Rating.customer_id == booking.customer_id)
    same_party = await session.scalar(select(func.count()).select_from(Rating).where(
        rater.gave(), other, Rating.status != "rejected"))
    return RatingFacts(stars=new.stars, direction=rater.direction, job_completed=booking.state == "completed",
                       job_paid=await job_paid(session, booking.id), ratings_by_rater_last_24h=recent or 0,
                       comment=new.comment.strip(), earlier_ratings_of_same_party=same_party or 0)


async def job_paid(session: AsyncSession, booking_id: uuid.UUID) -> bool:
    """Whether the job was paid through the platform: a job payment of the booking was captured (a charge alone
    is not money received); a job whose accepted quote came to 0 (all under warranty) owed nothing and counts as
    paid too."""
    captured = exists().where(Payment.purpose == "job", Payment.subject_type == "booking",
                              Payment.subject_id == booking_id, Payment.state == "captured")
    free = exists().where(Quote.booking_id == booking_id, Quote.state == "accepted", Quote.total_minor == 0)
    return bool(await session.scalar(select(or_(captured, free))))


# -- aggregates --------------------------------------------------------------------------------------------------

def _added(model: type[Provider | CustomerRatingTotal], weight: float, stars: int) -> dict[str, Any]:
    """``SET x = x + :d`` for one more counted rating: the database adds, so concurrent ratings never overwrite
    each other (PostgreSQL re-reads the row after waiting for its lock)."""
    new_weight = model.rating_weight + weight
    new_sum = model.rating_weighted_sum + weight * stars
    return {"rating_count": model.rating_count + 1, "rating_weight": new_weight, "rating_weighted_sum": new_sum,
            "rating_average": case((new_weight > 0, new_sum / new_weight), else_=None)}


async def _count(session: AsyncSession, rating: Rating) -> None:
    """Add a counted rating to the aggregate of whom it rates."""
    if rating.direction == CUSTOMER_RATES_PROVIDER:
        await session.execute(update(Provider).where(Provider.id == rating.provider_id)
                              .values(_added(Provider, rating.weight, rating.stars))
                              .execution_options(synchronize_session=False))
        return
    upsert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    await session.execute(upsert(CustomerRatingTotal).on_conflict_do_nothing(
        index_elements=["tenant_id", "customer_id"]), [{"customer_id": rating.customer_id}])
    await session.execute(update(CustomerRatingTotal).where(CustomerRatingTotal.customer_id == rating.customer_id)
                          .values(_added(CustomerRatingTotal, rating.weight, rating.stars))
                          .execution_options(synchronize_session=False))


@dataclass(frozen=True)
class Recount:
    """How many providers and customers have counted ratings after a rebuild."""

    providers: int
    customers: int


async def recount(session: AsyncSession) -> Recount:
    """Rebuild every provider's and customer's aggregate from the counted ratings: the repair for aggregates
    that drifted (a restore, a hand edit). Equals what counting one rating at a time gives."""
    for_provider = and_(Rating.direction == CUSTOMER_RATES_PROVIDER, Rating.status == "counted",
                        Rating.provider_id == Provider.id)

    def of_provider(expression: Any) -> Any:
        return select(expression).where(for_provider).scalar_subquery()

    weight, weighted = func.sum(Rating.weight), func.sum(Rating.weight * Rating.stars)
    await session.execute(update(Provider).values(
        rating_count=of_provider(func.count()), rating_weight=of_provider(func.coalesce(weight, 0.0)),
        rating_weighted_sum=of_provider(func.coalesce(weighted, 0.0)),
        rating_average=of_provider(weighted / func.nullif(weight, 0.0)),
    ).execution_options(synchronize_session=False))
    rows = (await session.execute(
        select(Rating.customer_id, func.count(), weight, weighted)
        .where(Rating.direction == PROVIDER_RATES_CUSTOMER, Rating.status == "counted")
        .group_by(Rating.customer_id))).all()
    await session.execute(delete(CustomerRatingTotal).execution_options(synchronize_session=False))
    if rows:
        await session.execute(insert(CustomerRatingTotal), [
            {"customer_id": customer, "rating_count": n, "rating_weight": w, "rating_weighted_sum": s,
             "rating_average": s / w if w > 0 else None} for customer, n, w, s in rows])
    providers = await session.scalar(select(func.count()).select_from(Provider).where(Provider.rating_count > 0))
    return Recount(providers=providers or 0, customers=len(rows))


# -- review ------------------------------------------------------------------------------------------------------

async def review(session: AsyncSession, rating_id: uuid.UUID, *, accept: bool, note: str, actor: str,
                 now: datetime) -> Rating:
    """Accept a held rating (it counts from now on, with the weight the policy gave it) or reject it (it never
    counts). Decided once: the conditional update lets exactly one of two racing reviewers through.

    :raises NotFound: no such rating. :raises Conflict: it is not held (counted, or reviewed already).
    """
    if len(note.strip()) > MAX_COMMENT:
        raise InvalidInput("the review is invalid", [FieldError("note", f"must be at most {MAX_COMMENT} characters")])
    rating = await session.scalar(select(Rating).where(Rating.id == rating_id))
    if rating is None:
        raise NotFound("no such rating")
    status = "counted" if accept else "rejected"
    verdict = f"{'accepted' if accept else 'rejected'} on review" + (f": {note.strip()}" if note.strip() else "")
    done = await session.execute(
        update(Rating).where(Rating.id == rating_id, Rating.status == "held")
        .values(status=status, reviewed_by=actor, reviewed_at=now, reasons=[*rating.reasons, verdict])
        .execution_options(synchronize_session=False))
    if done.rowcount != 1:  # type: ignore[attr-defined]
        await session.refresh(rating)
        raise Conflict(f"the rating is {rating.status}, not held for review: it is decided once")
    await session.refresh(rating)
    if accept:
        await _count(session, rating)
    return rating


# -- reads -------------------------------------------------------------------------------------------------------

def short_name(name: str) -> str:
    """A rater as the public sees them: ``Sara Example`` → ``Sara E.``; never contact details."""
    parts = name.split()
    if not parts:
        return "a customer"
    return parts[0] if len(parts) == 1 else f"{parts[0]} {parts[-1][0]}."


async def get_provider(session: AsyncSession, provider_id: uuid.UUID) -> Provider:
    """:raises NotFound: no such provider in this tenant."""
    provider = await session.scalar(select(Provider).where(Provider.id == provider_id))
    if provider is None:
        raise NotFound("no such provider")
    return provider


async def public_ratings(session: AsyncSession, provider_id: uuid.UUID, *, limit: int,
                         before: uuid.UUID | None = None) -> Sequence[tuple[Rating, str]]:
    """A provider's counted ratings from customers, newest first, each with the customer's name."""
    query = (select(Rating, Customer.name).join(Customer, Customer.id == Rating.customer_id)
             .where(Rating.provider_id == provider_id, Rating.direction == CUSTOMER_RATES_PROVIDER,
                    Rating.status == "counted"))
    if before is not None:
        query = query.where(Rating.id < before)
    return [(r, n) for r, n in (await session.execute(query.order_by(Rating.id.desc()).limit(limit))).all()]


async def given_ratings(session: AsyncSession, rater: Rater, *, limit: int,
                        before: uuid.UUID | None = None) -> Sequence[Rating]:
    """The ratings a customer or provider gave, newest first, whatever became of them."""
    query = select(Rating).where(rater.gave())
    if before is not None:
        query = query.where(Rating.id < before)
    return (await session.scalars(query.order_by(Rating.id.desc()).limit(limit))).all()


async def held_ratings(session: AsyncSession, *, limit: int, after: uuid.UUID | None = None) -> Sequence[Rating]:
    """The review queue: held ratings, oldest first."""
    query = select(Rating).where(Rating.status == "held")
    if after is not None:
        query = query.where(Rating.id > after)
    return (await session.scalars(query.order_by(Rating.id).limit(limit))).all()


async def held_customer_ratings(session: AsyncSession, provider_id: uuid.UUID) -> list[Rating]:
    """The provider's customer ratings held for review, oldest first."""
    return list(await session.scalars(select(Rating).where(
        Rating.provider_id == provider_id, Rating.status == "held", Rating.direction == CUSTOMER_RATES_PROVIDER)
        .order_by(Rating.id)))


async def held_customer_rating_counts(session: AsyncSession,
                                      provider_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    """How many customer ratings of each provider are held for review (0 for a provider with none)."""
    held = dict.fromkeys(provider_ids, 0)
    for provider_id in await session.scalars(select(Rating.provider_id).where(
            Rating.status == "held", Rating.direction == CUSTOMER_RATES_PROVIDER,
            Rating.provider_id.in_(list(held)))):
        held[provider_id] += 1
    return held


async def rating_of_provider(session: AsyncSession, provider_id: uuid.UUID, rating_id: uuid.UUID) -> Rating | None:
    """Rating ``rating_id`` when it is of provider ``provider_id``, else None."""
    return await session.scalar(select(Rating).where(Rating.id == rating_id, Rating.provider_id == provider_id))


async def customer_rating_of(session: AsyncSession, booking_id: uuid.UUID) -> Rating | None:
    """The customer's rating of the provider for this booking, if they gave one."""
    return await session.scalar(select(Rating).where(Rating.booking_id == booking_id,
                                                     Rating.direction == CUSTOMER_RATES_PROVIDER))
