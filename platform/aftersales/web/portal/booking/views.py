"""What the customer's booking pages show, read through the same services as the API, as the customer.

Every read goes through the marketplace's access rule (:func:`~aftersales.marketplace.access.visible_booking`):
another customer's booking, or one of another tenant, is simply not found (404).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.contract.text import loaded_text
from aftersales.identity.principals import Principal
from aftersales.marketplace.access import visible_booking
from aftersales.marketplace.bookings.services import list_bookings, names_of, party_of, provider_and_offering
from aftersales.marketplace.changes import services as change_requests
from aftersales.marketplace.charges import services as charges
from aftersales.marketplace.models import Booking, ChangeRequest, JobCharge, Offering, Provider, Quote, Rating
from aftersales.marketplace.quotes import services as quotes
from aftersales.marketplace.ratings.services import customer_rating_of, job_paid
from aftersales.payments.customer_payments.services import live_job_payment
from aftersales.payments.ledger.models import Payment

MAX_LISTED = 100
"""The customer's bookings listed on one page, latest start first."""


@dataclass(frozen=True)
class Line:
    """One line of a quote or a change request, in money."""

    kind: str
    description: str
    amount: Money
    covered_by_warranty: bool


def lines_of(raw: Sequence[dict[str, Any]], currency: str) -> list[Line]:
    """Stored quote lines as the page shows them."""
    return [Line(line["kind"], loaded_text(line["description"]), Money(line["amount_minor"], currency),
                 bool(line["covered_by_warranty"])) for line in raw]


@dataclass(frozen=True)
class Listed:
    """A booking in the customer's list: when, with whom, for what, and its state."""

    booking: Booking
    provider_name: str
    offering_name: str


@dataclass(frozen=True)
class BookingView:
    """Everything the booking's page shows: the job, its quotes and extra work, its charges, whether a payment
    is due (``pay_due``) or under way, and the customer's rating if given."""

    booking: Booking
    provider: Provider
    offering: Offering
    quotes: Sequence[Quote]
    changes: Sequence[ChangeRequest]
    charges: Sequence[JobCharge]
    payment: Payment | None
    pay_due: bool
    paid: bool
    rating: Rating | None

    @property
    def price(self) -> Money:
        return Money(self.booking.price_minor, self.booking.currency)

    def lines(self, record: Quote | ChangeRequest) -> list[Line]:
        return lines_of(record.lines, record.currency)

    def money(self, amount_minor: int) -> Money:
        return Money(amount_minor, self.booking.currency)

    @property
    def can_rate(self) -> bool:
        return self.booking.state == "completed" and self.rating is None


async def my_bookings(session: AsyncSession, principal: Principal) -> list[Listed]:
    """The customer's bookings, latest start first, with provider and offering names."""
    rows = await list_bookings(session, party_of(principal), limit=MAX_LISTED)
    providers, offerings = await names_of(session, rows)
    return [Listed(b, providers.get(b.provider_id, ""), offerings.get(b.offering_id, "")) for b in reversed(rows)]


async def booking_view(session: AsyncSession, principal: Principal, booking_id: uuid.UUID) -> BookingView:
    """The customer's booking with everything about it. :raises NotFound: not the customer's (or no such)."""
    booking = await visible_booking(session, principal, booking_id)
    provider, offering = await provider_and_offering(session, booking)
    due = await charges.charge_due(session, booking.id)
    payment = await live_job_payment(session, booking.id)
    rating = await customer_rating_of(session, booking.id)
    return BookingView(
        booking=booking, provider=provider, offering=offering,
        quotes=await quotes.quotes_of(session, principal, booking.id),
        changes=await change_requests.changes_of(session, principal, booking.id),
        charges=[c for c in await charges.charges_of(session, principal, booking.id) if c.outcome == "created"],
        payment=payment, pay_due=due is not None and payment is None,
        paid=await job_paid(session, booking.id), rating=rating)
