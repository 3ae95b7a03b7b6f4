"""The tenant's price list of parts and consumables: the manufacturer's list prices that quotes charge, and the
tenant's labour and travel rates.

Admins keep it (one entry per code, in the tenant's currency); a quote naming a code that is not on the list, or
no longer active, is refused with the reason. The codes :data:`LABOUR_RATE` and :data:`TRAVEL_RATE` are rates,
not parts: the core gives them to the vertical as ``JobFacts.labour_rate_per_hour`` and ``travel_rate_per_km``.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.contract.values import JobItem
from aftersales.errors import FieldError
from aftersales.http.bodies import beyond_cap
from aftersales.service.quotes.models import PartPrice

LABOUR_RATE = "labour_hour"
"""The price-list code of the tenant's labour rate per hour."""
TRAVEL_RATE = "travel_km"
"""The price-list code of the tenant's travel rate per km."""
RATE_CODES = (LABOUR_RATE, TRAVEL_RATE)


@dataclass(frozen=True)
class ItemAsked:
    """A part or consumable named on a quote or change request: its price-list code and how many."""

    code: str
    quantity: int = 1


@dataclass(frozen=True)
class Rates:
    """The tenant's labour rate per hour and travel rate per km, each None when not on its list."""

    labour_per_hour: Money | None = None
    travel_per_km: Money | None = None


async def rates(session: AsyncSession, currency: str) -> Rates:
    """The active rate entries of the price list in ``currency`` (a rate in another currency is not this job's)."""
    found = {e.code: Money(e.price_minor, e.currency) for e in (await session.scalars(select(PartPrice).where(
        PartPrice.code.in_(RATE_CODES), PartPrice.active.is_(True), PartPrice.currency == currency))).all()}
    return Rates(found.get(LABOUR_RATE), found.get(TRAVEL_RATE))


async def priced_items(session: AsyncSession, asked: Sequence[ItemAsked], *, field: str,
                       currency: str) -> tuple[tuple[JobItem, ...], list[FieldError]]:
    """``asked`` at the list prices, and a field error for each code not on the list, inactive, a rate rather
    than a part, priced in another currency, or asked for in a quantity under 1."""
    codes = {item.code for item in asked}
    entries = {e.code: e for e in (await session.scalars(select(PartPrice).where(PartPrice.code.in_(codes)))).all()}
    items, errors = [], []
    for index, item in enumerate(asked):
        entry = entries.get(item.code)
        if item.quantity < 1:
            errors.append(FieldError(f"{field}.{index}.quantity", "must be at least 1"))
        if item.code in RATE_CODES:
            errors.append(FieldError(f"{field}.{index}.code", f"{item.code!r} is a rate, not a part"))
        elif entry is None or not entry.active:
            errors.append(FieldError(f"{field}.{index}.code", f"{item.code!r} is not on the tenant's price list"))
        elif entry.currency != currency:
            errors.append(FieldError(f"{field}.{index}.code", f"listed in {entry.currency}, the job is in {currency}"))
        elif item.quantity >= 1:
            price = Money(entry.price_minor, entry.currency)
            if line_problems := beyond_cap(f"{field}.{index}.quantity", price.times(item.quantity), "the line"):
                errors += line_problems
            else:
                items.append(JobItem(entry.code, entry.name, item.quantity, price))
    return tuple(items), errors


HeldParts = Callable[..., Awaitable[Sequence[ItemAsked]]]
"""``(session, *, request_id=None, booking_id=None)``: the parts held for a job (reserved or issued)."""
_held_parts_sources: list[HeldParts] = []


def read_held_parts_from(source: HeldParts) -> None:
    """Have quotes charge the parts ``source`` says a job holds. The stock domain (:mod:`aftersales.parts`, a
    layer above) subscribes when imported, so the service domain need not know it."""
    if source not in _held_parts_sources:
        _held_parts_sources.append(source)


async def held_parts(session: AsyncSession, *, request_id: uuid.UUID | None = None,
                     booking_id: uuid.UUID | None = None) -> list[ItemAsked]:
    """The parts reserved for or issued to the job, which its quote charges besides the parts staff name."""
    return [item for source in _held_parts_sources
            for item in await source(session, request_id=request_id, booking_id=booking_id)]
