"""Stock moved by hand: receipts, transfers between locations, returns of unused parts, scrap and adjustments.

Each writes ledger rows only (:mod:`aftersales.parts.ledger`); a transfer writes its ``transfer_out`` and
``transfer_in`` rows in one transaction, paired by ``transfer_id``. What lowers available (a transfer, scrap, a
negative adjustment) takes the part's lock and is refused with ``parts.short`` beyond what is available: stock
held for a job is not moved, and nothing goes below zero.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.db.base import new_id
from aftersales.errors import FieldError, InvalidInput
from aftersales.parts import ledger
from aftersales.parts.models import Condition, MovementKind, StockMovement
from aftersales.parts.reservations import job_errors
from aftersales.service.quotes.models import PartPrice

MAX_REASON = 500


@dataclass(frozen=True)
class Moved:
    """What staff give for a movement. ``quantity`` is signed for an adjustment, positive for the rest."""

    part_id: uuid.UUID
    location_id: uuid.UUID
    quantity: int
    condition: str = Condition.NEW
    reason: str | None = None
    donor_unit_id: uuid.UUID | None = None
    request_id: uuid.UUID | None = None
    booking_id: uuid.UUID | None = None


def _reason_errors(reason: str | None, *, required: bool) -> list[FieldError]:
    text = (reason or "").strip()
    if required and not text:
        return [FieldError("reason", "say why", code="stock.reason_required")]
    if len(text) > MAX_REASON:
        return [FieldError("reason", f"at most {MAX_REASON} characters", code="stock.reason_length",
                           params={"limit": MAX_REASON})]
    return []


async def _checked(session: AsyncSession, moved: Moved, *, reason_required: bool = False,
                   signed: bool = False, lock: bool = False, what: str) -> PartPrice | None:
    """The part (locked first with ``lock``, before anything else is read). :raises InvalidInput: every bad
    field of ``moved`` at once."""
    if signed and moved.quantity == 0:
        errors = [FieldError("quantity", "must not be 0", code="stock.quantity_range")]
    elif signed and isinstance(moved.quantity, int):
        errors = ledger.quantity_errors(abs(moved.quantity))
    else:
        errors = ledger.quantity_errors(moved.quantity)
    errors += ledger.condition_errors(moved.condition) + _reason_errors(moved.reason, required=reason_required)
    part = None
    try:
        part = await (ledger.lock_part(session, moved.part_id) if lock and not errors
                      else ledger.part(session, moved.part_id))
    except InvalidInput as bad:
        errors += bad.errors
    try:
        await ledger.location(session, moved.location_id)
    except InvalidInput as bad:
        errors += bad.errors
    if errors:
        raise InvalidInput(f"the stock cannot be {what}", errors)
    return part


def _row(moved: Moved, kind: MovementKind, on_hand_delta: int, actor: str, **extra: object) -> StockMovement:
    return StockMovement(part_id=moved.part_id, location_id=moved.location_id, condition=moved.condition, kind=kind,
                         on_hand_delta=on_hand_delta, reserved_delta=0, reason=(moved.reason or "").strip() or None,
                         donor_unit_id=moved.donor_unit_id, request_id=moved.request_id, booking_id=moved.booking_id,
                         actor=actor, **extra)


async def receive(session: AsyncSession, moved: Moved, *, actor: str, now: datetime) -> StockMovement:
    """Parts arrive at a location (from a supplier, or used ones from a donor unit: ``donor_unit_id``)."""
    await _checked(session, moved, what="received")
    return await ledger.record(session, _row(moved, MovementKind.RECEIPT, moved.quantity, actor), now=now)


async def give_back(session: AsyncSession, moved: Moved, *, actor: str, now: datetime) -> StockMovement:
    """An unused part comes back from a job (``request_id``/``booking_id``) into stock."""
    await _checked(session, moved, what="returned")
    if errors := await job_errors(session, moved.request_id, moved.booking_id):
        raise InvalidInput("the stock cannot be returned", errors)
    return await ledger.record(session, _row(moved, MovementKind.RETURN, moved.quantity, actor), now=now)


async def scrap(session: AsyncSession, moved: Moved, *, actor: str, now: datetime) -> StockMovement:
    """Parts at a location are thrown away (broken, obsolete). :raises Conflict: ``parts.short``."""
    part = await _checked(session, moved, lock=True, what="scrapped")
    await ledger.take(session, part, moved.location_id, moved.condition, moved.quantity)
    return await ledger.record(session, _row(moved, MovementKind.SCRAP, -moved.quantity, actor), now=now)


async def adjust(session: AsyncSession, moved: Moved, *, actor: str, now: datetime) -> StockMovement:
    """A count found more (positive ``quantity``) or fewer (negative) than the ledger says; the reason is
    required. :raises Conflict: ``parts.short`` for taking away more than is available."""
    part = await _checked(session, moved, reason_required=True, signed=True, lock=moved.quantity < 0,
                          what="adjusted")
    if moved.quantity < 0:
        await ledger.take(session, part, moved.location_id, moved.condition, -moved.quantity)
    return await ledger.record(session, _row(moved, MovementKind.ADJUST, moved.quantity, actor), now=now)


async def transfer(session: AsyncSession, moved: Moved, *, to_location_id: uuid.UUID, actor: str,
                   now: datetime) -> tuple[StockMovement, StockMovement]:
    """Move parts from ``moved.location_id`` to ``to_location_id``: both rows or neither.

    :raises InvalidInput: an unknown or the same location. :raises Conflict: ``parts.short``.
    """
    errors: list[FieldError] = []
    part = None
    try:
        part = await _checked(session, moved, lock=True, what="transferred")
    except InvalidInput as bad:
        errors += bad.errors
    try:
        await ledger.location(session, to_location_id, field="to_location_id")
    except InvalidInput as bad:
        errors += bad.errors
    if to_location_id == moved.location_id:
        errors.append(FieldError("to_location_id", "must differ from the location it leaves",
                                 code="stock.same_location"))
    if errors:
        raise InvalidInput("the stock cannot be transferred", errors)
    await ledger.take(session, part, moved.location_id, moved.condition, moved.quantity)
    pair = new_id()
    out = await ledger.record(session, _row(moved, MovementKind.TRANSFER_OUT, -moved.quantity, actor,
                                            transfer_id=pair), now=now)
    arrived = Moved(**{**moved.__dict__, "location_id": to_location_id})
    into = await ledger.record(session, _row(arrived, MovementKind.TRANSFER_IN, moved.quantity, actor,
                                             transfer_id=pair), now=now)
    return out, into


async def movements_page(session: AsyncSession, *, part_id: uuid.UUID | None, location_id: uuid.UUID | None,
                         request_id: uuid.UUID | None, booking_id: uuid.UUID | None, after: uuid.UUID | None,
                         limit: int) -> list[StockMovement]:
    """Movements newest first (ids are time-ordered UUIDv7), ``limit`` of them after the id ``after``."""
    query = select(StockMovement).order_by(StockMovement.id.desc())
    if part_id is not None:
        query = query.where(StockMovement.part_id == part_id)
    if location_id is not None:
        query = query.where(StockMovement.location_id == location_id)
    if request_id is not None:
        query = query.where(StockMovement.request_id == request_id)
    if booking_id is not None:
        query = query.where(StockMovement.booking_id == booking_id)
    if after is not None:
        query = query.where(StockMovement.id < after)
    return list(await session.scalars(query.limit(limit)))
