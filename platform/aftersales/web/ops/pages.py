"""What every operator console page shares: the signed-in operator's page context, the tenants' rows with their
plugin sets and health, and how a moment is shown (a date and how long ago, in the reader's language)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from babel.dates import format_timedelta
from litestar import Request

from aftersales.plugins import PluginRegistry
from aftersales.runtime import Runtime
from aftersales.tenancy.models import Tenant
from aftersales.web.ops.health import TenantHealth, tenant_health
from aftersales.web.ops.plugin_sets import PluginView, plugin_set
from aftersales.web.page_auth import Viewer
from aftersales.web.portal.rendering import Page, platform_page_for


@dataclass(frozen=True)
class TenantRow:
    """One tenant as the console lists it."""

    tenant: Tenant
    plugins: list[PluginView]
    health: TenantHealth

    @property
    def plugins_loaded(self) -> bool:
        return all(plugin.loaded for plugin in self.plugins)


def operator_page(request: Request[Any, Any, Any], viewer: Viewer) -> Page:
    """The page context for the signed-in operator; anyone else is sent to ``/ops/sign-in``."""
    viewer.operator()
    return platform_page_for(request, viewer)


async def tenant_row(runtime: Runtime, registry: PluginRegistry, tenant: Tenant, now: datetime) -> TenantRow:
    """``tenant`` with its plugin set and its health asked of the database now."""
    return TenantRow(tenant, plugin_set(registry, tenant), await tenant_health(runtime.db, tenant, now))


def moment(page: Page, when: datetime | None, now: datetime) -> str:
    """``when`` as the reader's date and how long before ``now`` it was (``3 hours ago``); empty if unknown."""
    if when is None:
        return ""
    ago = format_timedelta(when - now, add_direction=True, locale=page.locale)
    return f"{page.fmt.date(when.date())} · {page.fmt.digits(ago)}"
