"""Buffer stock: a minimum per part and location, the reorder list of what is below it, and the
``stock.below_minimum`` event when a movement takes a part below.

Available is compared over every condition of the part at the location (a used part from a donor fills the
buffer as well as a new one). The suggestion is the minimum's reorder quantity when it has one, but never less
than what tops available up to the minimum.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.errors import Conflict, FieldError, InvalidInput
from aftersales.outbox.events import StockBelowMinimum
from aftersales.outbox.webhooks import emit
from aftersales.parts.levels import available_at
from aftersales.parts.models import StockLocation, StockMinimum, StockMovement
from aftersales.service.quotes.models import PartPrice

MAX_MINIMUM = 1_000_000


@dataclass(frozen=True)
class Reorder:
    """A part below its buffer at a location, and how many to order."""

    minimum: StockMinimum
    part: PartPrice
    location: StockLocation
    available: int

    @property
    def suggested_quantity(self) -> int:
        return suggestion(self.minimum, self.available)


def suggestion(minimum: StockMinimum, available: int) -> int:
    """How many to order: the reorder quantity, at least enough to reach the minimum."""
    return max(minimum.reorder_quantity or 0, minimum.minimum - available)


def _count_errors(value: object, field: str, *, least: int) -> list[FieldError]:
    if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= MAX_MINIMUM:
        return [FieldError(field, f"must be a whole number from {least} to {MAX_MINIMUM}",
                           code="stock.quantity_range", params={"limit": MAX_MINIMUM})]
    return []


async def set_minimum(session: AsyncSession, *, part_id: uuid.UUID, location_id: uuid.UUID, minimum: int,
                      reorder_quantity: int | None, actor: str) -> StockMinimum:
    """Set (or change) the buffer of a part at a location; a minimum of 0 keeps none.

    :raises InvalidInput: an unknown part or location, a negative or huge minimum or reorder quantity.
    """
    errors = _count_errors(minimum, "minimum", least=0)
    if reorder_quantity is not None:
        errors += _count_errors(reorder_quantity, "reorder_quantity", least=1)
    part = await session.scalar(select(PartPrice).where(PartPrice.id == part_id))
    if part is None:
        errors.append(FieldError("part_id", "is not a part of the tenant's catalogue", code="stock.unknown_part"))
    place = await session.scalar(select(StockLocation).where(StockLocation.id == location_id))
    if place is None:
        errors.append(FieldError("location_id", "is not a stock location", code="stock.unknown_location"))
    if errors:
        raise InvalidInput("the minimum cannot be set", errors)
    row = await session.scalar(select(StockMinimum).where(StockMinimum.part_id == part_id,
                                                          StockMinimum.location_id == location_id))
    if row is None:
        row = StockMinimum(part_id=part_id, location_id=location_id, minimum=minimum,
                           reorder_quantity=reorder_quantity, updated_by=actor)
        session.add(row)
    else:
        row.minimum, row.reorder_quantity, row.updated_by = minimum, reorder_quantity, actor
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:  # the same minimum added concurrently: the other one stands, set it again
        raise Conflict("the minimum was set at the same moment by someone else; set it again",
                       code="stock.minimum_concurrent") from None
    return row


async def list_minimums(session: AsyncSession, *, location_id: uuid.UUID | None = None) -> list[StockMinimum]:
    query = select(StockMinimum).order_by(StockMinimum.location_id, StockMinimum.part_id)
    if location_id is not None:
        query = query.where(StockMinimum.location_id == location_id)
    return list(await session.scalars(query))


async def reorder_list(session: AsyncSession, *, location_id: uuid.UUID | None = None) -> list[Reorder]:
    """Every part and location whose available is below its minimum, by location code then part code."""
    sums = (select(StockMovement.part_id, StockMovement.location_id,
                   func.sum(StockMovement.on_hand_delta - StockMovement.reserved_delta).label("available"))
            .group_by(StockMovement.part_id, StockMovement.location_id).subquery())
    available = func.coalesce(sums.c.available, 0)
    query = (select(StockMinimum, PartPrice, StockLocation, available)
             .join(PartPrice, PartPrice.id == StockMinimum.part_id)
             .join(StockLocation, StockLocation.id == StockMinimum.location_id)
             .outerjoin(sums, (sums.c.part_id == StockMinimum.part_id)
                        & (sums.c.location_id == StockMinimum.location_id))
             .where(available < StockMinimum.minimum)
             .order_by(StockLocation.code, PartPrice.code))
    if location_id is not None:
        query = query.where(StockMinimum.location_id == location_id)
    return [Reorder(m, p, loc, int(have)) for m, p, loc, have in (await session.execute(query)).all()]


async def check_after(session: AsyncSession, movement: StockMovement, *, available_before: int,
                      now: datetime) -> None:
    """Emit ``stock.below_minimum`` when ``movement`` (already written) took available from at or above the
    minimum of its part and location to below it; once per crossing, not for every movement below."""
    row = await session.scalar(select(StockMinimum).where(StockMinimum.part_id == movement.part_id,
                                                          StockMinimum.location_id == movement.location_id))
    if row is None:
        return
    after = await available_at(session, movement.part_id, movement.location_id)
    if not (available_before >= row.minimum > after):
        return
    part = await session.scalar(select(PartPrice).where(PartPrice.id == movement.part_id))
    place = await session.scalar(select(StockLocation).where(StockLocation.id == movement.location_id))
    assert part is not None and place is not None  # the movement's foreign keys name them
    await emit(session, StockBelowMinimum(
        part_id=part.id, part_code=part.code, location_id=place.id, location_code=place.code, available=after,
        minimum=row.minimum, suggested_quantity=suggestion(row, after), movement_id=movement.id, occurred_at=now,
    ), key=movement.id, now=now)
