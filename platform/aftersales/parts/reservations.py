"""Jobs' holds on parts: a service request or a marketplace booking reserves parts, issues them when used and
releases what was not. The API other domains call (dispatch brings a job's parts, supply back-orders a short one).

Two jobs never reserve the same last unit: :func:`reserve` takes the part's lock (:func:`~aftersales.parts.ledger.
lock_part`) before it reads what is available, so checks and reservations of one part run one after another
whatever the number of connections; the loser is refused with ``parts.short`` and the count it could have had.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.db.base import utcnow
from aftersales.errors import Conflict, FieldError, InvalidInput, NotFound
from aftersales.marketplace.models import Booking
from aftersales.parts import ledger
from aftersales.parts.levels import Level, levels
from aftersales.parts.models import (
    Condition,
    MovementKind,
    ReservationState,
    StockLocation,
    StockMovement,
    StockReservation,
)
from aftersales.service.models import ServiceRequest
from aftersales.service.quotes.models import PartPrice
from aftersales.service.quotes.price_list import ItemAsked
from aftersales.tenancy.current import CurrentTenant

HELD = (ReservationState.OPEN, ReservationState.ISSUED)
"""The reservations whose parts a job's quote charges: held for it, or used on it."""


async def job_errors(session: AsyncSession, request_id: uuid.UUID | None,
                     booking_id: uuid.UUID | None) -> list[FieldError]:
    """A field error unless the job is named and each id given is the tenant's request or booking."""
    if request_id is None and booking_id is None:
        return [FieldError("request_id", "name the job: a service request or a booking", code="stock.no_job")]
    errors = []
    if request_id is not None and await session.scalar(
            select(ServiceRequest.id).where(ServiceRequest.id == request_id)) is None:
        errors.append(FieldError("request_id", "is not a service request of the tenant", code="stock.unknown_job"))
    if booking_id is not None and await session.scalar(select(Booking.id).where(Booking.id == booking_id)) is None:
        errors.append(FieldError("booking_id", "is not a booking of the tenant", code="stock.unknown_job"))
    return errors


async def available(session: AsyncSession, part_id: uuid.UUID, *, location_id: uuid.UUID | None = None,
                    condition: str | None = None) -> int:
    """How many of the part can be reserved: at ``location_id`` (every active location without one), in
    ``condition`` (either without one)."""
    found = await _candidates(session, part_id, location_id, condition)
    return sum(level.available for level in found)


async def _candidates(session: AsyncSession, part_id: uuid.UUID, location_id: uuid.UUID | None,
                      condition: str | None) -> list[Level]:
    """The part's levels at active locations, most available first (new before used on a tie, then by code)."""
    active = {loc.id: loc.code for loc in await session.scalars(select(StockLocation).where(
        StockLocation.active.is_(True)))}
    found = [level for level in await levels(session, part_id=part_id, location_id=location_id, condition=condition)
             if level.location_id in active]
    return sorted(found, key=lambda lv: (-lv.available, lv.condition != Condition.NEW, active[lv.location_id]))


async def reserve(session: AsyncSession, tenant: CurrentTenant, *, part_id: uuid.UUID, quantity: int,
                  location_id: uuid.UUID | None = None, condition: str | None = None,
                  request_id: uuid.UUID | None = None, booking_id: uuid.UUID | None = None, actor: str,
                  now: datetime | None = None) -> StockReservation:
    """Hold ``quantity`` of the part for a job: at ``location_id``, or (without one) at the active location with
    most available; in ``condition``, or whichever has most.

    :raises InvalidInput: an unknown part, location or job, a quantity outside 1..1,000,000 (nothing written).
    :raises Conflict: ``parts.short`` when not that many are available (``params["available"]``: how many are).
    """
    now = now or utcnow()
    errors = ledger.quantity_errors(quantity)
    if condition is not None:
        errors += ledger.condition_errors(condition)
    if errors:
        raise InvalidInput("the parts cannot be reserved", errors)
    part = await ledger.lock_part(session, part_id)  # first: everything read below is read under the lock
    errors = await job_errors(session, request_id, booking_id)
    if location_id is not None:
        try:
            await ledger.location(session, location_id)
        except InvalidInput as bad:
            errors += bad.errors
    if errors:
        raise InvalidInput("the parts cannot be reserved", errors)
    candidates = await _candidates(session, part.id, location_id, condition)
    best = candidates[0] if candidates else None
    if best is None or best.available < quantity:
        raise ledger.short(part, quantity, best.available if best else 0)
    reservation = StockReservation(part_id=part.id, location_id=best.location_id, condition=best.condition,
                                   quantity=quantity, request_id=request_id, booking_id=booking_id,
                                   state=ReservationState.OPEN, reserved_by=actor, created_at=now, updated_at=now)
    session.add(reservation)
    await session.flush()
    await ledger.record(session, StockMovement(
        part_id=part.id, location_id=best.location_id, condition=best.condition, kind=MovementKind.RESERVE,
        on_hand_delta=0, reserved_delta=quantity, reservation_id=reservation.id, request_id=request_id,
        booking_id=booking_id, actor=actor), now=now)
    return reservation


