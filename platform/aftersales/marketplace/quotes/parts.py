"""Keeping the tenant's parts catalogue, its price list (:mod:`aftersales.service.quotes.price_list`, which
service-request quotes use too): admins set entries; marketplace quotes and change requests price parts at it.

An entry is a part number (``code``) with its name (``name``, and ``names`` by locale for readers of other
languages), the product models it fits (SKUs of the tenant's catalogue), whether it is a wear part, its supplier
and its list price. Stock of a part is kept in :mod:`aftersales.parts`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.errors import FieldError, InvalidInput
from aftersales.http.bodies import beyond_cap
from aftersales.i18n.catalogues import SUPPORTED_LOCALES
from aftersales.service.quotes.models import PartPrice
from aftersales.service.quotes.price_list import ItemAsked, priced_items
from aftersales.warranty.models import ProductModel

MAX_NAME = 200
MAX_COMPATIBLE = 200


@dataclass(frozen=True)
class CatalogueFacts:
    """What the catalogue says of a part beyond its price: names by locale, the models it fits, whether it wears
    in use, who supplies it. A fact left None is kept as the entry has it (none for a new entry)."""

    names: Mapping[str, str] | None = None
    compatible_models: Sequence[str] | None = None
    wear_part: bool | None = None
    supplier: str | None = None


async def _catalogue_errors(session: AsyncSession, facts: CatalogueFacts) -> list[FieldError]:
    errors = []
    for locale, name in (facts.names or {}).items():
        if locale not in SUPPORTED_LOCALES:
            errors.append(FieldError(f"names.{locale}", f"not a language of the platform ({', '.join(SUPPORTED_LOCALES)})",
                                     code="catalogue.unknown_locale"))
        elif not name.strip() or len(name) > MAX_NAME:
            errors.append(FieldError(f"names.{locale}", f"must be 1 to {MAX_NAME} characters",
                                     code="catalogue.name_length", params={"limit": MAX_NAME}))
    skus = list(facts.compatible_models or ())
    if len(skus) > MAX_COMPATIBLE:
        return [*errors, FieldError("compatible_models", f"at most {MAX_COMPATIBLE} models",
                                    code="catalogue.too_many_models", params={"limit": MAX_COMPATIBLE})]
    known = set(await session.scalars(select(ProductModel.sku).where(ProductModel.sku.in_(skus)))) if skus else set()
    errors += [FieldError(f"compatible_models.{index}", f"{sku!r} is not a model of the tenant's catalogue",
                          code="catalogue.unknown_model", params={"sku": sku})
               for index, sku in enumerate(skus) if sku not in known]
    return errors


async def set_price(session: AsyncSession, *, code: str, name: str, price: Money, active: bool,
                    actor: str, facts: CatalogueFacts | None = None) -> PartPrice:
    """Add or update the catalogue entry ``code`` (``facts`` replace the entry's catalogue facts; none keeps
    them). A negative price, an unknown language or a model not in the tenant's catalogue is refused with every
    bad field."""
    errors = []
    if price.amount_minor < 0:
        errors.append(FieldError("price_minor", "must not be negative"))
    errors += beyond_cap("price_minor", price)
    if not code.strip():
        errors.append(FieldError("code", "must not be empty"))
    if facts is not None:
        errors += await _catalogue_errors(session, facts)
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
    facts = facts or CatalogueFacts()
    if facts.names is not None:
        entry.names = {locale: text.strip() for locale, text in facts.names.items()}
    if facts.compatible_models is not None:
        entry.compatible_models = list(dict.fromkeys(facts.compatible_models))
    if facts.wear_part is not None:
        entry.wear_part = facts.wear_part
    if facts.supplier is not None:
        entry.supplier = facts.supplier.strip() or None
    await session.flush()
    return entry


def name_for(entry: PartPrice, locale: str | None) -> str:
    """The part's name for a reader of ``locale``: its name in that language, else its ``name``."""
    return (entry.names or {}).get(locale or "", entry.name)


async def price_list(session: AsyncSession) -> Sequence[PartPrice]:
    """Every entry, by code."""
    return (await session.scalars(select(PartPrice).order_by(PartPrice.code))).all()


__all__ = ["CatalogueFacts", "ItemAsked", "name_for", "price_list", "priced_items", "set_price"]
