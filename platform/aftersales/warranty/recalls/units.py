"""The units of a launched recall campaign: acknowledged by their owner (through the notice's link, or to an
agent), fixed by staff, and listed by serial.

An acknowledgement is recorded once: asking again (a customer clicking twice) returns the first. A fix returns
the unit to service — registered when it has an owner, else what it was before the recall.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.errors import Conflict, FieldError, InvalidInput, NotFound
from aftersales.tenancy.current import CurrentTenant
from aftersales.warranty.models import ProductModel, Serial
from aftersales.warranty.recalls.models import AckChannel, CampaignStatus, RecallCampaign, RecallUnit
from aftersales.warranty.recalls.notices import token_hash
from aftersales.warranty.recalls.services import get_campaign
from aftersales.warranty.serials.lookup import require_unit
from aftersales.warranty.unit_status import restore_after_fix

MAX_FIX_NOTE = 2000


class Pending(StrEnum):
    """A filter of a campaign's units: those still waiting for one step."""

    ACKNOWLEDGEMENT = "acknowledgement"
    FIX = "fix"


@dataclass(frozen=True)
class Notice:
    """What an acknowledgement link shows its holder: the recall and their unit, nothing personal."""

    campaign: RecallCampaign
    unit: RecallUnit
    model_name: str


def _launched(campaign: RecallCampaign) -> None:
    if campaign.status == CampaignStatus.DRAFT:
        raise Conflict(f"campaign {campaign.id} is a draft: launch it before recording acknowledgements or fixes",
                       code="recall.campaign_is_draft")


async def _campaign_unit(session: AsyncSession, tenant: CurrentTenant, campaign_id: UUID,
                         serial: str) -> tuple[RecallCampaign, RecallUnit, Serial]:
    campaign = await get_campaign(session, campaign_id)
    _launched(campaign)
    located = await require_unit(session, tenant, serial)
    assert located.unit is not None
    unit = await session.scalar(select(RecallUnit).where(RecallUnit.campaign_id == campaign.id,
                                                         RecallUnit.serial == located.unit.serial))
    if unit is None:
        raise Conflict(f"{located.unit.serial} is not one of the units campaign {campaign.id} recalled "
                       "(the selection did not match it, or it was out of service at launch)",
                       code="recall.unit_not_recalled", params={"serial": located.unit.serial})
    return campaign, unit, located.unit


def _acknowledge(campaign: RecallCampaign, unit: RecallUnit, via: AckChannel, by: str, now: datetime) -> RecallUnit:
    if unit.acknowledged_at is not None:
        return unit
    if campaign.status == CampaignStatus.CLOSED:
        raise Conflict(f"campaign {campaign.id} is closed", code="recall.closed")
    unit.acknowledged_at, unit.acknowledged_via, unit.acknowledged_by = now, via.value, by
    return unit


async def acknowledge_for_owner(session: AsyncSession, tenant: CurrentTenant, campaign_id: UUID, serial: str, *,
                                actor: str, now: datetime) -> RecallUnit:
    """Record that the owner (or the shop holding an unsold unit) acknowledged the recall to an agent.

    :raises NotFound: no such campaign or unit. :raises Conflict: a draft or closed campaign, a unit it did not
        recall.
    """
    campaign, unit, _ = await _campaign_unit(session, tenant, campaign_id, serial)
    _acknowledge(campaign, unit, AckChannel.AGENT, actor, now)
    await session.flush()
    return unit


async def notice_for_token(session: AsyncSession, token: str) -> Notice:
    """The recall notice an acknowledgement link belongs to. :raises NotFound: no unit has this token."""
    row = (await session.execute(
        select(RecallUnit, RecallCampaign, ProductModel.name)
        .join(RecallCampaign, (RecallCampaign.tenant_id == RecallUnit.tenant_id)
              & (RecallCampaign.id == RecallUnit.campaign_id))
        .join(Serial, (Serial.tenant_id == RecallUnit.tenant_id) & (Serial.id == RecallUnit.serial_id))
        .join(ProductModel, (ProductModel.tenant_id == Serial.tenant_id) & (ProductModel.id == Serial.model_id))
        .where(RecallUnit.ack_token_hash == token_hash(token)))).first()
    if row is None:
        raise NotFound("no recall notice has this link")
    return Notice(campaign=row[1], unit=row[0], model_name=row[2])


async def acknowledge_by_token(session: AsyncSession, token: str, *, now: datetime) -> Notice:
    """Record the owner's acknowledgement through the notice's link; the same link again changes nothing.

    :raises NotFound: no unit has this token. :raises Conflict: the campaign closed before it was acknowledged.
    """
    notice = await notice_for_token(session, token)
    _acknowledge(notice.campaign, notice.unit, AckChannel.CUSTOMER_LINK, "customer", now)
    await session.flush()
    return notice


async def record_fix(session: AsyncSession, tenant: CurrentTenant, campaign_id: UUID, serial: str, note: str, *,
                     actor: str, now: datetime) -> RecallUnit:
    """Record that the unit was fixed and return it to service.

    :raises InvalidInput: an empty or over-long note. :raises NotFound: no such campaign or unit.
    :raises Conflict: a draft or closed campaign, a unit it did not recall, or one already fixed.
    """
    text = note.strip()
    if not text or len(text) > MAX_FIX_NOTE:
        refused = (FieldError("note", "say what was done", code="recall.fix_note_missing") if not text else
                   FieldError("note", f"must be at most {MAX_FIX_NOTE} characters", code="recall.too_long",
                              params={"limit": MAX_FIX_NOTE}))
        raise InvalidInput("invalid fix note", [refused])
    campaign, unit, serial_unit = await _campaign_unit(session, tenant, campaign_id, serial)
    if unit.fixed_at is not None:
        raise Conflict(f"{unit.serial} was fixed at {unit.fixed_at.isoformat()} by {unit.fixed_by}",
                       code="recall.unit_fixed", params={"serial": unit.serial, "fixed_at": unit.fixed_at.isoformat()})
    if campaign.status == CampaignStatus.CLOSED:
        raise Conflict(f"campaign {campaign.id} is closed", code="recall.closed")
    unit.fixed_at, unit.fix_note, unit.fixed_by = now, text, actor
    await restore_after_fix(session, serial_unit, unit.status_before, f"fixed under recall: {campaign.title}")
    await session.flush()
    return unit


async def list_units(session: AsyncSession, campaign_id: UUID, *, pending: Pending | None, after: str | None,
                     limit: int) -> list[RecallUnit]:
    """A campaign's units by serial, after the serial ``after``, optionally only those waiting for one step.

    :raises NotFound: no such campaign.
    """
    campaign = await get_campaign(session, campaign_id)
    query = select(RecallUnit).where(RecallUnit.campaign_id == campaign.id).order_by(RecallUnit.serial).limit(limit)
    if pending is Pending.ACKNOWLEDGEMENT:
        query = query.where(RecallUnit.acknowledged_at.is_(None))
    elif pending is Pending.FIX:
        query = query.where(RecallUnit.fixed_at.is_(None))
    if after is not None:
        query = query.where(RecallUnit.serial > after)
    return list(await session.scalars(query))
