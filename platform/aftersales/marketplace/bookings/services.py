"""Bookings: a customer's job with a provider at a day and hour, held so no one else can take that time.

A booking is checked before anything is written: the provider is active and offers the offering, the start is a
bookable slot of the provider's week (:func:`~aftersales.marketplace.availability.services.check_bookable`), a named
registration belongs to the customer (its coverage on the booking day decides ``under_warranty``), an
in-warranty job of an offering that needs authorisation goes only to a provider authorised that day (Entekhab),
and a site lies within the service radius of one of the provider's locations. Then one ``BookedSlot`` per slot
unit is inserted: their unique key lets exactly one of two racing bookings commit, and the loser gets a
:class:`~aftersales.errors.Conflict` with nothing written.

Who reaches which booking is decided here, not in the web layer: a provider user only its provider's bookings,
a customer only their own, staff all of the tenant's; anyone else's booking is simply not found.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from haversine import Unit, haversine
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.errors import Conflict, FieldError, InvalidInput, NotFound
from aftersales.http.date_windows import check_schedule
from aftersales.identity.models import Customer
from aftersales.identity.principals import Principal
from aftersales.marketplace.access import visible, visible_booking
from aftersales.marketplace.availability.services import bookable_errors, load_week, units
from aftersales.marketplace.bookings.states import (
    ARRIVAL_GRACE,
    CUSTOMER_NOTICE,
    BookingState,
    Move,
    next_state,
)
from aftersales.marketplace.models import (
    BookedSlot,
    Booking,
    Offering,
    Provider,
    ProviderLocation,
    ProviderOffering,
)
from aftersales.marketplace.quotes import services as quotes
from aftersales.outbox.events import BookingCancelled, BookingCompleted, BookingCreated, BookingNoShow
from aftersales.outbox.webhooks import emit
from aftersales.service.models import ServiceRequest
from aftersales.tenancy.current import CurrentTenant
from aftersales.warranty.models import Registration, RegistrationStatus
from aftersales.warranty.registrations.coverage import current_coverage, status_on

TAKEN = "that time was just taken"


@dataclass(frozen=True)
class Party:
    """Who acts on bookings, and whose they reach: a provider user (``provider_id``), a customer
    (``customer_id``) or the tenant's staff and API clients (neither)."""

    actor: str
    provider_id: uuid.UUID | None = None
    customer_id: uuid.UUID | None = None

    @property
    def is_staff(self) -> bool:
        return self.provider_id is None and self.customer_id is None


def party_of(principal: Principal) -> Party:
    """The party an access token speaks for."""
    return Party(f"{principal.kind}:{principal.subject}", principal.provider_id, principal.customer_id)


@dataclass(frozen=True)
class Site:
    """Where the job is done, when the provider comes to the customer."""

    latitude: float
    longitude: float


@dataclass(frozen=True)
class NewBooking:
    """What a booking asks for; ``customer_id`` is given by staff only (a customer books for themself)."""

    provider_id: uuid.UUID
    offering_id: uuid.UUID
    starts_at: datetime
    customer_id: uuid.UUID | None = None
    registration_id: uuid.UUID | None = None
    request_id: uuid.UUID | None = None
    site: Site | None = None
    consumables: tuple[str, ...] = ()
    note: str = ""


