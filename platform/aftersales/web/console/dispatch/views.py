"""Visits as the dispatch pages show them: each with its customer (name, phone), the job it serves (request
number or booking) and the parts reserved for it, read through the owning domains' services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.dispatch.models import Visit
from aftersales.identity.customers import customer_by_id
from aftersales.identity.models import Customer
from aftersales.identity.principals import Principal
from aftersales.marketplace.access import visible_booking
from aftersales.service.requests.services import get_request

if TYPE_CHECKING:
    from aftersales.dispatch.day_sheet import PartToBring


@dataclass(frozen=True)
class VisitLine:
    """A visit with who and what it is for."""

    visit: Visit
    customer: str
    phone: str | None
    reference: str
    parts: tuple[PartToBring, ...] = ()
    """The job's open reservations (the day sheet's; the board shows none)."""


@dataclass(frozen=True)
class Days:
    """A page's day and its neighbours (the links to the day before and after)."""

    day: date

    @property
    def previous(self) -> date:
        return self.day - timedelta(days=1)

    @property
    def following(self) -> date:
        return self.day + timedelta(days=1)


async def visit_line(session: AsyncSession, who: Principal, visit: Visit, *, customer: Customer | None = None,
                     parts: tuple[PartToBring, ...] = ()) -> VisitLine:
    """``visit`` with its customer and reference (``#1042`` for a request, the booking's short id otherwise);
    ``who`` reads the booking (a provider's technician reaches their provider's bookings only)."""
    if visit.request_id is not None:
        job = await get_request(session, visit.request_id)
        customer_id, reference = job.customer_id, f"#{job.number}"
    else:
        assert visit.booking_id is not None  # a visit serves a request or a booking
        booking = await visible_booking(session, who, visit.booking_id)
        customer_id, reference = booking.customer_id, str(booking.id)[:8]
    customer = customer or await customer_by_id(session, customer_id)
    return VisitLine(visit, customer.name if customer else "—", customer.phone if customer else None, reference,
                     parts)
