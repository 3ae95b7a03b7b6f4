"""Stock levels: on hand, reserved and available, summed over the append-only ledger whenever they are read."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.parts.models import StockMovement


@dataclass(frozen=True)
class Level:
    """What a location holds of a part in one condition."""

    part_id: uuid.UUID
    location_id: uuid.UUID
    condition: str
    on_hand: int
    reserved: int

    @property
    def available(self) -> int:
        """On hand and not held for a job."""
        return self.on_hand - self.reserved


async def levels(session: AsyncSession, *, part_id: uuid.UUID | None = None, location_id: uuid.UUID | None = None,
                 condition: str | None = None) -> list[Level]:
    """On hand and reserved per part, location and condition, summed over the ledger (rows with nothing on hand
    and nothing reserved left out), by part and location."""
    query = (select(StockMovement.part_id, StockMovement.location_id, StockMovement.condition,
                    func.sum(StockMovement.on_hand_delta), func.sum(StockMovement.reserved_delta))
             .group_by(StockMovement.part_id, StockMovement.location_id, StockMovement.condition)
             .order_by(StockMovement.part_id, StockMovement.location_id, StockMovement.condition))
    if part_id is not None:
        query = query.where(StockMovement.part_id == part_id)
    if location_id is not None:
        query = query.where(StockMovement.location_id == location_id)
    if condition is not None:
        query = query.where(StockMovement.condition == condition)
    rows = (await session.execute(query)).all()
    return [Level(p, loc, cond, int(on_hand or 0), int(reserved or 0)) for p, loc, cond, on_hand, reserved in rows
            if on_hand or reserved]


async def level(session: AsyncSession, part_id: uuid.UUID, location_id: uuid.UUID, condition: str) -> Level:
    """What ``location_id`` holds of the part in ``condition`` (zeros when nothing)."""
    found = await levels(session, part_id=part_id, location_id=location_id, condition=condition)
    return found[0] if found else Level(part_id, location_id, condition, 0, 0)


async def available_at(session: AsyncSession, part_id: uuid.UUID, location_id: uuid.UUID) -> int:
    """Available of the part at the location, every condition together (what a minimum is compared with)."""
    return sum(lv.available for lv in await levels(session, part_id=part_id, location_id=location_id))
