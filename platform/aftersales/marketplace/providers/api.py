"""Provider endpoints: admins add providers, move their status and authorise them, and keep their service points;
staff read them; a provider's own user reads its profile, edits its contacts and description and files documents.
A provider user asking about another provider gets 404."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, patch, post, put
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.http.context import TOKEN_TENANT, RuntimeDep, SessionDep, TenantDep
from aftersales.http.date_windows import check_authorisation_end
from aftersales.http.openapi import AS_FILED
from aftersales.http.paging import DEFAULT_LIMIT, check_limit, decode_cursor, invalid_cursor, split_page
from aftersales.identity.guards import actor, current_principal, requires_any_scope, requires_scope
from aftersales.identity.scopes import MARKETPLACE_MANAGE, MARKETPLACE_READ, PROVIDER_WORK
from aftersales.marketplace.access import check_reach
from aftersales.marketplace.models import Provider
from aftersales.marketplace.providers import documents, locations
from aftersales.marketplace.providers import services as service
from aftersales.marketplace.providers.schemas import (
    AuthorisationIn,
    DocumentOut,
    LocationIn,
    LocationOut,
    ProviderIn,
    ProviderOut,
    ProviderPage,
    ProviderPatch,
    StatusIn,
    document_out,
    location_out,
    provider_out,
)
from aftersales.marketplace.providers.services import Status

MAX_DOCUMENT_BODY = 11 * 1024 * 1024
READERS = requires_any_scope(MARKETPLACE_READ, PROVIDER_WORK)
EDITORS = requires_any_scope(MARKETPLACE_MANAGE, PROVIDER_WORK)


async def reach(request: Request[Any, Any, Any], session: AsyncSession, provider_id: UUID, *,
                write: bool) -> Provider:
    """The provider, if the caller may read (or change) it: see :func:`~aftersales.marketplace.access.check_reach`."""
    check_reach(current_principal(request), provider_id, write=write)
    return await service.get_provider(session, provider_id)


def _location(data: LocationIn) -> locations.LocationDetails:
    return locations.LocationDetails(name=data.name, latitude=data.latitude, longitude=data.longitude,
                                     service_radius_km=data.service_radius_km, address=data.address,
                                     active=data.active)


class ProviderController(Controller):
    """The tenant's marketplace providers, addressed by id."""

    path = "/api/v1/marketplace/providers"
    tags = ("marketplace",)
    dependencies = TOKEN_TENANT

    @post("/", operation_id="createProvider", guards=[requires_scope(MARKETPLACE_MANAGE)])
    async def create(self, data: JSONBody[ProviderIn], session: SessionDep, tenant: TenantDep) -> ProviderOut:
        """Add a provider; it stays ``pending`` (not bookable, not listed) until activated."""
        provider = await service.create_provider(session, tenant.record.country, data.model_dump())
        return provider_out(provider, tenant.today())

    @get("/", operation_id="listProviders", guards=[requires_scope(MARKETPLACE_READ)])
    async def list_providers(self, session: SessionDep, tenant: TenantDep, status: FromQuery[Status | None] = None,
                             skill: Annotated[str | None, QueryParameter(max_length=60)] = None,
                             authorised: FromQuery[bool | None] = None, limit: FromQuery[int] = DEFAULT_LIMIT,
                             cursor: FromQuery[str | None] = None) -> ProviderPage:
        """Providers by name; ``authorised`` means the authorisation holds today. Pass ``next_cursor`` back as
        ``cursor``."""
        after = None
        if cursor is not None:
            name, key = decode_cursor(cursor, 2)
            try:
                after = (str(name), UUID(str(key)))
            except ValueError:
                raise invalid_cursor() from None
        which = service.ProviderFilter(status=status, skill=skill, authorised=authorised)
        rows = await service.list_providers(session, which, today=tenant.today(), limit=check_limit(limit) + 1,
                                            after=after)
        page, next_cursor = split_page(rows, limit, lambda p: (p.name, str(p.id)))
        return ProviderPage(items=[provider_out(p, tenant.today()) for p in page], next_cursor=next_cursor)

    @get("/{provider_id:uuid}", operation_id="getProvider", guards=[READERS])
    async def get_provider(self, request: Request[Any, Any, Any], provider_id: FromPath[UUID],
                           session: SessionDep, tenant: TenantDep) -> ProviderOut:
        """One provider (a provider's user: its own only)."""
        return provider_out(await reach(request, session, provider_id, write=False), tenant.today())

    @patch("/{provider_id:uuid}", operation_id="editProvider", guards=[EDITORS])
    async def edit(self, request: Request[Any, Any, Any], provider_id: FromPath[UUID],
                   data: JSONBody[ProviderPatch], session: SessionDep, tenant: TenantDep) -> ProviderOut:
        """Change the given fields. A provider's own user changes only email, phone and description (403 for
        the rest); a skill that one of its offered services needs cannot be dropped (422)."""
        await reach(request, session, provider_id, write=True)
        provider = await service.edit_profile(
            session, tenant.record.country, provider_id, data.model_dump(exclude_unset=True),
            by_provider=current_principal(request).provider_id is not None)
        return provider_out(provider, tenant.today())

    @post("/{provider_id:uuid}/status", operation_id="changeProviderStatus", status_code=200,
          guards=[requires_scope(MARKETPLACE_MANAGE)])
    async def change_status(self, provider_id: FromPath[UUID], data: JSONBody[StatusIn], session: SessionDep,
                            tenant: TenantDep) -> ProviderOut:
        """Activate or suspend, with a reason: pending → active or suspended, active → suspended, suspended →
        active. 409 when the provider is already there or cannot go there."""
        provider = await service.change_status(session, provider_id, data.status, data.reason)
        return provider_out(provider, tenant.today())

    @put("/{provider_id:uuid}/authorisation", operation_id="setProviderAuthorisation",
         guards=[requires_scope(MARKETPLACE_MANAGE)])
    async def authorise(self, provider_id: FromPath[UUID], data: JSONBody[AuthorisationIn], session: SessionDep,
                        tenant: TenantDep) -> ProviderOut:
        """Authorise (a reference is required; ``until`` is the last day, not in the past) or withdraw."""
        check_authorisation_end(data.until, "until", tenant.today())
        provider = await service.set_authorisation(session, provider_id, authorised=data.authorised,
                                                   until=data.until, reference=data.reference, today=tenant.today())
        return provider_out(provider, tenant.today())

    @get("/{provider_id:uuid}/locations", operation_id="listProviderLocations", guards=[READERS])
    async def list_locations(self, request: Request[Any, Any, Any], provider_id: FromPath[UUID],
                             session: SessionDep) -> list[LocationOut]:
        """The provider's service points by name."""
        await reach(request, session, provider_id, write=False)
        return [location_out(loc) for loc in await locations.locations_of(session, provider_id)]

    @post("/{provider_id:uuid}/locations", operation_id="addProviderLocation",
          guards=[requires_scope(MARKETPLACE_MANAGE)])
    async def add_location(self, provider_id: FromPath[UUID], data: JSONBody[LocationIn],
                           session: SessionDep) -> LocationOut:
        """Add a service point: coordinates in degrees, a radius over 0 and at most 500 km."""
        await service.get_provider(session, provider_id)
        return location_out(await locations.add_location(session, provider_id, _location(data)))

    @put("/{provider_id:uuid}/locations/{location_id:uuid}", operation_id="editProviderLocation",
         guards=[requires_scope(MARKETPLACE_MANAGE)])
    async def edit_location(self, provider_id: FromPath[UUID], location_id: FromPath[UUID],
                            data: JSONBody[LocationIn], session: SessionDep) -> LocationOut:
        """Move, resize or retire (``active: false``) a service point."""
        return location_out(await locations.edit_location(session, provider_id, location_id, _location(data)))

    @post("/{provider_id:uuid}/documents", operation_id="fileProviderDocument", guards=[EDITORS],
          request_max_body_size=MAX_DOCUMENT_BODY)
    async def file_document(self, request: Request[Any, Any, Any], provider_id: FromPath[UUID],
                            kind: Annotated[str, QueryParameter(max_length=40)], session: SessionDep,
                            tenant: TenantDep, runtime: RuntimeDep) -> DocumentOut:
        """File a document (the raw PDF, JPEG or PNG as the body, at most 10 MiB; ``X-Filename`` names it).
        ``kind``: licence, insurance, authorisation, identity or other."""
        await reach(request, session, provider_id, write=True)
        document = await documents.add_document(
            session, runtime.settings.data_dir, tenant.record.id, provider_id, kind=kind,
            content=await request.body(), content_type=request.headers.get("content-type", ""),
            filename=request.headers.get("x-filename", ""), uploaded_by=actor(request))
        return document_out(document)

    @get("/{provider_id:uuid}/documents", operation_id="listProviderDocuments", guards=[READERS])
    async def list_documents(self, request: Request[Any, Any, Any], provider_id: FromPath[UUID],
                             session: SessionDep) -> list[DocumentOut]:
        """The provider's documents, oldest first."""
        await reach(request, session, provider_id, write=False)
        return [document_out(d) for d in await documents.documents_of(session, provider_id)]

    @get("/{provider_id:uuid}/documents/{document_id:uuid}", operation_id="getProviderDocument", guards=[READERS],
         responses=AS_FILED)
    async def get_document(self, request: Request[Any, Any, Any], provider_id: FromPath[UUID],
                           document_id: FromPath[UUID], session: SessionDep, tenant: TenantDep,
                           runtime: RuntimeDep) -> Response[bytes]:
        """A document as it was filed."""
        await reach(request, session, provider_id, write=False)
        document, content = await documents.read_document(session, runtime.settings.data_dir, tenant.record.id,
                                                          provider_id, document_id)
        return Response(content, media_type=document.content_type,
                        headers={"content-disposition": f'attachment; filename="{document.filename}"'})
