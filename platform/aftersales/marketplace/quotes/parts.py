"""The tenant's price list of parts and consumables: the manufacturer's list prices that quotes charge.

Admins keep it (one entry per code, in the tenant's currency); a quote naming a code that is not on the list, or
no longer active, is refused with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.contract.values import JobItem
from aftersales.errors import FieldError, InvalidInput
from aftersales.marketplace.models import PartPrice


@dataclass(frozen=True)
class ItemAsked:
    """A part or consumable named on a quote or change request: its price-list code and how many."""

    code: str
    quantity: int = 1


async def set_price(session: AsyncSession, *, code: str, name: str, price: Money, active: bool,
                    actor: str) -> PartPrice:
    """Add or update the list entry ``code``. A negative price, or one not in the tenant's currency, is refused."""
    errors = []
    if price.amount_minor < 0:
        errors.append(FieldError("price_minor", "must not be negative"))
    if not code.strip():
        errors.append(FieldError("code", "must not be empty"))
    if errors:
        raise InvalidInput("the price list entry is invalid", errors)
    entry = await session.scalar(select(PartPrice).where(PartPrice.code == code))
    if entry is None:
        entry = PartPrice(code=code, name=name, price_minor=price.amount_minor, currency=price.currency,
                          active=active, updated_by=actor)
        session.add(entry)
    else:
        entry.name, entry.price_minor, entry.currency = name, price.amount_minor, price.currency
        entry.active, entry.updated_by = active, actor
    await session.flush()
    return entry


async def price_list(session: AsyncSession) -> Sequence[PartPrice]:
    """Every entry, by code."""
    return (await session.scalars(select(PartPrice).order_by(PartPrice.code))).all()


async def priced_items(session: AsyncSession, asked: Sequence[ItemAsked], *, field: str,
                       currency: str) -> tuple[tuple[JobItem, ...], list[FieldError]]:
    """``asked`` at the list prices, and a field error for each code not on the list, inactive, priced in
    another currency, or asked for in a quantity under 1."""
    codes = {item.code for item in asked}
    entries = {e.code: e for e in (await session.scalars(select(PartPrice).where(PartPrice.code.in_(codes)))).all()}
    items, errors = [], []
    for index, item in enumerate(asked):
        entry = entries.get(item.code)
        if item.quantity < 1:
            errors.append(FieldError(f"{field}.{index}.quantity", "must be at least 1"))
        if entry is None or not entry.active:
            errors.append(FieldError(f"{field}.{index}.code", f"{item.code!r} is not on the tenant's price list"))
        elif entry.currency != currency:
            errors.append(FieldError(f"{field}.{index}.code", f"listed in {entry.currency}, the job is in {currency}"))
        elif item.quantity >= 1:
            items.append(JobItem(entry.code, entry.name, item.quantity, Money(entry.price_minor, entry.currency)))
    return tuple(items), errors
