"""Booking endpoints: book (a customer for themself, the call centre for a customer), look up and list, cancel,
reschedule, the provider's record of arrival, start, completion and no-show, and the provider's day.

Staff reach every booking of the tenant; a provider user only its provider's, a customer only their own (someone
else's booking is not found: 404). The rules live in :mod:`aftersales.marketplace.bookings.services`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.db.base import utcnow
from aftersales.http.context import TOKEN_TENANT, SessionDep, TenantDep
from aftersales.http.date_windows import check_schedule
from aftersales.http.paging import DEFAULT_LIMIT, Page, check_limit, decode_cursor, invalid_cursor, split_page
from aftersales.identity.guards import current_principal, requires_any_scope
from aftersales.identity.scopes import BOOKINGS_WRITE, CUSTOMER_SELF, MARKETPLACE_READ, PROVIDER_WORK
from aftersales.marketplace.access import visible_booking
from aftersales.marketplace.bookings import services as service
from aftersales.marketplace.bookings.schemas import (
    BookingIn,
    BookingOut,
    CancelIn,
    ProviderDayOut,
    RescheduleIn,
    booking_out,
)
from aftersales.marketplace.bookings.states import BookingState, Move

READ = requires_any_scope(MARKETPLACE_READ, BOOKINGS_WRITE, PROVIDER_WORK, CUSTOMER_SELF)
BOOK = requires_any_scope(BOOKINGS_WRITE, CUSTOMER_SELF)
CANCEL = requires_any_scope(BOOKINGS_WRITE, PROVIDER_WORK, CUSTOMER_SELF)
PROVIDER_MOVES = requires_any_scope(PROVIDER_WORK, BOOKINGS_WRITE)


def _party(request: Request[Any, Any, Any]) -> service.Party:
    return service.party_of(current_principal(request))


class BookingController(Controller):
    """Bookings of the tenant's marketplace, addressed by id; lists by start time."""

    path = "/api/v1/marketplace"
    tags = ("marketplace",)
    dependencies = TOKEN_TENANT

    @post("/bookings", operation_id="book", guards=[BOOK])
    async def book(self, request: Request[Any, Any, Any], data: JSONBody[BookingIn], session: SessionDep,
                   tenant: TenantDep) -> BookingOut:
        """Book a provider's offering at a time; 409 when someone else took that time first."""
        booking = await service.book(session, tenant, _party(request), data.to_new(), now=utcnow())
        return booking_out(booking)

    @get("/bookings", operation_id="listBookings", guards=[READ])
    async def list_bookings(self, request: Request[Any, Any, Any], session: SessionDep, tenant: TenantDep,
                            provider_id: FromQuery[UUID | None] = None,
                            customer_id: FromQuery[UUID | None] = None,
                            in_state: Annotated[BookingState | None, QueryParameter(name="state")] = None,
                            on: Annotated[date | None, QueryParameter(name="day")] = None,
                            limit: FromQuery[int] = DEFAULT_LIMIT,
                            cursor: FromQuery[str | None] = None) -> Page[BookingOut]:
        """Bookings by start time: a customer's own, a provider's own, or for staff any, filtered by provider,
        customer, state and tenant-local day. Pass ``next_cursor`` back as ``cursor``."""
        after = None
        if cursor is not None:
            start, last = decode_cursor(cursor, 2)
            try:
                after = (datetime.fromisoformat(str(start)), UUID(str(last)))
            except ValueError:
                raise invalid_cursor() from None
        rows = await service.list_bookings(
            session, _party(request), provider_id=provider_id, customer_id=customer_id,
            state=in_state.value if in_state else None,
            between=service.day_bounds(tenant, on) if on is not None else None,
            limit=check_limit(limit) + 1, after=after)
        page, next_cursor = split_page(rows, limit, lambda b: (b.starts_at.isoformat(), str(b.id)))
        return Page(items=[booking_out(b) for b in page], next_cursor=next_cursor)

    @get("/bookings/{booking_id:uuid}", operation_id="getBooking", guards=[READ])
    async def get_booking(self, request: Request[Any, Any, Any], booking_id: FromPath[UUID],
                          session: SessionDep) -> BookingOut:
        """One booking."""
        return booking_out(await visible_booking(session, _party(request), booking_id))

    @post("/bookings/{booking_id:uuid}/cancel", operation_id="cancelBooking", status_code=200, guards=[CANCEL])
    async def cancel(self, request: Request[Any, Any, Any], booking_id: FromPath[UUID], data: JSONBody[CancelIn],
                     session: SessionDep) -> BookingOut:
        """Cancel a booking that has not started; its time is freed and an accepted quote is recorded as
        cancelled. A customer cancels up to two hours before; a provider says why."""
        booking = await service.cancel(session, _party(request), booking_id, reason=data.reason, now=utcnow())
        return booking_out(booking)

    @post("/bookings/{booking_id:uuid}/reschedule", operation_id="rescheduleBooking", guards=[BOOK])
    async def reschedule(self, request: Request[Any, Any, Any], booking_id: FromPath[UUID],
                         data: JSONBody[RescheduleIn], session: SessionDep, tenant: TenantDep) -> BookingOut:
        """Move a booking: the answer is the new booking (``rescheduled_from_id`` names the old, now cancelled).
        When the new time cannot be had the old booking stays as it was."""
        booking = await service.reschedule(session, tenant, _party(request), booking_id, data.starts_at,
                                           now=utcnow())
        return booking_out(booking)

    @post("/bookings/{booking_id:uuid}/arrival", operation_id="recordArrival", status_code=200,
          guards=[PROVIDER_MOVES])
    async def arrival(self, request: Request[Any, Any, Any], booking_id: FromPath[UUID],
                      session: SessionDep) -> BookingOut:
        """The customer arrived (now): by the booked time plus the grace period they are served first."""
        return await _move(request, session, booking_id, Move.ARRIVE)

    @post("/bookings/{booking_id:uuid}/start", operation_id="startWork", status_code=200, guards=[PROVIDER_MOVES])
    async def start(self, request: Request[Any, Any, Any], booking_id: FromPath[UUID],
                    session: SessionDep) -> BookingOut:
        """Work started."""
        return await _move(request, session, booking_id, Move.START)

    @post("/bookings/{booking_id:uuid}/completion", operation_id="completeWork", status_code=200,
          guards=[PROVIDER_MOVES])
    async def completion(self, request: Request[Any, Any, Any], booking_id: FromPath[UUID],
                         session: SessionDep) -> BookingOut:
        """Work completed (from in progress, or from arrived for a job done at once)."""
        return await _move(request, session, booking_id, Move.COMPLETE)

    @post("/bookings/{booking_id:uuid}/no-show", operation_id="recordNoShow", status_code=200,
          guards=[PROVIDER_MOVES])
    async def no_show(self, request: Request[Any, Any, Any], booking_id: FromPath[UUID],
                      session: SessionDep) -> BookingOut:
        """The customer never came: allowed once the booked time plus the grace period has passed; the rest of
        the booking's time is freed."""
        return await _move(request, session, booking_id, Move.NO_SHOW)

    @get("/providers/{provider_id:uuid}/day", operation_id="providerDay", guards=[
        requires_any_scope(MARKETPLACE_READ, PROVIDER_WORK)])
    async def provider_day(self, request: Request[Any, Any, Any], provider_id: FromPath[UUID],
                           on: Annotated[date, QueryParameter(name="date")], session: SessionDep,
                           tenant: TenantDep) -> ProviderDayOut:
        """A provider's day (tenant-local date) in the order to serve it: on-time arrivals first."""
        check_schedule(on, "date", tenant.today())
        rows = await service.provider_day(session, tenant, _party(request), provider_id, on)
        return ProviderDayOut(provider_id=provider_id, date=on, bookings=[booking_out(b) for b in rows])


async def _move(request: Request[Any, Any, Any], session: AsyncSession, booking_id: UUID, move: Move) -> BookingOut:
    booking = await service.provider_move(session, _party(request), booking_id, move, now=utcnow())
    return booking_out(booking)
