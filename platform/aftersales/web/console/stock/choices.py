"""What the stock pages show of parts and locations: the part and location choices of the filters and forms
(``[(id, "CODE · name")]``), and a part named in the reader's language as the catalogue names it."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.marketplace.quotes.parts import name_for
from aftersales.parts.locations import list_locations
from aftersales.parts.models import StockLocation
from aftersales.service.quotes.models import PartPrice
from aftersales.service.quotes.price_list import RATE_CODES


async def parts_by_id(session: AsyncSession, ids: Iterable[uuid.UUID] | None = None) -> dict[uuid.UUID, PartPrice]:
    """The catalogue's parts (``ids`` only, when given), by id; the price list's rates are not parts."""
    query = select(PartPrice).where(PartPrice.code.not_in(RATE_CODES)).order_by(PartPrice.code)
    if ids is not None:
        query = query.where(PartPrice.id.in_(set(ids)))
    return {p.id: p for p in await session.scalars(query)}


async def locations_by_id(session: AsyncSession) -> dict[uuid.UUID, StockLocation]:
    """Every stock location of the tenant, by code, keyed by id."""
    return {loc.id: loc for loc in await list_locations(session)}


def part_choices(parts: Iterable[PartPrice], locale: str) -> list[tuple[str, str]]:
    """The parts as ``(id, "CODE · name")`` choices."""
    return [(str(p.id), f"{p.code} · {part_name(p, locale)}") for p in parts]


def part_name(part: PartPrice, locale: str) -> str:
    """The part's name for a reader of ``locale`` (:func:`aftersales.marketplace.quotes.parts.name_for`)."""
    return name_for(part, locale)


def location_choices(locations: Iterable[StockLocation]) -> list[tuple[str, str]]:
    """The locations as ``(id, "CODE · name")`` choices."""
    return [(str(loc.id), f"{loc.code} · {loc.name}") for loc in locations]
