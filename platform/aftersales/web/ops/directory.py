"""``/ops/`` (every tenant with its status, plugin set and health) and ``/ops/tenants/{slug}`` (one tenant, to
suspend with a reason or reactivate through the same service as ``POST /api/v1/operator/tenants/{slug}/status``).

A suspended tenant's portal, console and API refuse every request at once in this process (the tenant cache
forgets it on commit) and within 5 s in others; reactivating applies at once everywhere.
"""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from aftersales.db.base import utcnow
from aftersales.http.context import RuntimeDep, SessionDep
from aftersales.i18n.hours import weekly_hours
from aftersales.tenancy import directory
from aftersales.tenancy.current import calendar_info
from aftersales.web.console.labels import CHANNELS
from aftersales.web.forms import field
from aftersales.web.ops.health import OVERDUE_AFTER
from aftersales.web.ops.pages import moment, operator_page, tenant_row
from aftersales.web.page_auth import ViewerDep
from aftersales.web.page_controller import OperatorPageController
from aftersales.web.portal.rendering import Page, render

logger = logging.getLogger("aftersales.ops")
MAX_REASON = 500


def _common(page: Page) -> dict[str, Any]:
    return {"overdue_minutes": page.fmt.number(int(OVERDUE_AFTER.total_seconds() // 60))}


class OpsTenantsController(OperatorPageController):
    """The tenant directory and one tenant's page, for signed-in operators only."""

    @get("/ops/")
    async def tenants(self, request: Request[Any, Any, Any], runtime: RuntimeDep, platform_session: SessionDep,
                      viewer: ViewerDep) -> Template:
        """Every tenant: status, vertical, plugin set (versions, loaded or not) and health."""
        page = operator_page(request, viewer)
        now = utcnow()
        rows = [await tenant_row(runtime, runtime.plugins, tenant, now)
                for tenant in await directory.list_tenants(platform_session)]
        active = sum(1 for row in rows if row.tenant.status == "active")
        return render(page, "ops/tenants.html", rows=rows, active=active, now=now, moment=moment, **_common(page))

    @get("/ops/tenants/{slug:str}")
    async def tenant(self, request: Request[Any, Any, Any], slug: FromPath[str], runtime: RuntimeDep,
                     platform_session: SessionDep, viewer: ViewerDep) -> Template:
        """One tenant: its manifest's main facts, plugin set with hooks, health, and the suspend form."""
        page = operator_page(request, viewer)
        return await self._show(page, runtime, platform_session, slug)

    @post("/ops/tenants/{slug:str}/status", status_code=303)
    async def set_status(self, request: Request[Any, Any, Any], slug: FromPath[str], runtime: RuntimeDep,
                         platform_session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Suspend (a reason is required) or reactivate the tenant, then show its page again."""
        page = operator_page(request, viewer)
        operator = viewer.operator()
        posted = await request.form()
        status = str(posted.get("status") or "")
        reason = field(posted, "reason")
        _ = page.translations.gettext
        error = None
        if status == "suspended" and not reason:
            error = _("Say why the tenant is suspended; the reason is kept with the tenant.")
        elif len(reason) > MAX_REASON:
            error = _("Keep the reason under %(count)s characters.") % {"count": page.fmt.number(MAX_REASON)}
        if error:
            return await self._show(page, runtime, platform_session, slug, status_code=422, reason=reason,
                                    reason_error=error)
        tenant = await directory.set_status(platform_session, slug, status, reason=reason,
                                           actor=f"operator:{operator.subject}")
        logger.info("operator %s set tenant %s to %s: %s", operator.subject, tenant.slug, status, reason or "-")
        return Redirect(f"/ops/tenants/{tenant.slug}", status_code=303)

    @staticmethod
    async def _show(page: Page, runtime: Any, platform_session: Any, slug: str, *, status_code: int = 200,
                    reason: str = "", reason_error: str | None = None) -> Template:
        tenant = await directory.get_tenant(platform_session, slug)
        now = utcnow()
        row = await tenant_row(runtime, runtime.plugins, tenant, now)
        return render(page, "ops/tenant.html", status_code=status_code, row=row, tenant=tenant, now=now,
                      week=weekly_hours(calendar_info(tenant), page.fmt),
                      around_the_clock=[page.translations.gettext(CHANNELS.get(c, c))
                                        for c in tenant.around_the_clock_channels or ()],
                      moment=moment, reason=reason, reason_error=reason_error, max_reason=MAX_REASON,
                      **_common(page))
