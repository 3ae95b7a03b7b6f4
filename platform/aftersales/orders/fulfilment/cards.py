"""Festival (promotion) cards: promised at sale, owed until installation, then issued or refused with the reason.

Seed 001: "festival cards are owed when promised at sale; the technician confirms the purchase date from the
invoice". A card is promised for a festival with its purchase window; at installation the technician reads the
invoice's date, and each owed card is issued when that date falls in its window (both ends included), refused
otherwise with the dates that decided it.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.text import CORE_DOMAIN, messages
from aftersales.errors import Conflict, FieldError, InvalidInput
from aftersales.http.date_windows import EARLIEST_PURCHASE, window_problems
from aftersales.orders.fulfilment.models import CardState, FestivalCard
from aftersales.orders.fulfilment.moves import get_order, local_day
from aftersales.orders.models import OrderState
from aftersales.tenancy.current import CurrentTenant

_ = messages(CORE_DOMAIN)
MAX_FESTIVAL = 200
WINDOW_AHEAD = timedelta(days=2 * 366)
"""A festival's purchases end at most two years ahead (a later date is a typo)."""
CLOSED = (OrderState.INSTALLED, OrderState.CANCELLED)


async def promise_card(session: AsyncSession, tenant: CurrentTenant, order_id: uuid.UUID, festival: str,
                       purchases_from: date, purchases_until: date, *, actor: str, now: datetime) -> FestivalCard:
    """Record a card promised at sale on the order: owed from now.

    :raises InvalidInput: a bad name or window (nothing written). :raises Conflict: the order is installed or
        cancelled (its cards were decided, or are not owed).
    """
    order = await get_order(session, order_id, lock=True)
    name = festival.strip()
    errors: list[FieldError] = []
    if not name or len(name) > MAX_FESTIVAL:
        errors.append(FieldError("festival", f"must be 1 to {MAX_FESTIVAL} characters", code="festival_card.name",
                                 params={"limit": MAX_FESTIVAL}))
    latest = local_day(tenant, now) + WINDOW_AHEAD
    errors += window_problems(purchases_from, "purchases_from", EARLIEST_PURCHASE, latest)
    errors += window_problems(purchases_until, "purchases_until", EARLIEST_PURCHASE, latest)
    if purchases_until < purchases_from:
        errors.append(FieldError("purchases_until", "must not be before purchases_from",
                                 code="festival_card.window_reversed"))
    if errors:
        raise InvalidInput("the festival card cannot be recorded", errors)
    if order.state in CLOSED:
        raise Conflict(f"order #{order.number} is {order.state}: no card can be promised on it any more",
                       code="fulfilment.wrong_state", params={"number": order.number, "state": order.state})
    card = FestivalCard(order_id=order.id, festival=name, purchases_from=purchases_from,
                        purchases_until=purchases_until, promised_by=actor, created_at=now)
    session.add(card)
    await session.flush()
    return card


async def cards_of(session: AsyncSession, order_id: uuid.UUID) -> list[FestivalCard]:
    """The order's cards, oldest promise first."""
    return list(await session.scalars(select(FestivalCard).where(FestivalCard.order_id == order_id)
                                      .order_by(FestivalCard.created_at, FestivalCard.id)))


async def decide_cards(session: AsyncSession, order_id: uuid.UUID, invoice_date: date, *, actor: str,
                       now: datetime) -> list[FestivalCard]:
    """Issue or refuse every owed card of the order by the invoice's date; returns the cards decided."""
    decided = []
    for card in await cards_of(session, order_id):
        if card.state != CardState.OWED:
            continue
        window = {"festival": card.festival, "purchases_from": card.purchases_from,
                  "purchases_until": card.purchases_until, "invoice_date": invoice_date}
        if card.purchases_from <= invoice_date <= card.purchases_until:
            card.state = CardState.ISSUED.value
            card.reason = _("bought on {invoice_date}, within the {festival} purchases ({purchases_from} to "
                            "{purchases_until})", **window)
        else:
            card.state = CardState.REFUSED.value
            card.reason = _("the invoice is dated {invoice_date}, outside the {festival} purchases ({purchases_from} "
                            "to {purchases_until})", **window)
        card.invoice_date, card.decided_at, card.decided_by = invoice_date, now, actor
        decided.append(card)
    await session.flush()
    return decided
