"""Recall campaigns in the console (``/console/recalls``, ``/console/recalls/{id}``): each campaign's reach and
how far it has got — units recalled, owners notified, acknowledged, fixed — with the share done as a bar.

The figures are :func:`aftersales.warranty.recalls.progress` (a launched campaign) and
:func:`~aftersales.warranty.recalls.preview` (a draft: what a launch would reach), as the API gives them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from litestar import Controller, Request, get
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.identity.scopes import SERIALS_READ
from aftersales.warranty import recall_units, recalls
from aftersales.warranty.recall_models import CampaignStatus, RecallCampaign
from aftersales.web.context import SessionDep, TenantDep
from aftersales.web.page_auth import PAGE_DEPENDENCIES, ViewerDep
from aftersales.web.portal.rendering import page_for, render, tenant_paths

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
    draft = campaign.status == CampaignStatus.DRAFT
    return CampaignView(campaign, await recalls.model_sku_of(session, campaign),
                        await recalls.preview(session, campaign) if draft else None,
                        await recalls.progress(session, campaign) if not draft else None)


class RecallPagesController(Controller):
    """The recall pages, for staff who may read the register (``serials:read``)."""

    dependencies = PAGE_DEPENDENCIES
    include_in_schema = False

    @get(tenant_paths("/console/recalls"), exclude_from_auth=True)
    async def campaigns(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                        viewer: ViewerDep) -> Template:
        """The newest campaigns with their progress."""
        viewer.staff(SERIALS_READ)
        listed = await recalls.list_campaigns(session, status=None, before=None, limit=LISTED)
        views = [await view_of(session, campaign) for campaign in listed]
        return render(page_for(request, tenant, viewer), "console/recalls.html", section="recalls", campaigns=views)

    @get(tenant_paths("/console/recalls/{campaign_id:uuid}"), exclude_from_auth=True)
    async def campaign(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                       viewer: ViewerDep, campaign_id: FromPath[UUID]) -> Template:
        """One campaign: its defect and remedy, its progress, and its units (404 for another tenant's)."""
        viewer.staff(SERIALS_READ)
        view = await view_of(session, await recalls.get_campaign(session, campaign_id))
        units = await recall_units.list_units(session, campaign_id, pending=None, after=None, limit=UNITS_SHOWN)
        return render(page_for(request, tenant, viewer), "console/recalls_campaign.html", section="recalls",
                      view=view, units=units, units_shown=UNITS_SHOWN)
