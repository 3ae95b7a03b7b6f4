"""Keeping the tenant's price list (:mod:`aftersales.service.quotes.price_list`, which service-request quotes use
too): admins set entries; marketplace quotes and change requests price parts at it."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.errors import FieldError, InvalidInput
from aftersales.http.bodies import beyond_cap
from aftersales.service.quotes.models import PartPrice
from aftersales.service.quotes.price_list import ItemAsked, priced_items


async def set_price(session: AsyncSession, *, code: str, name: str, price: Money, active: bool,
                    actor: str) -> PartPrice:
    """Add or update the list entry ``code``. A negative price, or one not in the tenant's currency, is refused."""
    errors = []
    if price.amount_minor < 0:
        errors.append(FieldError("price_minor", "must not be negative"))
    errors += beyond_cap("price_minor", price)
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


__all__ = ["ItemAsked", "price_list", "priced_items", "set_price"]
