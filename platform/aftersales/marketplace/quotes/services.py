"""Binding quotes: the vertical prices a booking line by line (``aftersales_quote``), the customer accepts or
declines, and the accepted quote caps what the job can be charged.

A provider (its own bookings) or staff asks for a quote; the core builds the job's facts from the booking (the
offering, the provider's price as labour, parts and consumables at the tenant's list prices, what the customer
asked for, the distance, the warranty, the hours booked, the tenant's travel rate per km) and stores the
vertical's lines with its reasons. Several quotes may be on offer; accepting one supersedes the others, and only
one is ever accepted per booking (a partial unique index holds it too). After
acceptance no new quote is taken: extra work goes through change requests.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract import values
from aftersales.contract.money import Money
from aftersales.contract.text import stored_text
from aftersales.errors import Conflict, FieldError, InvalidInput, NotFound
from aftersales.http.bodies import beyond_cap
from aftersales.identity.principals import Principal
from aftersales.marketplace.access import visible_booking
from aftersales.marketplace.models import Booking, Offering, Quote
from aftersales.marketplace.quotes.parts import ItemAsked, priced_items
from aftersales.outbox.events import QuoteAccepted
from aftersales.outbox.webhooks import emit
from aftersales.service.quotes.price_list import held_parts, rates
from aftersales.tenancy.current import CurrentTenant

OPEN_STATES = ("booked", "arrived", "in_progress")
"""Booking states in which a job can still be quoted and a quote decided."""


def lines_of(quote: values.Quote) -> list[dict[str, Any]]:
    """The vertical's lines as stored."""
    return [{"kind": line.kind, "description": stored_text(line.description), "amount_minor": line.amount.amount_minor,
             "covered_by_warranty": line.covered_by_warranty} for line in quote.lines]


async def price_job(session: AsyncSession, tenant: CurrentTenant, booking: Booking, *, labour: Money,
                    parts: Sequence[ItemAsked], consumables: Sequence[ItemAsked],
                    consumables_requested: Sequence[str], offering_label: str | None = None,
                    travel: bool = True, held: Sequence[ItemAsked] = ()) -> values.Quote:
    """Ask the vertical to price work on ``booking``; bad input (a negative labour price, parts off the price
    list, consumables the vertical refuses) is an :class:`InvalidInput` listing every reason. ``travel=False``
    prices work done on a visit already paid for (a change request): no distance is charged again. ``held``: the
    parts reserved for or issued to the booking from stock, charged at the list price like ``parts``."""
    errors = []
    if labour.amount_minor < 0:
        errors.append(FieldError("labour_minor", "must not be negative"))
    part_items, part_errors = await priced_items(session, parts, field="parts", currency=booking.currency)
    used, consumable_errors = await priced_items(session, consumables, field="consumables",
                                                 currency=booking.currency)
    held_items, held_errors = await priced_items(session, held, field="reserved_parts", currency=booking.currency)
    errors += part_errors + consumable_errors + held_errors
    if errors:
        raise InvalidInput("the job cannot be priced", errors)
    offering = (await session.scalars(select(Offering).where(Offering.id == booking.offering_id))).one()
    distance = booking.distance_km if travel else None
    job = values.JobFacts(
        offering=offering_label or offering.name, labour_price=labour, parts=held_items + part_items,
        consumables_requested=tuple(consumables_requested), consumables_used=used,
        distance_km=(booking.distance_km or 0.0) if travel else 0.0, under_warranty=booking.under_warranty,
        # A warranty here is the tenant's own: a booking under it is of a unit the tenant sold.
        sold_by_tenant=booking.registration_id is not None or booking.under_warranty,
        offering_category=offering.category, labour_hours=booked_hours(booking),
        visit_distance_km=Decimal(str(round(distance, 1))) if distance is not None else None,
        travel_rate_per_km=(await rates(session, booking.currency)).travel_per_km,
    )
    quote: values.Quote = tenant.hooks.aftersales_quote(tenant=tenant.context, job=job)
    if quote.refused:
        raise InvalidInput("the job cannot be quoted as asked",
                           [FieldError("consumables", reason) for reason in quote.refused])
    return quote


def booked_hours(booking: Booking) -> Decimal:
    """The hours the booking holds (the provider's duration for the offering), to the hundredth."""
    seconds = Decimal((booking.ends_at - booking.starts_at).total_seconds())
    return (seconds / 3600).quantize(Decimal("0.01"))


