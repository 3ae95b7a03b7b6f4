"""Recall campaign endpoints: staff draft, launch, follow and close campaigns; owners acknowledge by link.

Scopes: campaigns are drafted, launched and closed with ``serials:write`` and read with ``serials:read``; an
agent records an owner's acknowledgement with ``registrations:write`` (agents talk to owners); a fix is recorded
with ``claims:write`` (the technicians and agents doing warranty work hold it).
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.db.base import utcnow
from aftersales.http.context import HOST_TENANT, TOKEN_TENANT, RuntimeDep, SessionDep, TenantDep
from aftersales.http.paging import DEFAULT_LIMIT, Page, check_limit, decode_cursor, invalid_cursor, split_page
from aftersales.identity.guards import actor, requires_scope
from aftersales.identity.scopes import CLAIMS_WRITE, REGISTRATIONS_WRITE, SERIALS_READ, SERIALS_WRITE
from aftersales.warranty.recalls import services as recalls
from aftersales.warranty.recalls import units as recall_units
from aftersales.warranty.recalls.models import CampaignStatus, RecallCampaign, RecallUnit
from aftersales.warranty.recalls.schemas import (
    CampaignIn,
    CampaignOut,
    CampaignSummary,
    FixIn,
    PreviewOut,
    ProgressOut,
    PublicNoticeOut,
    SelectionOut,
    UnitOut,
)


async def campaign_out(session: AsyncSession, campaign: RecallCampaign) -> CampaignOut:
    """A campaign with its preview (a draft) or its progress (launched)."""
    draft = campaign.status == CampaignStatus.DRAFT
    preview = await recalls.preview(session, campaign) if draft else None
    progress = await recalls.progress(session, campaign) if not draft else None
    return CampaignOut(
        id=campaign.id, title=campaign.title, reason=campaign.reason, remedy=campaign.remedy,
        selection=SelectionOut(model_sku=await recalls.model_sku_of(session, campaign), batch=campaign.batch,
                               serial_from=campaign.serial_from, serial_to=campaign.serial_to),
        status=campaign.status, created_by=campaign.created_by, created_at=campaign.created_at,
        launched_at=campaign.launched_at, launched_by=campaign.launched_by, closed_at=campaign.closed_at,
        preview=PreviewOut(**vars(preview)) if preview else None,
        progress=ProgressOut(**vars(progress)) if progress else None,
    )


def unit_out(unit: RecallUnit) -> UnitOut:
    return UnitOut(
        serial=unit.serial, status_before=unit.status_before, registration_id=unit.registration_id,
        customer_id=unit.customer_id, notified_at=unit.notified_at, message_ids=list(unit.message_ids or ()),
        acknowledged_at=unit.acknowledged_at, acknowledged_via=unit.acknowledged_via,
        acknowledged_by=unit.acknowledged_by, fixed_at=unit.fixed_at, fix_note=unit.fix_note, fixed_by=unit.fixed_by,
    )


class RecallController(Controller):
    """A tenant's recall campaigns, by id; lists newest first."""

    path = "/api/v1/recalls"
    tags = ["warranty"]
    dependencies = TOKEN_TENANT

    @post("/", operation_id="draftRecallCampaign", guards=[requires_scope(SERIALS_WRITE)])
    async def create(self, request: Request[Any, Any, Any], data: JSONBody[CampaignIn], session: SessionDep,
                     tenant: TenantDep) -> CampaignOut:
        """Draft a campaign and preview its reach (units, registered owners); nothing is recalled or sent yet."""
        campaign = await recalls.create_campaign(session, tenant, recalls.CampaignDraft(**data.model_dump()),
                                                 created_by=actor(request), now=utcnow())
        return await campaign_out(session, campaign)

    @get("/", operation_id="listRecallCampaigns", guards=[requires_scope(SERIALS_READ)])
    async def list_campaigns(self, session: SessionDep,
                             in_status: Annotated[CampaignStatus | None, QueryParameter(name="status")] = None,
                             limit: FromQuery[int] = DEFAULT_LIMIT,
                             cursor: FromQuery[str | None] = None) -> Page[CampaignSummary]:
        """Campaigns newest first, optionally in one status; pass ``next_cursor`` back as ``cursor``."""
        before = None
        if cursor is not None:
            (key,) = decode_cursor(cursor, 1)
            try:
                before = uuid.UUID(str(key))
            except ValueError:
                raise invalid_cursor() from None
        rows = await recalls.list_campaigns(session, status=in_status, before=before, limit=check_limit(limit) + 1)
        items, next_cursor = split_page(rows, limit, lambda c: (str(c.id),))
        return Page[CampaignSummary](items=[
            CampaignSummary(id=c.id, title=c.title, status=c.status, created_at=c.created_at,
                            launched_at=c.launched_at, closed_at=c.closed_at) for c in items], next_cursor=next_cursor)

    @get("/{campaign_id:uuid}", operation_id="getRecallCampaign", guards=[requires_scope(SERIALS_READ)])
    async def get_campaign(self, campaign_id: FromPath[UUID], session: SessionDep) -> CampaignOut:
        """One campaign: a draft with its preview, a launched one with its progress."""
        return await campaign_out(session, await recalls.get_campaign(session, campaign_id))

    @post("/{campaign_id:uuid}/launch", operation_id="launchRecallCampaign", status_code=200,
          guards=[requires_scope(SERIALS_WRITE)])
    async def launch(self, request: Request[Any, Any, Any], campaign_id: FromPath[UUID], session: SessionDep,
                     tenant: TenantDep, runtime: RuntimeDep) -> CampaignOut:
        """Recall the selected units in service and queue a notice to each registered owner, all at once; a
        campaign launches once (409 after)."""
        campaign = await recalls.launch(session, tenant, campaign_id, actor=actor(request),
                                        link_base=runtime.settings.base_url, now=utcnow())
        return await campaign_out(session, campaign)

    @post("/{campaign_id:uuid}/close", operation_id="closeRecallCampaign", status_code=200,
          guards=[requires_scope(SERIALS_WRITE)])
    async def close(self, campaign_id: FromPath[UUID], session: SessionDep) -> CampaignOut:
        """Close the campaign; units not yet fixed stay recalled."""
        return await campaign_out(session, await recalls.close(session, campaign_id, now=utcnow()))

    @get("/{campaign_id:uuid}/units", operation_id="listRecallUnits", guards=[requires_scope(SERIALS_READ)])
    async def units(self, campaign_id: FromPath[UUID], session: SessionDep,
                    pending: FromQuery[recall_units.Pending | None] = None, limit: FromQuery[int] = DEFAULT_LIMIT,
                    cursor: FromQuery[str | None] = None) -> Page[UnitOut]:
        """The campaign's units by serial, optionally only those still waiting for an acknowledgement or a fix;
        pass ``next_cursor`` back as ``cursor``."""
        after = None
        if cursor is not None:
            (key,) = decode_cursor(cursor, 1)
            if not isinstance(key, str):
                raise invalid_cursor()
            after = key
        rows = await recall_units.list_units(session, campaign_id, pending=pending, after=after,
                                             limit=check_limit(limit) + 1)
        items, next_cursor = split_page(rows, limit, lambda u: (u.serial,))
        return Page[UnitOut](items=[unit_out(u) for u in items], next_cursor=next_cursor)

    @post("/{campaign_id:uuid}/units/{serial:str}/acknowledge", operation_id="acknowledgeRecallUnit",
          status_code=200, guards=[requires_scope(REGISTRATIONS_WRITE)])
    async def acknowledge(self, request: Request[Any, Any, Any], campaign_id: FromPath[UUID], serial: FromPath[str],
                          session: SessionDep, tenant: TenantDep) -> UnitOut:
        """Record that the owner acknowledged the recall to an agent (once; asking again returns the first)."""
        unit = await recall_units.acknowledge_for_owner(session, tenant, campaign_id, serial, actor=actor(request),
                                                        now=utcnow())
        return unit_out(unit)

    @post("/{campaign_id:uuid}/units/{serial:str}/fix", operation_id="fixRecallUnit", status_code=200,
          guards=[requires_scope(CLAIMS_WRITE)])
    async def fix(self, request: Request[Any, Any, Any], campaign_id: FromPath[UUID], serial: FromPath[str],
                  data: JSONBody[FixIn], session: SessionDep, tenant: TenantDep) -> UnitOut:
        """Record the fix and return the unit to service (registered if it has an owner, else as it was)."""
        unit = await recall_units.record_fix(session, tenant, campaign_id, serial, data.note, actor=actor(request),
                                             now=utcnow())
        return unit_out(unit)


