"""Tenancy endpoints: the operator's tenant directory and onboarding, and a tenant's view of itself."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, JSONBody

from aftersales.http.context import (
    SERVES_UNAVAILABLE_VERTICAL,
    TOKEN_TENANT,
    RuntimeDep,
    SessionDep,
    TenantDep,
)
from aftersales.identity.guards import actor, operator_only, requires_scope
from aftersales.identity.scopes import TENANT_READ
from aftersales.onboarding import services as onboarding
from aftersales.onboarding.schemas import (
    OnboardResult,
    PluginStatus,
    StatusChange,
    TenantDetail,
    TenantSummary,
)
from aftersales.plugins import PluginRegistry
from aftersales.tenancy import directory
from aftersales.tenancy.models import Tenant


def _summary(t: Tenant) -> dict[str, Any]:
    return dict(id=t.id, slug=t.slug, name=t.name, status=t.status, vertical=t.vertical, addons=t.addons,
                locales=t.locales, currency=t.currency, time_zone=t.time_zone)


def _detail(t: Tenant, plugins: PluginRegistry) -> TenantDetail:
    available = all(name in plugins.infos for name in t.plugin_set)
    return TenantDetail(**_summary(t), manifest=onboarding.manifest_of(t), plugins_available=available,
                        vertical_unavailable=plugins.unavailable_reason(t.vertical),
                        status_reason=t.status_reason, status_changed_at=t.status_changed_at,
                        status_changed_by=t.status_changed_by)


def plugin_statuses(plugins: PluginRegistry) -> list[PluginStatus]:
    """Every plugin found: the loaded ones with their schema, the disabled ones with the reason."""
    out = [
        PluginStatus(name=n, kind=i.kind, title=i.title, version=i.version, loaded=True,
                     settings_schema=i.settings_schema.model_json_schema())
        for n, i in sorted(plugins.infos.items())
    ]
    out += [PluginStatus(name=f.name, kind="unknown", title=f.name, version="", loaded=False, error=f.reason)
            for f in sorted(plugins.failures.values(), key=lambda f: f.name)]
    return out


class OperatorController(Controller):
    """What platform operators do: onboard, update, suspend and inspect tenants; see plugin health."""

    path = "/api/v1/operator"
    tags = ["operator"]
    guards = [operator_only]

    @get("/tenants", operation_id="listTenants")
    async def list_tenants(self, platform_session: SessionDep) -> list[TenantSummary]:
        """Every tenant on the platform."""
        return [TenantSummary(**_summary(t)) for t in await directory.list_tenants(platform_session)]

    @post("/tenants", operation_id="onboardTenant", status_code=200,
          responses={201: ResponseSpec(OnboardResult, description="The tenant, created")})
    async def onboard(self, data: JSONBody[dict[str, Any]], platform_session: SessionDep, runtime: RuntimeDep) -> Response[OnboardResult]:
        """Create a tenant from a manifest, or update it if the slug exists. Every field error at once."""
        tenant, created = await onboarding.onboard(platform_session, runtime.plugins, data)
        result = OnboardResult(created=created, tenant=_detail(tenant, runtime.plugins))
        return Response(result, status_code=201 if created else 200)

    @get("/tenants/{slug:str}", operation_id="getTenant")
    async def get_tenant(self, slug: FromPath[str], platform_session: SessionDep, runtime: RuntimeDep) -> TenantDetail:
        """One tenant with its manifest and whether its plugins are available."""
        return _detail(await directory.get_tenant(platform_session, slug), runtime.plugins)

    @post("/tenants/{slug:str}/status", operation_id="setTenantStatus", status_code=200)
    async def set_status(self, request: Request[Any, Any, Any], slug: FromPath[str], data: JSONBody[StatusChange],
                         platform_session: SessionDep, runtime: RuntimeDep) -> TenantDetail:
        """Suspend (``suspended``, with a ``reason``) or reactivate (``active``) a tenant; a suspended tenant's API
        refuses calls."""
        tenant = await directory.set_status(platform_session, slug, data.status, reason=data.reason,
                                           actor=actor(request))
        return _detail(tenant, runtime.plugins)

    @get("/plugins", operation_id="listPlugins")
    async def plugins(self, runtime: RuntimeDep) -> list[PluginStatus]:
        """The plugins this process found: loaded, or disabled with the reason."""
        return plugin_statuses(runtime.plugins)


class TenantSelfController(Controller):
    """A tenant's own profile, as its staff and integrations see it."""

    path = "/api/v1/tenant"
    tags = ["tenancy"]
    dependencies = TOKEN_TENANT

    @get("/", operation_id="getCurrentTenant", guards=[requires_scope(TENANT_READ)],
         opt={SERVES_UNAVAILABLE_VERTICAL: True})
    async def current(self, tenant: TenantDep, runtime: RuntimeDep) -> TenantDetail:
        """The tenant the access token is bound to; answered even when its vertical is disabled, saying why
        (``vertical_unavailable``)."""
        return _detail(tenant.record, runtime.plugins)


__all__ = ["OperatorController", "TenantSelfController", "plugin_statuses"]
