"""Recall campaigns (seed 000: widespread defects are announced to the affected owners).

A campaign is drafted with its defect, remedy and selection (model, batch and/or serial range; every given
criterion must hold) and previewed; launching it, in one transaction, recalls the selected units in service,
records one row per unit with its owner at that moment, and queues a notice to every registered owner through
the outbox. Acknowledgements and fixes are then recorded per unit (:mod:`aftersales.warranty.recalls.units`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Select, and_, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.db.base import new_id
from aftersales.errors import Conflict, FieldError, InvalidInput, NotFound
from aftersales.identity.models import Customer
from aftersales.outbox.events import RecallLaunched
from aftersales.outbox.webhooks import emit
from aftersales.tenancy.current import CurrentTenant
from aftersales.warranty.catalog import product_info
from aftersales.warranty.models import ProductModel, Registration, RegistrationStatus, Serial
from aftersales.warranty.recalls.models import CampaignStatus, RecallCampaign, RecallUnit
from aftersales.warranty.recalls.notices import NoticeTarget, new_token, send_notices, token_hash
from aftersales.warranty.unit_status import MAX_REASON, UnitSelection, in_service, mark_recalled

MAX_TITLE = 200
MAX_REMEDY = 2000


@dataclass(frozen=True)
class CampaignDraft:
    """A campaign as staff describe it; the serial range ends are typed serials (normalised on creation)."""

    title: str
    reason: str
    remedy: str
    model_sku: str | None = None
    batch: str | None = None
    serial_from: str | None = None
    serial_to: str | None = None


@dataclass(frozen=True)
class Preview:
    """What launching a draft would reach now."""

    units: int
    """Units in service the selection matches: the ones a launch recalls."""
    registered: int
    """Of those, units with an active owner: one notice each."""
    owners: int
    """Distinct customers among those owners."""
    skipped: int
    """Units the selection matches that are out of service (blocked, replaced, already recalled)."""


@dataclass(frozen=True)
class Progress:
    """Where a launched campaign stands, unit by unit."""

    units: int
    registered: int
    notified: int
    acknowledged: int
    fixed: int
    unregistered: int


def dialect_of(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


def _text(value: str, field: str, limit: int, errors: list[FieldError]) -> str:
    text = value.strip()
    if not text:
        errors.append(FieldError(field, "must not be empty", code="recall.empty"))
    elif len(text) > limit:
        errors.append(FieldError(field, f"must be at most {limit} characters", code="recall.too_long",
                                 params={"limit": limit}))
    return text


def _serial_end(tenant: CurrentTenant, typed: str, model: ProductModel | None, field: str,
                errors: list[FieldError]) -> str | None:
    check = tenant.hooks.aftersales_validate_serial(tenant=tenant.context, serial=typed,
                                                    product=product_info(model) if model else None)
    if not check.valid:
        errors.append(FieldError(field, check.reason or "not a valid serial"))
        return None
    return check.normalized


async def _validated(session: AsyncSession, tenant: CurrentTenant, draft: CampaignDraft) -> RecallCampaign:
    errors: list[FieldError] = []
    title = _text(draft.title, "title", MAX_TITLE, errors)
    reason = _text(draft.reason, "reason", MAX_REASON, errors)
    remedy = _text(draft.remedy, "remedy", MAX_REMEDY, errors)
    model_sku, batch = (draft.model_sku or "").strip(), (draft.batch or "").strip()
    typed_from, typed_to = (draft.serial_from or "").strip(), (draft.serial_to or "").strip()
    model = None
    if model_sku:
        model = await session.scalar(select(ProductModel).where(ProductModel.sku == model_sku))
        if model is None:
            errors.append(FieldError("model_sku", f"no product model with SKU {model_sku!r}",
                                     code="recall.unknown_model", params={"sku": model_sku}))
    serial_from = serial_to = None
    if bool(typed_from) != bool(typed_to):
        missing = "serial_to" if typed_from else "serial_from"
        errors.append(FieldError(missing, "a serial range needs both its first and its last serial",
                                 code="recall.range_incomplete"))
    elif typed_from:
        serial_from = _serial_end(tenant, typed_from, model, "serial_from", errors)
        serial_to = _serial_end(tenant, typed_to, model, "serial_to", errors)
        if serial_from and serial_to:
            if len(serial_from) != len(serial_to):
                errors.append(FieldError("serial_to", f"{serial_to} has {len(serial_to)} characters and "
                                                      f"{serial_from} has {len(serial_from)}: a range's ends must "
                                                      "be the same length",
                                         code="recall.range_lengths_differ",
                                         params={"serial_from": serial_from, "serial_to": serial_to}))
            elif serial_from > serial_to:
                errors.append(FieldError("serial_to", f"{serial_to} comes before {serial_from}: give the range "
                                                      "from its first serial to its last",
                                         code="recall.range_reversed",
                                         params={"serial_from": serial_from, "serial_to": serial_to}))
    if not (model_sku or batch or typed_from or typed_to):
        errors.append(FieldError("model_sku", "select the units: a model, a batch, a serial range, or several",
                                 code="recall.no_selection"))
    if errors:
        raise InvalidInput("invalid recall campaign", errors)
    return RecallCampaign(title=title, reason=reason, remedy=remedy, model_id=model.id if model else None,
                          batch=batch or None, serial_from=serial_from, serial_to=serial_to)


async def create_campaign(session: AsyncSession, tenant: CurrentTenant, draft: CampaignDraft, *,
                          created_by: str, now: datetime) -> RecallCampaign:
    """Save a draft campaign (nothing is recalled or sent yet).

    :raises InvalidInput: every bad field at once — empty texts, no selection, an unknown model, a serial the
        vertical refuses, a range with one end, ends of different lengths, or ends in reverse order.
    """
    campaign = await _validated(session, tenant, draft)
    campaign.created_by, campaign.created_at = created_by, now
    session.add(campaign)
    await session.flush()
    return campaign


async def get_campaign(session: AsyncSession, campaign_id: UUID) -> RecallCampaign:
    """:raises NotFound: no campaign with this id in the session's tenant."""
    campaign = await session.scalar(select(RecallCampaign).where(RecallCampaign.id == campaign_id))
    if campaign is None:
        raise NotFound(f"no recall campaign {campaign_id}")
    return campaign