def _public(notice: recall_units.Notice) -> PublicNoticeOut:
    c, u = notice.campaign, notice.unit
    return PublicNoticeOut(title=c.title, reason=c.reason, remedy=c.remedy, serial=u.serial, model=notice.model_name,
                           campaign_status=c.status, acknowledged_at=u.acknowledged_at)


class PublicRecallController(Controller):
    """An owner's recall notice, by the link it carries (no account): the tenant is the path's slug."""

    path = "/api/v1/public/{tenant_slug:str}/recall-acknowledgements"
    tags = ["public"]
    dependencies = HOST_TENANT

    @get("/{token:str}", operation_id="showRecallNotice", exclude_from_auth=True)
    async def show(self, token: FromPath[str], session: SessionDep) -> PublicNoticeOut:
        """The recall the link is about and whether it was acknowledged (404 for a link nobody was sent)."""
        return _public(await recall_units.notice_for_token(session, token))

    @post("/{token:str}", operation_id="acknowledgeRecallNotice", status_code=200, exclude_from_auth=True)
    async def acknowledge(self, token: FromPath[str], session: SessionDep) -> PublicNoticeOut:
        """Acknowledge the notice; the same link again changes nothing."""
        return _public(await recall_units.acknowledge_by_token(session, token, now=utcnow()))
