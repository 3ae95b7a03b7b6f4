"""The tenant's warehouses: central ones ship anywhere, a regional one within its own province."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.errors import Conflict, FieldError, InvalidInput, NotFound
from aftersales.orders.fulfilment.models import Warehouse, WarehouseKind
from aftersales.orders.fulfilment.provinces import province_errors
from aftersales.tenancy.current import CurrentTenant

MAX_CODE = 40
MAX_NAME = 200


@dataclass(frozen=True)
class NewWarehouse:
    """A warehouse as an admin gives it."""

    code: str
    name: str
    kind: str
    province: str


async def create_warehouse(session: AsyncSession, tenant: CurrentTenant, new: NewWarehouse) -> Warehouse:
    """Add a warehouse. :raises InvalidInput: every bad field (nothing written). :raises Conflict: the code is taken."""
    code, name, province = new.code.strip(), new.name.strip(), new.province.strip().upper()
    errors: list[FieldError] = []
    if not code or len(code) > MAX_CODE:
        errors.append(FieldError("code", f"must be 1 to {MAX_CODE} characters", code="warehouse.code_length",
                                 params={"limit": MAX_CODE}))
    if not name or len(name) > MAX_NAME:
        errors.append(FieldError("name", f"must be 1 to {MAX_NAME} characters", code="warehouse.name_length",
                                 params={"limit": MAX_NAME}))
    if new.kind not in tuple(WarehouseKind):
        errors.append(FieldError("kind", "must be central or regional", code="warehouse.unknown_kind"))
    errors += province_errors(province, "province", tenant.context.country)
    if errors:
        raise InvalidInput("the warehouse cannot be added", errors)
    if await session.scalar(select(Warehouse.id).where(Warehouse.code == code)) is not None:
        raise Conflict(f"a warehouse with the code {code} exists already", code="warehouse.code_taken",
                       params={"code": code})
    warehouse = Warehouse(code=code, name=name, kind=new.kind, province=province)
    session.add(warehouse)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:  # a concurrent add of the same code
        raise Conflict(f"a warehouse with the code {code} exists already", code="warehouse.code_taken",
                       params={"code": code}) from None
    return warehouse


async def list_warehouses(session: AsyncSession) -> list[Warehouse]:
    """The tenant's warehouses, by code."""
    return list(await session.scalars(select(Warehouse).order_by(Warehouse.code)))


async def get_warehouse(session: AsyncSession, warehouse_id: uuid.UUID) -> Warehouse:
    """:raises NotFound: the session's tenant has no such warehouse."""
    warehouse = await session.scalar(select(Warehouse).where(Warehouse.id == warehouse_id))
    if warehouse is None:
        raise NotFound("no such warehouse")
    return warehouse
