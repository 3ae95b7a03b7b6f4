"""The catalogue: a tenant's product models, addressed by SKU.

A model carries what the vertical's rules need to decide things about a unit (its volume and weight for
"large item", an optional per-model warranty length). Saving a model is an upsert by SKU, like onboarding a
tenant: the body describes the whole model, so sending the same description twice changes nothing, and
fields left out return to their defaults.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.values import ProductInfo
from aftersales.errors import FieldError, InvalidInput, NotFound
from aftersales.warranty.models import ProductModel

SKU_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$"
"""Letters, digits, ``.``, ``_`` and ``-``, starting with a letter or digit, at most 80: safe in a URL path
and in a CSV cell."""
MAX_NAME_LENGTH = 200
MAX_CATEGORY_LENGTH = 80
WARRANTY_MONTHS_RANGE = (1, 240)


@dataclass(frozen=True)
class ModelDescription:
    """Everything a tenant says about one model; what :func:`save_model` validates and stores."""

    sku: str
    name: str
    category: str = ""
    volume_m3: float | None = None
    weight_kg: float | None = None
    warranty_months: int | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    active: bool = True
    in_stock: bool = True
    list_price_minor: int | None = None
    """The catalogue price in the tenant's currency; an order line without a price takes it."""


def validate_model(description: ModelDescription) -> ModelDescription:
    """The description with its text trimmed.

    :raises InvalidInput: listing every broken field at once.
    """
    sku, name, category = description.sku.strip(), description.name.strip(), description.category.strip()
    errors: list[FieldError] = []
    if re.fullmatch(SKU_PATTERN, sku) is None:
        errors.append(FieldError("sku", "must be 1 to 80 letters, digits, '.', '_' or '-', starting with a "
                                        "letter or digit"))
    if not name:
        errors.append(FieldError("name", "must not be empty"))
    elif len(name) > MAX_NAME_LENGTH:
        errors.append(FieldError("name", f"must be at most {MAX_NAME_LENGTH} characters"))
    if len(category) > MAX_CATEGORY_LENGTH:
        errors.append(FieldError("category", f"must be at most {MAX_CATEGORY_LENGTH} characters"))
    for name_of_field in ("volume_m3", "weight_kg"):
        value = getattr(description, name_of_field)
        if value is not None and not value > 0:
            errors.append(FieldError(name_of_field, "must be greater than 0 when given"))
    low, high = WARRANTY_MONTHS_RANGE
    months = description.warranty_months
    if months is not None and not low <= months <= high:
        errors.append(FieldError("warranty_months", f"must be between {low} and {high} months when given"))
    if description.list_price_minor is not None and description.list_price_minor < 0:
        errors.append(FieldError("list_price_minor", "must not be negative"))
    if errors:
        raise InvalidInput("invalid product model", errors)
    return ModelDescription(
        sku=sku, name=name, category=category, volume_m3=description.volume_m3, weight_kg=description.weight_kg,
        warranty_months=months, attributes=dict(description.attributes), active=description.active,
        in_stock=description.in_stock, list_price_minor=description.list_price_minor,
    )


async def save_model(session: AsyncSession, description: ModelDescription) -> tuple[ProductModel, bool]:
    """Create the model a description names by SKU, or update it in place if the SKU exists (never a duplicate).

    :return: the model and whether it was created.
    :raises InvalidInput: with every field error; nothing is written.
    """
    valid = validate_model(description)
    model = await session.scalar(select(ProductModel).where(ProductModel.sku == valid.sku))
    created = model is None
    if model is None:
        model = ProductModel(sku=valid.sku)
        session.add(model)
    model.name = valid.name
    model.category = valid.category
    model.volume_m3 = valid.volume_m3
    model.weight_kg = valid.weight_kg
    model.warranty_months = valid.warranty_months
    model.attributes = valid.attributes
    model.active = valid.active
    model.in_stock = valid.in_stock
    model.list_price_minor = valid.list_price_minor
    await session.flush()
    return model, created


async def list_models(session: AsyncSession) -> list[ProductModel]:
    """Every model of the session's tenant, by SKU."""
    return list(await session.scalars(select(ProductModel).order_by(ProductModel.sku)))


async def get_model(session: AsyncSession, sku: str) -> ProductModel:
    """:raises NotFound: when the session's tenant has no model with this SKU."""
    model = await session.scalar(select(ProductModel).where(ProductModel.sku == sku.strip()))
    if model is None:
        raise NotFound(f"no product model with SKU {sku!r}")
    return model


class ModelFields(Protocol):
    """What :func:`product_info` reads: a :class:`ProductModel`, or a Core row with its columns."""

    sku: str
    name: str
    category: str
    volume_m3: float | None
    weight_kg: float | None
    warranty_months: int | None
    attributes: dict[str, Any] | None


def product_info(model: ModelFields) -> ProductInfo:
    """The model as hooks see it: a frozen value object, never the ORM row."""
    attributes: dict[str, Any] = model.attributes or {}
    return ProductInfo(
        sku=model.sku, name=model.name, category=model.category, volume_m3=model.volume_m3,
        weight_kg=model.weight_kg, warranty_months=model.warranty_months,
        attributes={str(k): str(v) for k, v in attributes.items()},
    )