async def list_campaigns(session: AsyncSession, *, status: CampaignStatus | None, before: UUID | None,
                         limit: int) -> list[RecallCampaign]:
    """Campaigns newest first (ids are time-ordered), optionally in one status, after the cursor ``before``."""
    query = select(RecallCampaign).order_by(RecallCampaign.id.desc()).limit(limit)
    if status is not None:
        query = query.where(RecallCampaign.status == status.value)
    if before is not None:
        query = query.where(RecallCampaign.id < before)
    return list(await session.scalars(query))


async def model_sku_of(session: AsyncSession, campaign: RecallCampaign) -> str | None:
    if campaign.model_id is None:
        return None
    return await session.scalar(select(ProductModel.sku).where(ProductModel.id == campaign.model_id))


def _selection(campaign: RecallCampaign) -> UnitSelection:
    return UnitSelection(model_id=campaign.model_id, batch=campaign.batch, serial_from=campaign.serial_from,
                         serial_to=campaign.serial_to)


def _with_owner(query: Select[Any]) -> Select[Any]:
    """``query`` over serials, joined to each unit's active registration where it has one."""
    return query.outerjoin(Registration, and_(Registration.tenant_id == Serial.tenant_id,
                                              Registration.serial_id == Serial.id,
                                              Registration.status == RegistrationStatus.ACTIVE.value))


async def preview(session: AsyncSession, campaign: RecallCampaign) -> Preview:
    """Count what launching ``campaign`` would reach now."""
    selected = _selection(campaign).criteria(dialect_of(session))
    units, registered, owners = (await session.execute(
        _with_owner(select(func.count(Serial.id), func.count(Registration.id),
                           func.count(Registration.customer_id.distinct())).select_from(Serial))
        .where(in_service(), *selected))).one()
    matching = await session.scalar(select(func.count()).select_from(Serial).where(*selected))
    return Preview(units=units, registered=registered, owners=owners, skipped=int(matching or 0) - units)