async def book(session: AsyncSession, tenant: CurrentTenant, party: Party, new: NewBooking, *,
               now: datetime, rescheduled_from: uuid.UUID | None = None) -> Booking:
    """Check ``new`` and hold its time. :raises InvalidInput: every reason it cannot be booked (nothing
    written). :raises Conflict: the time was taken by another booking first (nothing written)."""
    if new.starts_at.tzinfo is None:
        raise InvalidInput("that cannot be booked", [FieldError("starts_at", "give the time with its UTC offset")])
    check_schedule(new.starts_at, "starts_at", tenant.today())
    errors: list[FieldError] = []
    customer_id = await _customer(session, party, new.customer_id, errors)
    provider = await session.scalar(select(Provider).where(Provider.id == new.provider_id))
    if provider is None:
        errors.append(FieldError("provider_id", "no such provider"))
    elif provider.status != "active":
        errors.append(FieldError("provider_id", f"the provider is {provider.status} and takes no bookings"))
    offering, price = await _offering(session, new, errors) if provider is not None else (None, None)
    if customer_id is not None:
        await _check_request(session, new.request_id, customer_id, errors)
    if errors or provider is None or offering is None or price is None or customer_id is None:
        raise InvalidInput("that cannot be booked", errors)

    duration = timedelta(minutes=price.duration_minutes)
    week = await load_week(session, provider.id, between=(new.starts_at - timedelta(days=1),
                                                          new.starts_at + duration + timedelta(days=1)))
    errors += bookable_errors(tenant.calendar, week, new.starts_at, duration, now=now)
    day = new.starts_at.astimezone(tenant.calendar.zone).date()
    under_warranty = await _under_warranty(session, new.registration_id, customer_id, day, errors)
    if under_warranty and offering.warranty_needs_authorisation and not _authorised_on(provider, day):
        errors.append(FieldError("provider_id", (
            f"in-warranty {offering.name.lower()} is done only by a provider the company has authorised, and this "
            f"provider is not authorised on {day.isoformat()}")))
    location, distance = await _site_location(session, provider.id, new.site, errors)
    if errors:
        raise InvalidInput("that cannot be booked", errors)

    booking = Booking(
        provider_id=provider.id, offering_id=offering.id, customer_id=customer_id, location_id=location,
        starts_at=new.starts_at, ends_at=new.starts_at + duration, state=BookingState.BOOKED.value,
        price_minor=price.price_minor, currency=price.currency, request_id=new.request_id,
        registration_id=new.registration_id, under_warranty=under_warranty,
        site_latitude=new.site.latitude if new.site else None, site_longitude=new.site.longitude if new.site else None,
        distance_km=distance, consumables_requested=list(new.consumables), note=new.note, booked_by=party.actor,
        rescheduled_from_id=rescheduled_from,
    )
    await _hold(session, booking, units(new.starts_at, duration))
    await emit(session, BookingCreated(
        booking_id=booking.id, provider_id=booking.provider_id, offering_id=booking.offering_id,
        customer_id=booking.customer_id, request_id=booking.request_id, starts_at=booking.starts_at,
        ends_at=booking.ends_at, price_minor=booking.price_minor, currency=booking.currency,
        rescheduled_from_id=booking.rescheduled_from_id,
    ), key=booking.id, now=now)
    return booking


async def cancel(session: AsyncSession, party: Party, booking_id: uuid.UUID, *, reason: str,
                 now: datetime) -> Booking:
    """Cancel a booking that has not started and free its time; an accepted quote is recorded as cancelled.

    :raises InvalidInput: a provider gave no reason. :raises Conflict: it started or ended, or a customer is
    inside :data:`~aftersales.marketplace.bookings.states.CUSTOMER_NOTICE`.
    """
    if party.provider_id is not None and not reason.strip():
        raise InvalidInput("say why", [FieldError("reason", "a provider cancelling tells the customer why")])
    booking = await visible_booking(session, party, booking_id, lock=True)
    state = next_state(booking.state, Move.CANCEL)
    _check_notice(party, booking, now, "cancel")
    await _close(session, booking, state, party, reason, now)
    return booking


