"""Staff actions on the register: block a unit, recall units, release them again.

Blocking is for one unit (a stolen or counterfeit-suspect card); a recall may cover a whole batch or model
(seed 000: widespread defects), and owners are told through the outbox (#4). Releasing returns a unit to what
its history says it is: registered when it has an owner, else in stock.
"""

from __future__ import annotations

import enum

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.db.base import utcnow
from aftersales.errors import Conflict, FieldError, InvalidInput
from aftersales.warranty.models import ProductModel, Registration, RegistrationStatus, Serial, SerialStatus
from aftersales.warranty.registrations import active_registration

MAX_REASON = 300


class StatusAction(enum.StrEnum):
    BLOCK = "block"
    RECALL = "recall"
    RELEASE = "release"


def _reason(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise InvalidInput("a reason is needed", [FieldError("reason", "say why, for the next agent who looks")])
    if len(text) > MAX_REASON:
        raise InvalidInput("reason too long", [FieldError("reason", f"must be at most {MAX_REASON} characters")])
    return text


async def change_status(session: AsyncSession, unit: Serial, action: StatusAction, reason: str) -> Serial:
    """Block, recall or release one unit.

    :raises Conflict: a replaced unit (it left service), or releasing a unit that is neither blocked nor recalled.
    """
    text = _reason(reason)
    if unit.status == SerialStatus.REPLACED:
        raise Conflict(f"{unit.serial} was replaced and is out of service")
    if action is StatusAction.RELEASE:
        if unit.status not in (SerialStatus.BLOCKED, SerialStatus.RECALLED):
            raise Conflict(f"{unit.serial} is {unit.status}; only blocked or recalled units are released")
        owned = await active_registration(session, unit) is not None
        unit.status = SerialStatus.REGISTERED if owned else SerialStatus.IN_STOCK
    else:
        unit.status = SerialStatus.BLOCKED if action is StatusAction.BLOCK else SerialStatus.RECALLED
    unit.status_reason = text
    await session.flush()
    return unit


async def recall(session: AsyncSession, *, model_sku: str | None, batch: str | None, reason: str) -> int:
    """Recall every unit of a model and/or batch that is still in service; returns how many were recalled.

    :raises InvalidInput: neither a model nor a batch named, or an unknown model.
    """
    text = _reason(reason)
    if not (model_sku or batch):
        raise InvalidInput("nothing to recall", [FieldError("model_sku", "name a model, a batch, or both")])
    conditions = [Serial.status.in_([SerialStatus.IN_STOCK, SerialStatus.SOLD, SerialStatus.REGISTERED])]
    if model_sku:
        model_id = await session.scalar(select(ProductModel.id).where(ProductModel.sku == model_sku.strip()))
        if model_id is None:
            raise InvalidInput("unknown model", [FieldError("model_sku", f"no product model with SKU {model_sku!r}")])
        conditions.append(Serial.model_id == model_id)
    if batch:
        conditions.append(Serial.batch == batch.strip())
    result = await session.execute(
        update(Serial).where(*conditions).values(status=SerialStatus.RECALLED.value, status_reason=text,
                                                 updated_at=utcnow())
        .execution_options(synchronize_session=False))
    return int(result.rowcount or 0)


async def owners_affected(session: AsyncSession, *, reason: str) -> int:
    """How many active owners hold units recalled for ``reason`` (what the notification in #4 will reach)."""
    return int(await session.scalar(
        select(func.count()).select_from(Registration)
        .join(Serial, (Serial.tenant_id == Registration.tenant_id) & (Serial.id == Registration.serial_id))
        .where(Registration.status == RegistrationStatus.ACTIVE, Serial.status == SerialStatus.RECALLED,
               Serial.status_reason == reason.strip())) or 0)