async def offer_quote(session: AsyncSession, tenant: CurrentTenant, principal: Principal, booking_id: uuid.UUID, *,
                      parts: Sequence[ItemAsked], consumables: Sequence[ItemAsked], actor: str,
                      now: datetime) -> Quote:
    """Price the booking's job and offer the quote to its customer. Not on a closed booking, nor once a quote
    was accepted (409): extra work after that needs a change request."""
    booking = await visible_booking(session, principal, booking_id, lock=True)
    if booking.state not in OPEN_STATES:
        raise Conflict(f"the booking is {booking.state}: it can no longer be quoted")
    if await accepted_quote(session, booking.id) is not None:
        raise Conflict("a quote for this booking was accepted; extra work needs a change request")
    priced = await price_job(session, tenant, booking, labour=Money(booking.price_minor, booking.currency),
                             parts=parts, consumables=consumables,
                             consumables_requested=booking.consumables_requested,
                             held=await held_parts(session, booking_id=booking.id))
    if too_much := beyond_cap("parts", priced.total(booking.currency), "the quote's total"):
        raise InvalidInput("the quote is too large", too_much)
    quote = Quote(booking_id=booking.id, state="offered", lines=lines_of(priced),
                  total_minor=priced.total(booking.currency).amount_minor, currency=booking.currency,
                  reasons=list(priced.reasons), fee_basis_points=priced.platform_fee_bps, binding=priced.binding,
                  extra_work_needs_consent=priced.extra_work_needs_consent, offered_by=actor, offered_at=now)
    session.add(quote)
    await session.flush()
    return quote


async def quotes_of(session: AsyncSession, principal: Principal, booking_id: uuid.UUID) -> Sequence[Quote]:
    """A booking's quotes, oldest first."""
    booking = await visible_booking(session, principal, booking_id)
    return (await session.scalars(select(Quote).where(Quote.booking_id == booking.id)
                                  .order_by(Quote.offered_at, Quote.id))).all()


async def accepted_quote(session: AsyncSession, booking_id: uuid.UUID) -> Quote | None:
    """The booking's accepted quote, if any."""
    return await session.scalar(select(Quote).where(Quote.booking_id == booking_id, Quote.state == "accepted"))


async def _offered(session: AsyncSession, principal: Principal, quote_id: uuid.UUID) -> tuple[Quote, Booking]:
    quote = await session.scalar(select(Quote).where(Quote.id == quote_id))
    if quote is None:
        raise NotFound("no such quote")
    try:
        booking = await visible_booking(session, principal, quote.booking_id, lock=True)
    except NotFound:
        raise NotFound("no such quote") from None
    await session.refresh(quote)
    if quote.state != "offered":
        raise Conflict(f"the quote is {quote.state}, no longer on offer")
    if booking.state not in OPEN_STATES:
        raise Conflict(f"the booking is {booking.state}")
    return quote, booking


async def accept_quote(session: AsyncSession, principal: Principal, quote_id: uuid.UUID, *, actor: str,
                       now: datetime) -> Quote:
    """The customer accepts: the quote binds, and every other quote on offer for the booking is superseded."""
    quote, booking = await _offered(session, principal, quote_id)
    await session.execute(update(Quote).where(Quote.booking_id == booking.id, Quote.state == "offered",
                                              Quote.id != quote.id)
                          .values(state="superseded", decided_by=actor, decided_at=now)
                          .execution_options(synchronize_session="fetch"))
    quote.state, quote.decided_by, quote.decided_at = "accepted", actor, now
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise Conflict("another quote for this booking was accepted") from None
    await emit(session, QuoteAccepted(quote_id=quote.id, booking_id=booking.id, request_id=None,
                                      total_minor=quote.total_minor, currency=quote.currency, accepted_at=now),
               key=quote.id, now=now)
    return quote


async def decline_quote(session: AsyncSession, principal: Principal, quote_id: uuid.UUID, *, actor: str,
                        now: datetime) -> Quote:
    """The customer declines a quote on offer."""
    quote, _ = await _offered(session, principal, quote_id)
    quote.state, quote.decided_by, quote.decided_at = "declined", actor, now
    await session.flush()
    return quote


async def cancel_quotes(session: AsyncSession, booking_id: uuid.UUID, *, actor: str, now: datetime) -> None:
    """When a booking is cancelled: an accepted quote is recorded as cancelled (a quote taken through the app and
    then cancelled is outside the platform, seed 002) and quotes on offer are declined."""
    for state, becomes in (("accepted", "cancelled"), ("offered", "declined")):
        await session.execute(update(Quote).where(Quote.booking_id == booking_id, Quote.state == state)
                              .values(state=becomes, decided_by=actor, decided_at=now)
                              .execution_options(synchronize_session="fetch"))
