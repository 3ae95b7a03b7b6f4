"""Stock locations: a warehouse, a service point or a technician's van, each with the tenant's own code."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import Uuid, column, select, table
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.db.session import bound_tenant
from aftersales.errors import Conflict, FieldError, InvalidInput, NotFound
from aftersales.orders.fulfilment.models import Warehouse
from aftersales.parts.models import LocationKind, StockLocation
from aftersales.service.models import ServicePoint

MAX_CODE = 40
MAX_NAME = 200


@dataclass(frozen=True)
class NewLocation:
    """A location as staff give it: the place it is, by kind (the warehouse, service point or technician)."""

    code: str
    name: str
    kind: str
    warehouse_id: uuid.UUID | None = None
    service_point_id: uuid.UUID | None = None
    technician_id: uuid.UUID | None = None


TECHNICIANS = table("technicians", column("tenant_id", Uuid()), column("id", Uuid()))
"""Dispatch's technicians, named by table: parts stands below dispatch, so a van's technician is looked up here
(the tenant named in the WHERE, row-level security on PostgreSQL too), not imported."""


async def _place_errors(session: AsyncSession, new: NewLocation) -> list[FieldError]:
    """The place a location of its kind must name, and nothing else."""
    places = {"warehouse_id": new.warehouse_id, "service_point_id": new.service_point_id,
              "technician_id": new.technician_id}
    wanted = {LocationKind.WAREHOUSE: "warehouse_id", LocationKind.SERVICE_POINT: "service_point_id",
              LocationKind.VAN: "technician_id"}.get(new.kind)  # type: ignore[call-overload]
    if wanted is None:
        return [FieldError("kind", "must be warehouse, service_point or van", code="stock.unknown_location_kind")]
    errors = [FieldError(field, f"a {new.kind} location names only its {wanted}", code="stock.location_place")
              for field, value in places.items() if field != wanted and value is not None]
    if places[wanted] is None:
        return [*errors, FieldError(wanted, f"a {new.kind} location must name it", code="stock.location_place")]
    if new.kind == LocationKind.WAREHOUSE and await session.scalar(
            select(Warehouse.id).where(Warehouse.id == new.warehouse_id)) is None:
        errors.append(FieldError("warehouse_id", "is not a warehouse of the tenant", code="stock.unknown_place"))
    if new.kind == LocationKind.VAN and await session.scalar(
            select(TECHNICIANS.c.id).where(TECHNICIANS.c.tenant_id == bound_tenant(session),
                                           TECHNICIANS.c.id == new.technician_id)) is None:
        errors.append(FieldError("technician_id", "is not a technician of the tenant", code="stock.unknown_place"))
    if new.kind == LocationKind.SERVICE_POINT and await session.scalar(
            select(ServicePoint.id).where(ServicePoint.id == new.service_point_id)) is None:
        errors.append(FieldError("service_point_id", "is not a service point of the tenant",
                                 code="stock.unknown_place"))
    return errors


async def create_location(session: AsyncSession, new: NewLocation) -> StockLocation:
    """Add a stock location. :raises InvalidInput: every bad field (nothing written). :raises Conflict: the code
    is taken."""
    code, name = new.code.strip(), new.name.strip()
    errors: list[FieldError] = []
    if not code or len(code) > MAX_CODE:
        errors.append(FieldError("code", f"must be 1 to {MAX_CODE} characters", code="stock.code_length",
                                 params={"limit": MAX_CODE}))
    if not name or len(name) > MAX_NAME:
        errors.append(FieldError("name", f"must be 1 to {MAX_NAME} characters", code="stock.name_length",
                                 params={"limit": MAX_NAME}))
    errors += await _place_errors(session, new)
    if errors:
        raise InvalidInput("the stock location cannot be added", errors)
    if await session.scalar(select(StockLocation.id).where(StockLocation.code == code)) is not None:
        raise _taken(code)
    place = StockLocation(code=code, name=name, kind=new.kind, warehouse_id=new.warehouse_id,
                          service_point_id=new.service_point_id, technician_id=new.technician_id)
    session.add(place)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:  # a concurrent add of the same code
        raise _taken(code) from None
    return place


def _taken(code: str) -> Conflict:
    return Conflict(f"a stock location with the code {code} exists already", code="stock.location_code_taken",
                    params={"code": code})


async def list_locations(session: AsyncSession) -> list[StockLocation]:
    """The tenant's stock locations, by code."""
    return list(await session.scalars(select(StockLocation).order_by(StockLocation.code)))


async def get_location(session: AsyncSession, location_id: uuid.UUID) -> StockLocation:
    """:raises NotFound: the session's tenant has no such location."""
    found = await session.scalar(select(StockLocation).where(StockLocation.id == location_id))
    if found is None:
        raise NotFound("no such stock location")
    return found