async def launch(session: AsyncSession, tenant: CurrentTenant, campaign_id: UUID, *, actor: str, link_base: str,
                 now: datetime) -> RecallCampaign:
    """Launch a draft: queue each registered owner's notice, record every unit with its owner, recall them.

    All of it is written in the caller's transaction, so a failure anywhere leaves nothing behind: no notice,
    no unit row, no recalled unit, and the campaign still a draft.

    :raises Conflict: the campaign is not a draft (launched or closed already), or selects no unit in service.
    """
    campaign = await get_campaign(session, campaign_id)
    claimed = await session.execute(
        update(RecallCampaign).where(RecallCampaign.id == campaign_id,
                                     RecallCampaign.status == CampaignStatus.DRAFT.value)
        .values(status=CampaignStatus.ACTIVE.value, launched_at=now, launched_by=actor)
        .execution_options(synchronize_session=False))
    if getattr(claimed, "rowcount", 0) != 1:
        await session.refresh(campaign)
        raise Conflict(f"campaign {campaign.id} is {campaign.status}"
                       + (f" since {campaign.launched_at.isoformat()}" if campaign.launched_at else "")
                       + "; only a draft can be launched", code="recall.not_draft",
                       params={"status": str(campaign.status)})
    await session.refresh(campaign)
    rows = (await session.execute(
        _with_owner(select(Serial.id, Serial.serial, Serial.status, ProductModel.name, Registration.id,
                           Registration.customer_id, Customer.phone, Customer.email).select_from(Serial))
        .outerjoin(Customer, and_(Customer.tenant_id == Registration.tenant_id,
                                  Customer.id == Registration.customer_id))
        .join(ProductModel, and_(ProductModel.tenant_id == Serial.tenant_id, ProductModel.id == Serial.model_id))
        .where(in_service(), *_selection(campaign).criteria(dialect_of(session))).order_by(Serial.serial))).all()
    if not rows:
        raise Conflict("the campaign selects no unit in service: nothing to recall", code="recall.nothing_to_recall")
    units: list[dict[str, Any]] = []
    for serial_id, serial, status, model_name, registration_id, customer_id, phone, email in rows:
        unit = {"id": new_id(), "campaign_id": campaign.id, "serial_id": serial_id, "serial": serial,
                "status_before": status, "registration_id": registration_id, "customer_id": customer_id,
                "ack_token_hash": None, "message_ids": [], "notified_at": None, "created_at": now}
        if registration_id is not None:
            token = new_token()
            target = NoticeTarget(serial=serial, model_name=model_name, registration_id=registration_id,
                                  phone=phone, email=email, token=token)
            message_ids = await send_notices(session, tenant, campaign, target, link_base=link_base, now=now)
            unit.update(ack_token_hash=token_hash(token), message_ids=message_ids,
                        notified_at=now if message_ids else None)
        units.append(unit)
    await session.execute(insert(RecallUnit), units)
    recalled = await mark_recalled(
        session, [Serial.id.in_(select(RecallUnit.serial_id).where(RecallUnit.campaign_id == campaign.id))],
        campaign.reason)
    if recalled != len(units):
        raise Conflict("the register changed while the campaign was launching; nothing was launched, try again",
                       code="recall.register_changed")
    await emit(session, RecallLaunched(
        campaign_id=campaign.id, title=campaign.title, reason=campaign.reason, units=len(units),
        notified_owners=sum(1 for unit in units if unit["notified_at"] is not None), launched_at=now,
    ), key=campaign.id, now=now)
    return campaign


async def close(session: AsyncSession, campaign_id: UUID, *, now: datetime) -> RecallCampaign:
    """Close a campaign (a draft is abandoned; units still recalled stay so until fixed or released).

    :raises Conflict: it is closed already.
    """
    campaign = await get_campaign(session, campaign_id)
    if campaign.status == CampaignStatus.CLOSED:
        raise Conflict(f"campaign {campaign.id} was closed at {campaign.closed_at.isoformat() if campaign.closed_at else '?'}",
                       code="recall.closed")
    campaign.status, campaign.closed_at = CampaignStatus.CLOSED.value, now
    await session.flush()
    return campaign


async def progress(session: AsyncSession, campaign: RecallCampaign) -> Progress:
    """The campaign's units counted by how far each has got."""
    units, registered, notified, acknowledged, fixed = (await session.execute(
        select(func.count(RecallUnit.id), func.count(RecallUnit.registration_id), func.count(RecallUnit.notified_at),
               func.count(RecallUnit.acknowledged_at), func.count(RecallUnit.fixed_at))
        .where(RecallUnit.campaign_id == campaign.id))).one()
    return Progress(units=units, registered=registered, notified=notified, acknowledged=acknowledged, fixed=fixed,
                    unregistered=units - registered)