async def reschedule(session: AsyncSession, tenant: CurrentTenant, party: Party, booking_id: uuid.UUID,
                     starts_at: datetime, *, now: datetime) -> Booking:
    """Move a booking to ``starts_at`` in one transaction: a new booking (``rescheduled_from_id``) checked as
    any booking is, and the old one cancelled. If the new time cannot be had, the old booking stays as it was.
    """
    old = await visible_booking(session, party, booking_id, lock=True)
    next_state(old.state, Move.RESCHEDULE)
    _check_notice(party, old, now, "reschedule")
    site = Site(old.site_latitude, old.site_longitude) if old.site_latitude is not None else None
    new = NewBooking(provider_id=old.provider_id, offering_id=old.offering_id, starts_at=starts_at,
                     customer_id=old.customer_id, registration_id=old.registration_id, request_id=old.request_id,
                     site=site, consumables=tuple(old.consumables_requested or ()), note=old.note)
    try:
        async with session.begin_nested():
            await _close(session, old, BookingState.CANCELLED, party, f"rescheduled to {starts_at.isoformat()}", now)
            return await book(session, tenant, party, new, now=now, rescheduled_from=old.id)
    except (InvalidInput, Conflict):
        await session.refresh(old)
        raise


async def provider_move(session: AsyncSession, party: Party, booking_id: uuid.UUID, move: Move, *,
                        now: datetime) -> Booking:
    """The provider records what happened: the customer arrived, work started, work completed, or the customer
    never came. :raises Conflict: the move is not allowed from the booking's state, or a no-show is recorded
    before the booked time plus :data:`ARRIVAL_GRACE` has passed."""
    booking = await visible_booking(session, party, booking_id, lock=True)
    state = next_state(booking.state, move)
    if move is Move.NO_SHOW:
        due = booking.starts_at + ARRIVAL_GRACE
        if now < due:
            raise Conflict(f"a customer is a no-show only from {ARRIVAL_GRACE.seconds // 60} minutes after the "
                           f"booked time ({due.isoformat()})")
        booking.no_show_at = now
        await free_units(session, booking, from_=now)
    elif move is Move.ARRIVE:
        booking.arrived_at = now
    elif move is Move.START:
        booking.started_at = now
    elif move is Move.COMPLETE:
        booking.completed_at = now
    booking.state = state.value
    await session.flush()
    if move is Move.COMPLETE:
        await emit(session, BookingCompleted(booking_id=booking.id, provider_id=booking.provider_id,
                                             customer_id=booking.customer_id, completed_at=now),
                   key=booking.id, now=now)
    elif move is Move.NO_SHOW:
        await emit(session, BookingNoShow(booking_id=booking.id, provider_id=booking.provider_id,
                                          customer_id=booking.customer_id, recorded_at=now),
                   key=booking.id, now=now)
    return booking


def arrived_on_time(booking: Booking) -> bool:
    """Whether the customer arrived by the booked time plus :data:`ARRIVAL_GRACE` (Carmax: served first)."""
    return booking.arrived_at is not None and booking.arrived_at <= booking.starts_at + ARRIVAL_GRACE


def day_bounds(tenant: CurrentTenant, day: date) -> tuple[datetime, datetime]:
    """The UTC instants a tenant-local day runs between."""
    zone = tenant.calendar.zone
    start = datetime.combine(day, time(0), tzinfo=zone)
    return start.astimezone(UTC), datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)


async def provider_day(session: AsyncSession, tenant: CurrentTenant, party: Party, provider_id: uuid.UUID,
                       day: date) -> list[Booking]:
    """A provider's bookings of a tenant-local day, cancelled ones left out, in the order to serve them:
    customers who arrived on time first in booked order, then everyone else in booked order (Carmax: a customer
    who arrives at the booked time gets priority; one who comes outside it may wait).

    :raises NotFound: no such provider, or another provider's day."""
    if party.customer_id is not None or party.provider_id not in (None, provider_id):
        raise NotFound("no such provider")
    if await session.scalar(select(Provider.id).where(Provider.id == provider_id)) is None:
        raise NotFound("no such provider")
    start, end = day_bounds(tenant, day)
    rows = await session.scalars(select(Booking).where(
        Booking.provider_id == provider_id, Booking.starts_at >= start, Booking.starts_at < end,
        Booking.state != BookingState.CANCELLED.value))
    return sorted(rows, key=lambda b: (not arrived_on_time(b), b.starts_at, b.id))