async def get_reservation(session: AsyncSession, reservation_id: uuid.UUID) -> StockReservation:
    found = await session.scalar(select(StockReservation).where(StockReservation.id == reservation_id))
    if found is None:
        raise NotFound("no such reservation")
    return found


async def _open(session: AsyncSession, reservation_id: uuid.UUID) -> tuple[StockReservation, PartPrice]:
    """The open reservation, read under its part's lock. :raises NotFound, Conflict: issued or released."""
    part_id = await session.scalar(select(StockReservation.part_id).where(StockReservation.id == reservation_id))
    if part_id is None:
        raise NotFound("no such reservation")
    part = await ledger.lock_part(session, part_id)
    reservation = await get_reservation(session, reservation_id)
    await session.refresh(reservation)
    if reservation.state != ReservationState.OPEN:
        raise Conflict(f"the reservation is {reservation.state}", code="stock.reservation_closed",
                       params={"state": reservation.state})
    return reservation, part


def _job_movement(reservation: StockReservation, kind: MovementKind, quantity: int, actor: str) -> StockMovement:
    on_hand = -quantity if kind == MovementKind.ISSUE else 0
    return StockMovement(part_id=reservation.part_id, location_id=reservation.location_id,
                         condition=reservation.condition, kind=kind, on_hand_delta=on_hand, reserved_delta=-quantity,
                         reservation_id=reservation.id, request_id=reservation.request_id,
                         booking_id=reservation.booking_id, actor=actor)


async def issue(session: AsyncSession, reservation_id: uuid.UUID, *, quantity: int | None = None, actor: str,
                now: datetime | None = None) -> StockReservation:
    """The job used the reserved parts: ``quantity`` of them (all without it) leave stock; the rest are released.

    :raises Conflict: the reservation is no longer open. :raises InvalidInput: more than reserved, or under 1.
    """
    now = now or utcnow()
    reservation, _part = await _open(session, reservation_id)
    used = reservation.quantity if quantity is None else quantity
    errors = ledger.quantity_errors(used)
    if not errors and used > reservation.quantity:
        errors.append(FieldError("quantity", f"at most the {reservation.quantity} reserved",
                                 code="stock.more_than_reserved", params={"reserved": reservation.quantity}))
    if errors:
        raise InvalidInput("the parts cannot be issued", errors)
    await ledger.record(session, _job_movement(reservation, MovementKind.ISSUE, used, actor), now=now)
    if used < reservation.quantity:
        await ledger.record(session, _job_movement(reservation, MovementKind.RELEASE, reservation.quantity - used,
                                                   actor), now=now)
        reservation.quantity = used
    reservation.state, reservation.decided_by, reservation.decided_at = ReservationState.ISSUED, actor, now
    await session.flush()
    return reservation


async def release(session: AsyncSession, reservation_id: uuid.UUID, *, actor: str,
                  now: datetime | None = None) -> StockReservation:
    """The job no longer needs the parts: they are available again. :raises Conflict: no longer open."""
    now = now or utcnow()
    reservation, _part = await _open(session, reservation_id)
    await ledger.record(session, _job_movement(reservation, MovementKind.RELEASE, reservation.quantity, actor),
                        now=now)
    reservation.state, reservation.decided_by, reservation.decided_at = ReservationState.RELEASED, actor, now
    await session.flush()
    return reservation


async def reservations_of(session: AsyncSession, *, request_id: uuid.UUID | None = None,
                          booking_id: uuid.UUID | None = None,
                          state: str | None = None) -> list[StockReservation]:
    """A job's reservations (or every one, without a job), oldest first."""
    query = select(StockReservation).order_by(StockReservation.created_at, StockReservation.id)
    if request_id is not None:
        query = query.where(StockReservation.request_id == request_id)
    if booking_id is not None:
        query = query.where(StockReservation.booking_id == booking_id)
    if state is not None:
        query = query.where(StockReservation.state == state)
    return list(await session.scalars(query))


async def held_parts(session: AsyncSession, *, request_id: uuid.UUID | None = None,
                     booking_id: uuid.UUID | None = None) -> Sequence[ItemAsked]:
    """The parts reserved for or issued to the job, by code with their quantities: what its quote charges."""
    query = (select(PartPrice.code, func.sum(StockReservation.quantity))
             .join(PartPrice, PartPrice.id == StockReservation.part_id)
             .where(StockReservation.state.in_(HELD))
             .group_by(PartPrice.code).order_by(PartPrice.code))
    if request_id is not None:
        query = query.where(StockReservation.request_id == request_id)
    elif booking_id is not None:
        query = query.where(StockReservation.booking_id == booking_id)
    else:
        return ()
    return [ItemAsked(code, int(count)) for code, count in (await session.execute(query)).all()]
