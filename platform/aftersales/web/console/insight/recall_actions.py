"""What a recall coordinator does from the console: draft a campaign (``/console/recalls/new``), launch it, close
it, and record a unit's owner acknowledgement or its fix on the campaign's page.

Each action calls the service the API calls, as the signed-in staff member and with the API's scope:
``serials:write`` to draft, launch and close; ``registrations:write`` to record an acknowledgement;
``claims:write`` to record a fix (403 page otherwise). A successful action redirects (post/redirect/get); a refused
one shows the form again with each field's reason beside it (422) or the campaign with the reason (409), and
nothing of it is written.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.db.base import utcnow
from aftersales.errors import Conflict, InvalidInput, NotFound
from aftersales.http.context import RuntimeDep, SessionDep, TenantDep
from aftersales.identity.principals import Principal
from aftersales.identity.scopes import CLAIMS_WRITE, REGISTRATIONS_WRITE, SERIALS_WRITE
from aftersales.tenancy.current import CurrentTenant
from aftersales.warranty.recalls import services as recalls
from aftersales.warranty.recalls import units as recall_units
from aftersales.web.console.console_pages import actor_of
from aftersales.web.console.insight.recall_forms import (
    CAMPAIGN_FIELDS,
    Problem,
    draft_of,
    field_reasons,
    refusal,
)
from aftersales.web.console.insight.recalls import campaign_page
from aftersales.web.forms import form_fields
from aftersales.web.page_auth import Viewer, ViewerDep
from aftersales.web.page_controller import PageController
from aftersales.web.portal.rendering import page_for, render

CAMPAIGN = "/console/recalls/{campaign_id:uuid}"
UNIT_FIELDS = ("serial", "note", "pending")


def _new_form(request: Request[Any, Any, Any], tenant: CurrentTenant, viewer: Viewer, *,
              problem: Problem | None = None, status_code: int = 200) -> Template:
    return render(page_for(request, tenant, viewer), "console/recalls_new.html", status_code=status_code,
                  section="recalls", problem=problem or Problem(), limits=recalls_limits())


def recalls_limits() -> dict[str, int]:
    """The longest title, defect and remedy the service takes (the form's ``maxlength``)."""
    return {"title": recalls.MAX_TITLE, "reason": recalls.MAX_REASON, "remedy": recalls.MAX_REMEDY,
            "note": recall_units.MAX_FIX_NOTE}


def _back(request: Request[Any, Any, Any], tenant: CurrentTenant, viewer: Viewer, campaign_id: UUID,
          pending: str = "") -> Redirect:
    page = page_for(request, tenant, viewer)
    query = f"?{urlencode({'pending': pending})}" if pending in tuple(recall_units.Pending) else ""
    return Redirect(page.url(f"/console/recalls/{campaign_id}") + query, status_code=303)


async def _act(request: Request[Any, Any, Any], tenant: CurrentTenant, session: AsyncSession, viewer: Viewer,
               me: Principal, campaign_id: UUID, action: str, typed: dict[str, str],
               work: Callable[[], Awaitable[object]]) -> Template | Redirect:
    """Run ``work()`` in a savepoint: back to the campaign when it succeeds; when the service refuses, the
    savepoint is rolled back (nothing written) and the campaign is shown with the reason beside the action."""
    page = page_for(request, tenant, viewer)
    try:
        async with session.begin_nested():
            await work()
    except InvalidInput as exc:
        problem = Problem(action, fields=field_reasons(page, exc), typed=typed)
        return await campaign_page(request, tenant, session, viewer, me, campaign_id, problem=problem,
                                   status_code=422)
    except (Conflict, NotFound) as exc:
        problem = Problem(action, reason=refusal(page, exc), typed=typed)
        return await campaign_page(request, tenant, session, viewer, me, campaign_id, problem=problem,
                                   status_code=409 if isinstance(exc, Conflict) else 404)
    return _back(request, tenant, viewer, campaign_id, typed.get("pending", ""))


class RecallActionsController(PageController):
    """The recall coordinator's forms; every one carries the CSRF token."""

    @get("/console/recalls/new")
    async def new(self, request: Request[Any, Any, Any], tenant: TenantDep, viewer: ViewerDep) -> Template:
        """The empty form of a new campaign: its defect, remedy and the units it selects."""
        viewer.staff(SERIALS_WRITE)
        return _new_form(request, tenant, viewer)

    @post("/console/recalls/new")
    async def create(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                     viewer: ViewerDep) -> Template | Redirect:
        """Draft the campaign and show its reach; every bad field is shown beside it at once (422)."""
        me = viewer.staff(SERIALS_WRITE)
        typed = await form_fields(request, *CAMPAIGN_FIELDS)
        try:
            async with session.begin_nested():
                campaign = await recalls.create_campaign(session, tenant, draft_of(typed), created_by=actor_of(me),
                                                         now=utcnow())
        except InvalidInput as exc:
            problem = Problem("create", fields=field_reasons(page_for(request, tenant, viewer), exc), typed=typed)
            return _new_form(request, tenant, viewer, problem=problem, status_code=422)
        return _back(request, tenant, viewer, campaign.id)

    @post(f"{CAMPAIGN}/launch")
    async def launch(self, request: Request[Any, Any, Any], campaign_id: FromPath[UUID], tenant: TenantDep,
                     session: SessionDep, viewer: ViewerDep, runtime: RuntimeDep) -> Template | Redirect:
        """Recall the selected units in service and queue each registered owner's notice, all at once."""
        me = viewer.staff(SERIALS_WRITE)
        await recalls.get_campaign(session, campaign_id)
        return await _act(request, tenant, session, viewer, me, campaign_id, "launch", {},
                          lambda: recalls.launch(session, tenant, campaign_id, actor=actor_of(me),
                                                 link_base=runtime.settings.base_url, now=utcnow()))

    @post(f"{CAMPAIGN}/close")
    async def close(self, request: Request[Any, Any, Any], campaign_id: FromPath[UUID], tenant: TenantDep,
                    session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Close the campaign (a draft is abandoned; units not yet fixed stay recalled)."""
        me = viewer.staff(SERIALS_WRITE)
        await recalls.get_campaign(session, campaign_id)
        return await _act(request, tenant, session, viewer, me, campaign_id, "close", {},
                          lambda: recalls.close(session, campaign_id, now=utcnow()))

    @post(f"{CAMPAIGN}/acknowledge")
    async def acknowledge(self, request: Request[Any, Any, Any], campaign_id: FromPath[UUID], tenant: TenantDep,
                          session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Record that the unit's owner acknowledged the recall to the agent (once; again changes nothing)."""
        me = viewer.staff(REGISTRATIONS_WRITE)
        await recalls.get_campaign(session, campaign_id)
        typed = await form_fields(request, *UNIT_FIELDS)
        return await _act(request, tenant, session, viewer, me, campaign_id, "acknowledge", typed,
                          lambda: recall_units.acknowledge_for_owner(session, tenant, campaign_id, typed["serial"],
                                                                     actor=actor_of(me), now=utcnow()))

    @post(f"{CAMPAIGN}/fix")
    async def fix(self, request: Request[Any, Any, Any], campaign_id: FromPath[UUID], tenant: TenantDep,
                  session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Record the unit's fix with what was done; it returns to service."""
        me = viewer.staff(CLAIMS_WRITE)
        await recalls.get_campaign(session, campaign_id)
        typed = await form_fields(request, *UNIT_FIELDS)
        return await _act(request, tenant, session, viewer, me, campaign_id, "fix", typed,
                          lambda: recall_units.record_fix(session, tenant, campaign_id, typed["serial"],
                                                          typed["note"], actor=actor_of(me), now=utcnow()))
