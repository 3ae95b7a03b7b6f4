"""What the supply flows read of the parts catalogue and the stock locations, with the refusals they share."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.errors import FieldError
from aftersales.parts import ledger
from aftersales.parts.models import StockLocation
from aftersales.service.quotes.models import PartPrice

MAX_TEXT = 200


async def find_part(session: AsyncSession, part_id: UUID, field: str, errors: list[FieldError]) -> PartPrice | None:
    """The session's tenant's active part ``part_id``, or None with the refusal added to ``errors``."""
    part = await session.scalar(select(PartPrice).where(PartPrice.id == part_id, PartPrice.active.is_(True)))
    if part is None:
        errors.append(FieldError(field, "no such part in the catalogue", code="parts.unknown_part"))
    return part


async def find_location(session: AsyncSession, location_id: UUID, field: str,
                        errors: list[FieldError]) -> StockLocation | None:
    """The session's tenant's active stock location, or None with the refusal added to ``errors``."""
    location = await session.scalar(select(StockLocation).where(StockLocation.id == location_id,
                                                                StockLocation.active.is_(True)))
    if location is None:
        errors.append(FieldError(field, "no such active stock location", code="parts.unknown_location"))
    return location


def check_quantity(quantity: int, field: str, errors: list[FieldError]) -> None:
    """A whole number of units within the ledger's bounds (:func:`aftersales.parts.ledger.quantity_errors`)."""
    errors.extend(ledger.quantity_errors(quantity, field))


def clean_text(value: str, field: str, errors: list[FieldError], *, required: bool, limit: int = MAX_TEXT) -> str:
    """``value`` trimmed; refused when empty (if required), longer than ``limit`` or holding control characters."""
    text = value.strip()
    if required and not text:
        errors.append(FieldError(field, "must not be empty"))
    elif len(text) > limit:
        errors.append(FieldError(field, f"must be at most {limit} characters"))
    elif any(ord(c) < 32 for c in text):
        errors.append(FieldError(field, "must not hold control characters"))
    return text


def part_name(part: PartPrice, locale: str) -> str:
    """The part's name in ``locale`` when the catalogue has one, else its default name."""
    return (part.names or {}).get(locale) or part.name
