"""Service points: the workshops and offices a tenant serves from, with the coordinates distance clocks use
(Golden Laser: on site in 24 h within 300 km of the nearest point). Admins manage them; staff read them."""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from litestar import Controller, get, post, put
from litestar.params import FromPath, JSONBody
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from aftersales.errors import Conflict, FieldError, InvalidInput, NotFound
from aftersales.http.context import TOKEN_TENANT, SessionDep
from aftersales.identity.guards import requires_scope
from aftersales.identity.scopes import REQUESTS_READ, SERVICE_POINTS_WRITE
from aftersales.service.models import ServicePoint
from aftersales.service.requests.services import COUNTRIES


class ServicePointIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    country: str = Field(min_length=2, max_length=2)
    active: bool = True
    address: str = Field(default="", max_length=500)
    kind: Literal["workshop", "office"] = Field(default="office", description=(
        "workshop (the central workshop units are sent to for repair) or office (a service office)"))


class ServicePointOut(BaseModel):
    id: UUID
    name: str
    latitude: float
    longitude: float
    country: str
    active: bool
    address: str
    kind: str


def point_out(p: ServicePoint) -> ServicePointOut:
    return ServicePointOut(id=p.id, name=p.name, latitude=p.latitude, longitude=p.longitude, country=p.country,
                           active=p.active, address=str(p.details.get("address", "")), kind=p.kind)


def _checked(data: ServicePointIn) -> dict[str, Any]:
    country = data.country.upper()
    if country not in COUNTRIES:
        raise InvalidInput("invalid service point", [FieldError("country", "not an ISO 3166-1 alpha-2 country code")])
    name = data.name.strip()
    if not name:
        raise InvalidInput("invalid service point", [FieldError("name", "must not be empty")])
    return {"name": name, "latitude": data.latitude, "longitude": data.longitude, "country": country,
            "active": data.active, "details": {"address": data.address.strip()}, "kind": data.kind}


class ServicePointController(Controller):
    """The tenant's service points; a new request's on-site clocks measure the distance to the nearest active one."""

    path = "/api/v1/service-points"
    tags = ["service"]
    dependencies = TOKEN_TENANT

    @get("/", operation_id="listServicePoints", guards=[requires_scope(REQUESTS_READ)])
    async def list_points(self, session: SessionDep) -> list[ServicePointOut]:
        """Every service point, by name."""
        return [point_out(p) for p in await session.scalars(select(ServicePoint).order_by(ServicePoint.name))]

    @post("/", operation_id="createServicePoint", guards=[requires_scope(SERVICE_POINTS_WRITE)])
    async def create(self, data: JSONBody[ServicePointIn], session: SessionDep) -> ServicePointOut:
        """Add a service point. :raises Conflict: one with this name exists."""
        point = ServicePoint(**_checked(data))
        try:
            async with session.begin_nested():
                session.add(point)
                await session.flush()
        except IntegrityError:
            raise Conflict(f"a service point named {point.name!r} exists") from None
        return point_out(point)

    @put("/{point_id:uuid}", operation_id="updateServicePoint", guards=[requires_scope(SERVICE_POINTS_WRITE)])
    async def update(self, point_id: FromPath[UUID], data: JSONBody[ServicePointIn], session: SessionDep) -> ServicePointOut:
        """Change a service point (move it, rename it, take it out of service with ``active: false``)."""
        point = await session.scalar(select(ServicePoint).where(ServicePoint.id == point_id))
        if point is None:
            raise NotFound("no such service point")
        for key, value in _checked(data).items():
            setattr(point, key, value)
        try:
            async with session.begin_nested():
                await session.flush()
        except IntegrityError:
            raise Conflict(f"a service point named {point.name!r} exists") from None
        return point_out(point)
