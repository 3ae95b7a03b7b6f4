"""Request-scoped dependencies: the runtime, sessions, and the tenant a request acts for.

API requests get their tenant from the verified access token (``tid``) and nothing else. Pages and the sign-in
endpoints get it from the host (``{slug}.{base domain}`` or the tenant's custom domain) or the ``/t/{slug}/``
path. Either way the tenant must exist and be active. A tenant named by a token is kept for a few seconds
(:class:`~aftersales.onboarding.services.TenantCache`: a suspension made through this process applies at once, one
made elsewhere within 5 s). A tenant session is one transaction: committed when the handler returns, rolled
back when it raises.

A tenant whose vertical is disabled (its plugin failed to load, or is not installed) is refused with a 503 naming
the reason (:class:`~aftersales.errors.VerticalUnavailable`), except on the routes that opt in with
``opt={SERVES_UNAVAILABLE_VERTICAL: True}`` (signing in and out), so its staff can sign in and read why.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

from litestar import Request
from litestar.di import NamedDependency, Provide
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.errors import NotFound, PermissionDenied, TenantUnavailable
from aftersales.http.language import reader
from aftersales.identity.guards import current_principal
from aftersales.observability.context import note_tenant
from aftersales.runtime import Runtime
from aftersales.tenancy.current import CurrentTenant, bind_tenant, tenant_cache
from aftersales.tenancy.models import Tenant

RuntimeDep = NamedDependency[Runtime]
SessionDep = NamedDependency[AsyncSession]
SERVES_UNAVAILABLE_VERTICAL = "serves_unavailable_vertical"
"""A handler ``opt`` key: the route serves a tenant whose vertical is disabled (it calls no hook)."""


TenantDep = NamedDependency[CurrentTenant]


def provide_runtime(request: Request[Any, Any, Any]) -> Runtime:
    return request.app.state.runtime


async def provide_platform_session(runtime: RuntimeDep) -> AsyncGenerator[AsyncSession, None]:
    async with runtime.db.transaction(None) as session:
        yield session


def _current(runtime: Runtime, tenant: Tenant | None) -> CurrentTenant:
    if tenant is None:
        raise NotFound("no such tenant")
    if tenant.status != "active":
        raise TenantUnavailable(f"tenant {tenant.slug!r} is {tenant.status}")
    return bind_tenant(tenant, runtime.plugins)


def _serving(request: Request[Any, Any, Any], current: CurrentTenant) -> CurrentTenant:
    """``current``, unless its vertical is disabled and the route does not serve such a tenant."""
    note_tenant(current.record.slug)
    if not request.route_handler.opt.get(SERVES_UNAVAILABLE_VERTICAL):
        current.refuse_if_unavailable()
    return current


async def provide_token_tenant(request: Request[Any, Any, Any], runtime: RuntimeDep) -> CurrentTenant:
    """The tenant bound into the caller's access token, from this process's tenant cache when it is there."""
    principal = current_principal(request)
    tenant_id = principal.tenant_id
    if tenant_id is None:
        raise PermissionDenied("this route needs a token bound to a tenant")

    async def load() -> CurrentTenant:
        async with runtime.db.platform_session() as session:
            return _current(runtime, await session.get(Tenant, tenant_id))

    tenant = await tenant_cache(runtime.db).get(tenant_id, load)
    reader().irr_as_toman = bool(tenant.record.branding.get("irr_as_toman", False))
    return _serving(request, tenant)


def slug_from_host(host: str, base_domain: str) -> str | None:
    """``mehr.example.com`` → ``mehr`` when the base domain is ``example.com``."""
    host = host.split(":", 1)[0].lower()
    suffix = "." + base_domain.lower()
    if host.endswith(suffix):
        label = host[: -len(suffix)]
        return label if label and "." not in label else None
    return None


async def provide_host_tenant(request: Request[Any, Any, Any], runtime: RuntimeDep) -> CurrentTenant:
    """The tenant of a page or sign-in request: ``/t/{slug}/`` path, then subdomain, then custom domain."""
    slug = request.path_params.get("tenant_slug")
    host = request.headers.get("host", "")
    if slug is None:
        slug = slug_from_host(host, runtime.settings.base_domain)
    async with runtime.db.platform_session() as session:
        if slug is not None:
            tenant = await session.scalar(select(Tenant).where(Tenant.slug == slug))
        else:
            domain = host.split(":", 1)[0].lower()
            tenant = await session.scalar(select(Tenant).where(Tenant.custom_domain == domain))
    return _serving(request, _current(runtime, tenant))


async def provide_tenant_session(runtime: RuntimeDep, tenant: TenantDep) -> AsyncGenerator[AsyncSession, None]:
    async with runtime.db.transaction(tenant.record.id) as session:
        yield session


DEPENDENCIES = {
    "runtime": Provide(provide_runtime, sync_to_thread=False),
    "platform_session": Provide(provide_platform_session),
}
TOKEN_TENANT = {"tenant": Provide(provide_token_tenant), "session": Provide(provide_tenant_session)}
HOST_TENANT = {"tenant": Provide(provide_host_tenant), "session": Provide(provide_tenant_session)}
