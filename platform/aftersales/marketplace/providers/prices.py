"""What each provider charges for an offering of the catalogue, and how long it takes them.

A price is an amount in the tenant's currency (``Money.parse``: no negatives, no more decimals than the currency
has, 0 allowed for a free service); a duration is more than 0 and at most 12 hours. A provider offers only what
its skills allow: an offering that names a skill needs a provider that has it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.errors import FieldError, InvalidInput
from aftersales.marketplace.catalogue.services import duration_errors, offering_by_code
from aftersales.marketplace.models import Offering, ProviderOffering
from aftersales.marketplace.providers.services import get_provider


@dataclass(frozen=True)
class PriceDetails:
    """A provider's terms for one offering: the amount as text (``"1250000"``, ``"49.90"``), the duration
    (None: the offering's usual one), whether it is offered now."""

    price: str
    duration_minutes: int | None = None
    active: bool = True


async def prices_of(session: AsyncSession, provider_id: uuid.UUID) -> list[tuple[ProviderOffering, Offering]]:
    """The provider's prices with their offerings, by offering code."""
    rows = await session.execute(
        select(ProviderOffering, Offering).join(Offering, Offering.id == ProviderOffering.offering_id)
        .where(ProviderOffering.provider_id == provider_id).order_by(Offering.code))
    return [(price, offering) for price, offering in rows]


async def set_price(session: AsyncSession, provider_id: uuid.UUID, code: str, details: PriceDetails, *,
                    currency: str) -> tuple[ProviderOffering, Offering]:
    """Set (or change) the provider's price for the active offering ``code``; ``active=False`` withdraws it.

    :raises InvalidInput: an unknown offering, a skill the provider lacks, a negative or malformed amount, a
        duration outside 1 minute to 12 hours; nothing is written.
    """
    provider = await get_provider(session, provider_id)
    offering = await offering_by_code(session, code)
    errors = []
    if details.active and offering.skill is not None and offering.skill not in provider.skills:
        errors.append(FieldError("offering", f"needs the skill {offering.skill!r}, which the provider does not have"))
    amount = None
    try:
        amount = Money.parse(details.price, currency)
    except ValueError as exc:
        errors.append(FieldError("price", str(exc)))
    if amount is not None and amount.amount_minor < 0:
        errors.append(FieldError("price", "must not be negative"))
    duration = details.duration_minutes if details.duration_minutes is not None else offering.duration_minutes
    errors += duration_errors(duration, "duration_minutes")
    if errors or amount is None:
        raise InvalidInput("invalid price", errors)
    price = await session.scalar(select(ProviderOffering).where(ProviderOffering.provider_id == provider_id,
                                                                ProviderOffering.offering_id == offering.id))
    if price is None:
        price = ProviderOffering(provider_id=provider_id, offering_id=offering.id)
        session.add(price)
    price.price_minor, price.currency = amount.amount_minor, currency
    price.duration_minutes, price.active = duration, details.active
    await session.flush()
    return price, offering