async def names_of(session: AsyncSession,
                   bookings: Sequence[Booking]) -> tuple[dict[uuid.UUID, str], dict[uuid.UUID, str]]:
    """The names of the bookings' providers and of their offerings, each by id."""
    return (await _names(session, Provider, {b.provider_id for b in bookings}),
            await _names(session, Offering, {b.offering_id for b in bookings}))


async def _names(session: AsyncSession, model: type[Provider | Offering], ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    rows = await session.execute(select(model.id, model.name).where(model.id.in_(ids)))
    return {row_id: name for row_id, name in rows}


async def provider_and_offering(session: AsyncSession, booking: Booking) -> tuple[Provider, Offering]:
    """The provider a booking is with and the offering it is for."""
    provider = (await session.scalars(select(Provider).where(Provider.id == booking.provider_id))).one()
    offering = (await session.scalars(select(Offering).where(Offering.id == booking.offering_id))).one()
    return provider, offering


async def list_bookings(session: AsyncSession, party: Party, *, provider_id: uuid.UUID | None = None,
                        customer_id: uuid.UUID | None = None, state: str | None = None,
                        between: tuple[datetime, datetime] | None = None, limit: int,
                        after: tuple[datetime, uuid.UUID] | None = None) -> Sequence[Booking]:
    """``party``'s bookings by start time, filtered; ``after`` is the last (start, id) of the previous page."""
    query = visible(select(Booking), party).order_by(Booking.starts_at, Booking.id).limit(limit)
    if provider_id is not None:
        query = query.where(Booking.provider_id == provider_id)
    if customer_id is not None:
        query = query.where(Booking.customer_id == customer_id)
    if state is not None:
        query = query.where(Booking.state == state)
    if between is not None:
        query = query.where(Booking.starts_at >= between[0], Booking.starts_at < between[1])
    if after is not None:
        start, last_id = after
        query = query.where((Booking.starts_at > start) | ((Booking.starts_at == start) & (Booking.id > last_id)))
    return (await session.scalars(query)).all()


async def free_units(session: AsyncSession, booking: Booking, *, from_: datetime | None = None) -> None:
    """Give back a booking's slot units (only those starting at or after ``from_`` when given)."""
    query = delete(BookedSlot).where(BookedSlot.booking_id == booking.id)
    if from_ is not None:
        query = query.where(BookedSlot.starts_at >= from_)
    await session.execute(query)


async def _close(session: AsyncSession, booking: Booking, state: BookingState, party: Party, reason: str,
                 now: datetime) -> None:
    booking.state = state.value
    booking.cancelled_at, booking.cancelled_by, booking.cancel_reason = now, party.actor, reason.strip() or None
    await free_units(session, booking)
    await quotes.cancel_quotes(session, booking.id, actor=party.actor, now=now)
    await session.flush()
    await emit(session, BookingCancelled(booking_id=booking.id, cancelled_by=party.actor,
                                         reason=booking.cancel_reason, cancelled_at=now), key=booking.id, now=now)


def _check_notice(party: Party, booking: Booking, now: datetime, verb: str) -> None:
    if party.customer_id is not None and booking.starts_at - now < CUSTOMER_NOTICE:
        hours = CUSTOMER_NOTICE.total_seconds() / 3600
        raise Conflict(f"a customer can {verb} up to {hours:g} hours before the booked time; "
                       "ask the provider or the company to do it now")


async def _hold(session: AsyncSession, booking: Booking, held: list[datetime]) -> None:
    """Insert the booking and its slot units in a savepoint: a unit someone else holds undoes both."""
    try:
        async with session.begin_nested():
            session.add(booking)
            await session.flush()
            session.add_all(BookedSlot(provider_id=booking.provider_id, booking_id=booking.id, starts_at=unit)
                            for unit in held)
            await session.flush()
    except IntegrityError:
        raise Conflict(TAKEN) from None


async def _customer(session: AsyncSession, party: Party, given: uuid.UUID | None,
                    errors: list[FieldError]) -> uuid.UUID | None:
    if party.customer_id is not None:
        if given is not None and given != party.customer_id:
            errors.append(FieldError("customer_id", "a customer books for themself"))
        return party.customer_id
    if given is None:
        errors.append(FieldError("customer_id", "required when booking for a customer"))
        return None
    if await session.scalar(select(Customer.id).where(Customer.id == given)) is None:
        errors.append(FieldError("customer_id", "no such customer"))
        return None
    return given


async def _offering(session: AsyncSession, new: NewBooking,
                    errors: list[FieldError]) -> tuple[Offering | None, ProviderOffering | None]:
    offering = await session.scalar(select(Offering).where(Offering.id == new.offering_id, Offering.active))
    price = await session.scalar(select(ProviderOffering).where(
        ProviderOffering.provider_id == new.provider_id, ProviderOffering.offering_id == new.offering_id,
        ProviderOffering.active))
    if offering is None or price is None:
        errors.append(FieldError("offering_id", "the provider does not offer this"))
        return None, None
    return offering, price


async def _check_request(session: AsyncSession, request_id: uuid.UUID | None, customer_id: uuid.UUID,
                         errors: list[FieldError]) -> None:
    if request_id is None:
        return
    owner = await session.scalar(select(ServiceRequest.customer_id).where(ServiceRequest.id == request_id))
    if owner != customer_id:
        errors.append(FieldError("request_id", "no such service request of this customer"))


async def _under_warranty(session: AsyncSession, registration_id: uuid.UUID | None, customer_id: uuid.UUID,
                          day: date, errors: list[FieldError]) -> bool:
    """Whether the customer's registered unit is covered on ``day`` (its current coverage)."""
    if registration_id is None:
        return False
    registration = await session.scalar(select(Registration).where(
        Registration.id == registration_id, Registration.customer_id == customer_id,
        Registration.status == RegistrationStatus.ACTIVE.value))
    if registration is None:
        errors.append(FieldError("registration_id", "no such registration of this customer"))
        return False
    coverage = await current_coverage(session, registration)
    return coverage is not None and status_on(coverage, day) == "in_warranty"


def _authorised_on(provider: Provider, day: date) -> bool:
    return provider.authorised and (provider.authorised_until is None or provider.authorised_until >= day)


async def _site_location(session: AsyncSession, provider_id: uuid.UUID, site: Site | None,
                         errors: list[FieldError]) -> tuple[uuid.UUID | None, float | None]:
    """The nearest of the provider's active locations whose service radius reaches ``site``, and how far."""
    if site is None:
        return None, None
    if not (-90 <= site.latitude <= 90 and -180 <= site.longitude <= 180):
        errors.append(FieldError("site", "latitude is between -90 and 90, longitude between -180 and 180"))
        return None, None
    locations = (await session.scalars(select(ProviderLocation).where(
        ProviderLocation.provider_id == provider_id, ProviderLocation.active))).all()
    reach = sorted((haversine((site.latitude, site.longitude), (loc.latitude, loc.longitude), unit=Unit.KILOMETERS),
                    loc.service_radius_km, loc.id) for loc in locations)
    serving = [(km, location) for km, radius, location in reach if km <= radius]
    if serving:
        return serving[0][1], round(serving[0][0], 3)
    if not reach:
        errors.append(FieldError("site", "the provider has no service point that comes to customers"))
    else:
        km, radius, _ = reach[0]
        errors.append(FieldError("site", f"outside the provider's service area: {km:.1f} km from its nearest "
                                         f"service point, which serves {radius:g} km around it"))
    return None, None
