"""Recall campaigns in the console (``/console/recalls``, ``/console/recalls/{id}``): each campaign's reach and
how far it has got — units recalled, owners notified, acknowledged, fixed — with the share done as a bar. The
actions (draft, launch, close, record an acknowledgement or a fix) are in :mod:`.recall_actions`.

The figures are :func:`aftersales.warranty.recalls.services.progress` (a launched campaign) and
:func:`~aftersales.warranty.recalls.services.preview` (a draft: what a launch would reach), as the API gives them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.http.context import SessionDep, TenantDep
from aftersales.identity.principals import Principal
from aftersales.identity.scopes import CLAIMS_WRITE, REGISTRATIONS_WRITE, SERIALS_READ, SERIALS_WRITE
from aftersales.tenancy.current import CurrentTenant
from aftersales.warranty.recalls import services as recalls
from aftersales.warranty.recalls import units as recall_units
from aftersales.warranty.recalls.models import CampaignStatus, RecallCampaign
from aftersales.web.console.insight.recall_forms import Problem
from aftersales.web.page_auth import Viewer, ViewerDep
from aftersales.web.page_controller import PageController
from aftersales.web.portal.rendering import page_for, render

LISTED = 100
UNITS_SHOWN = 200


@dataclass(frozen=True)
class CampaignView:
    """A campaign with its draft preview or its progress, and the share of its units fixed."""

    campaign: RecallCampaign
    model_sku: str | None
    preview: recalls.Preview | None
    progress: recalls.Progress | None

    @property
    def units(self) -> int:
        if self.progress is not None:
            return self.progress.units
        return self.preview.units if self.preview is not None else 0

    @property
    def percent_fixed(self) -> int:
        return 100 * self.progress.fixed // self.progress.units if self.progress and self.progress.units else 0

    def percent(self, count: int) -> int:
        return 100 * count // self.units if self.units else 0


async def view_of(session: AsyncSession, campaign: RecallCampaign) -> CampaignView:
    """The campaign with its preview (a draft) or its progress (launched or closed)."""
    draft = campaign.status == CampaignStatus.DRAFT
    return CampaignView(campaign, await recalls.model_sku_of(session, campaign),
                        await recalls.preview(session, campaign) if draft else None,
                        await recalls.progress(session, campaign) if not draft else None)


def pending_of(request: Request[Any, Any, Any]) -> recall_units.Pending | None:
    """The units filter the query string asks for (``?pending=fix`` or ``acknowledgement``; anything else: all)."""
    try:
        return recall_units.Pending(str(request.query_params.get("pending") or ""))
    except ValueError:
        return None


async def campaign_page(request: Request[Any, Any, Any], tenant: CurrentTenant, session: AsyncSession,
                        viewer: Viewer, me: Principal, campaign_id: UUID, *, problem: Problem | None = None,
                        status_code: int = 200) -> Template:
    """The campaign's page with the actions ``me`` may take, and ``problem`` (a refused action) beside its form.

    :raises NotFound: no such campaign in this tenant.
    """
    view = await view_of(session, await recalls.get_campaign(session, campaign_id))
    pending = pending_of(request)
    units = await recall_units.list_units(session, campaign_id, pending=pending, after=None, limit=UNITS_SHOWN)
    return render(page_for(request, tenant, viewer), "console/recalls_campaign.html", status_code=status_code,
                  section="recalls", view=view, units=units, units_shown=UNITS_SHOWN,
                  pending=pending.value if pending else "", problem=problem or Problem(),
                  can_manage=me.has_scope(SERIALS_WRITE), can_acknowledge=me.has_scope(REGISTRATIONS_WRITE),
                  can_fix=me.has_scope(CLAIMS_WRITE), note_limit=recall_units.MAX_FIX_NOTE)


class RecallPagesController(PageController):
    """The recall pages, for staff who may read the register (``serials:read``)."""

    @get("/console/recalls")
    async def campaigns(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                        viewer: ViewerDep) -> Template:
        """The newest campaigns with their progress."""
        me = viewer.staff(SERIALS_READ)
        listed = await recalls.list_campaigns(session, status=None, before=None, limit=LISTED)
        views = [await view_of(session, campaign) for campaign in listed]
        return render(page_for(request, tenant, viewer), "console/recalls.html", section="recalls", campaigns=views,
                      can_manage=me.has_scope(SERIALS_WRITE))

    @get("/console/recalls/{campaign_id:uuid}")
    async def campaign(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                       viewer: ViewerDep, campaign_id: FromPath[UUID]) -> Template:
        """One campaign: its defect and remedy, its progress, its units (all, or those still waiting for one step:
        ``?pending=``) and the actions the reader may take (404 for another tenant's)."""
        me = viewer.staff(SERIALS_READ)
        return await campaign_page(request, tenant, session, viewer, me, campaign_id)
