"""Webhooks in the console (``/console/webhooks``): the tenant's endpoints with the events each subscribes to and
its recent deliveries (event, status, attempts, last error), and a button that sends an endpoint a test event,
delivered by the worker like any other. The same services as the API's ``/api/v1/webhooks`` and the same right,
``notifications:manage`` (anyone else gets the 403 page)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from aftersales.db.base import utcnow
from aftersales.errors import Conflict
from aftersales.http.context import SessionDep, TenantDep
from aftersales.identity.scopes import NOTIFICATIONS_MANAGE
from aftersales.outbox import webhooks
from aftersales.web.console.console_pages import actor_of, console_page, show
from aftersales.web.page_auth import ViewerDep
from aftersales.web.page_controller import PageController

RECENT = 10
"""Deliveries shown per endpoint, newest first (the API's ``/api/v1/outbox`` pages through all of them)."""


class ConsoleWebhookController(PageController):
    """The tenant's webhook endpoints and how their deliveries went."""

    @get("/console/webhooks")
    async def endpoints(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                        viewer: ViewerDep) -> Template:
        """Every endpoint, active first, with its events and its last deliveries."""
        viewer.staff(NOTIFICATIONS_MANAGE)
        return await _page(request, tenant, session, viewer)

    @post("/console/webhooks/{endpoint_id:uuid}/test")
    async def send_test(self, request: Request[Any, Any, Any], endpoint_id: FromPath[UUID], tenant: TenantDep,
                        session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Queue a ``webhook.test`` event for the endpoint; back to the list, where it shows as pending."""
        staff = viewer.staff(NOTIFICATIONS_MANAGE)
        try:
            await webhooks.send_test(session, endpoint_id, requested_by=actor_of(staff), now=utcnow())
        except Conflict:
            return await _page(request, tenant, session, viewer, status_code=409, refused=endpoint_id)
        page = console_page(request, tenant, viewer)[0]
        return Redirect(page.url(f"/console/webhooks?sent={endpoint_id}#endpoint-{endpoint_id}"), status_code=303)


async def _page(request: Request[Any, Any, Any], tenant: Any, session: Any, viewer: Any, *, status_code: int = 200,
                refused: UUID | None = None) -> Template:
    page, clock = console_page(request, tenant, viewer)
    endpoints = sorted(await webhooks.list_endpoints(session), key=lambda e: not e.active)
    recent = await webhooks.recent_deliveries(session, [e.id for e in endpoints], per_endpoint=RECENT)
    return show(request, page, clock, "console/webhooks.html", status_code=status_code, section="webhooks",
                endpoints=endpoints, recent=recent, sent=str(request.query_params.get("sent") or ""),
                refused=refused)
