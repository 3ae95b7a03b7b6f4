"""The stock ledger: quantities as sums over the append-only movements, and the one way a movement is written.

On hand, reserved and available (on hand less reserved) are summed per part, location and condition whenever
they are read; nothing stores them. Every movement that lowers what is available first takes the part's lock
(:func:`lock_part`), so two movements that check and take the same last unit are serialised: on PostgreSQL the
part's catalogue row is locked ``FOR UPDATE``; on SQLite a no-op update of that row takes the database's write
lock before anything is read. A movement that takes available below the buffer kept at its location emits
``stock.below_minimum`` (:mod:`aftersales.parts.minimums`).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.errors import Conflict, FieldError, InvalidInput, NotFound
from aftersales.parts import minimums
from aftersales.parts.levels import Level, available_at, level, levels
from aftersales.parts.models import Condition, StockLocation, StockMovement
from aftersales.service.quotes.models import PartPrice
from aftersales.service.quotes.price_list import RATE_CODES

MAX_QUANTITY = 1_000_000
"""The most units one movement, reservation or minimum may name: far above any real stock, far below overflow."""


def quantity_errors(quantity: object, field: str = "quantity") -> list[FieldError]:
    """A field error unless ``quantity`` is a whole number from 1 to :data:`MAX_QUANTITY`."""
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= MAX_QUANTITY:
        return [FieldError(field, f"must be a whole number from 1 to {MAX_QUANTITY}", code="stock.quantity_range",
                           params={"limit": MAX_QUANTITY})]
    return []


def condition_errors(condition: object, field: str = "condition") -> list[FieldError]:
    if condition not in tuple(Condition):
        return [FieldError(field, "must be new or used", code="stock.unknown_condition")]
    return []


async def lock_part(session: AsyncSession, part_id: uuid.UUID, *, field: str = "part_id") -> PartPrice:
    """Take the part's lock for the rest of the transaction and return its catalogue entry.

    :raises InvalidInput: no such part in the tenant's catalogue, or a rate rather than a part (nothing locked).
    """
    if session.get_bind().dialect.name == "sqlite":
        # SQLite has no row locks: a write is the lock, taken before this transaction reads anything of the part.
        await session.execute(update(PartPrice).where(PartPrice.id == part_id)
                              .values(active=PartPrice.active).execution_options(synchronize_session=False))
        part = await session.scalar(select(PartPrice).where(PartPrice.id == part_id))
    else:
        part = await session.scalar(select(PartPrice).where(PartPrice.id == part_id).with_for_update())
    if part is None or part.code in RATE_CODES:
        raise InvalidInput("no such part", [FieldError(field, "is not a part of the tenant's catalogue",
                                                       code="stock.unknown_part")])
    return part


async def part(session: AsyncSession, part_id: uuid.UUID, *, field: str = "part_id") -> PartPrice:
    """The catalogue entry of a part (no lock). :raises InvalidInput: no such part."""
    found = await session.scalar(select(PartPrice).where(PartPrice.id == part_id))
    if found is None or found.code in RATE_CODES:
        raise InvalidInput("no such part", [FieldError(field, "is not a part of the tenant's catalogue",
                                                       code="stock.unknown_part")])
    return found


async def location(session: AsyncSession, location_id: uuid.UUID, *, field: str = "location_id",
                   active_only: bool = True) -> StockLocation:
    """A stock location of the tenant. :raises InvalidInput: none with this id (or retired, with ``active_only``)."""
    found = await session.scalar(select(StockLocation).where(StockLocation.id == location_id))
    if found is None or (active_only and not found.active):
        raise InvalidInput("no such stock location", [FieldError(field, "is not an active stock location",
                                                                 code="stock.unknown_location")])
    return found


def short(part: PartPrice, wanted: int, available: int) -> Conflict:
    """The refusal of taking more than is available (``parts.short``, with the available count)."""
    return Conflict(f"only {available} of part {part.code} available, {wanted} wanted", code="parts.short",
                    params={"part": part.code, "available": available, "wanted": wanted})


async def take(session: AsyncSession, part: PartPrice, location_id: uuid.UUID, condition: str, quantity: int) -> None:
    """Check that ``quantity`` is available to take (the part's lock held). :raises Conflict: ``parts.short``."""
    have = (await level(session, part.id, location_id, condition)).available
    if have < quantity:
        raise short(part, quantity, have)


async def record(session: AsyncSession, movement: StockMovement, *, now: datetime) -> StockMovement:
    """Write one movement (its ``occurred_at`` ``now``) and, when it lowers what is available, tell the buffer
    check. Callers that lower available hold the part's lock and checked the quantity first."""
    movement.occurred_at = movement.occurred_at or now
    movement.created_at = now
    lowering = movement.on_hand_delta - movement.reserved_delta < 0
    before = await available_at(session, movement.part_id, movement.location_id) if lowering else 0
    session.add(movement)
    await session.flush()
    if lowering:
        await minimums.check_after(session, movement, available_before=before, now=now)
    return movement


async def movement(session: AsyncSession, movement_id: uuid.UUID) -> StockMovement:
    found = await session.scalar(select(StockMovement).where(StockMovement.id == movement_id))
    if found is None:
        raise NotFound("no such stock movement")
    return found


__all__ = ["Level", "available_at", "level", "levels", "lock_part", "record", "take"]
