"""Service catalogue endpoints: every tenant token reads the active offerings (staff with ``marketplace:read``
also the retired ones); admins add and edit them and can add the vertical's defaults the tenant lacks."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, post, put
from litestar.params import FromPath, JSONBody

from aftersales.http.context import TOKEN_TENANT, SessionDep, TenantDep
from aftersales.identity.guards import current_principal, requires_scope
from aftersales.identity.scopes import MARKETPLACE_MANAGE, MARKETPLACE_READ
from aftersales.marketplace.access import any_tenant_token
from aftersales.marketplace.catalogue import services as service
from aftersales.marketplace.catalogue.schemas import OfferingChangeIn, OfferingIn, OfferingOut, offering_out


def _change(data: OfferingChangeIn) -> service.OfferingChange:
    return service.OfferingChange(name=data.name, category=data.category, duration_minutes=data.duration_minutes,
                                  skill=data.skill, warranty_needs_authorisation=data.warranty_needs_authorisation,
                                  active=data.active)


class OfferingController(Controller):
    """The tenant's service catalogue, addressed by offering id (bookings and prices name offerings by code)."""

    path = "/api/v1/marketplace/offerings"
    tags = ("marketplace",)
    dependencies = TOKEN_TENANT

    @get("/", operation_id="listOfferings", guards=[any_tenant_token])
    async def list_offerings(self, request: Request[Any, Any, Any], session: SessionDep) -> list[OfferingOut]:
        """The catalogue by category and code: active offerings, and retired ones too for staff."""
        staff = current_principal(request).has_scope(MARKETPLACE_READ)
        return [offering_out(o) for o in await service.list_offerings(session, active_only=not staff)]

    @post("/", operation_id="addOffering", guards=[requires_scope(MARKETPLACE_MANAGE)])
    async def add(self, data: JSONBody[OfferingIn], session: SessionDep) -> OfferingOut:
        """Add an offering; 409 when its code is taken."""
        return offering_out(await service.add_offering(session, data.code, _change(data)))

    @put("/{offering_id:uuid}", operation_id="editOffering", guards=[requires_scope(MARKETPLACE_MANAGE)])
    async def edit(self, offering_id: FromPath[UUID], data: JSONBody[OfferingChangeIn],
                   session: SessionDep) -> OfferingOut:
        """Change or retire (``active: false``) an offering; its code stays."""
        return offering_out(await service.edit_offering(session, offering_id, _change(data)))

    @post("/defaults", operation_id="addDefaultOfferings", status_code=200,
          guards=[requires_scope(MARKETPLACE_MANAGE)])
    async def add_defaults(self, session: SessionDep, tenant: TenantDep) -> list[OfferingOut]:
        """Add the vertical's default offerings the catalogue lacks (by code); returns the added ones. Edited and
        retired offerings stay as they are."""
        specs = tenant.hooks.aftersales_service_catalogue(tenant=tenant.context)
        return [offering_out(o) for o in await service.seed_catalogue(session, specs)]
