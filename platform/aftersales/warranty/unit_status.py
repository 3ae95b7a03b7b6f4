"""Staff actions on the register: block a unit, recall units, release them again.

Blocking is for one unit (a stolen or counterfeit-suspect card); a recall may cover a whole batch, model or
serial range (seed 000: widespread defects; campaigns that notify the owners live in
:mod:`aftersales.warranty.recalls.services`). Releasing returns a unit to what its history says it is: registered when it
has an owner, else in stock; a unit fixed under a recall campaign goes back to its status before the recall.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, update
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.db.base import utcnow
from aftersales.errors import Conflict, FieldError, InvalidInput
from aftersales.warranty.models import Serial, SerialStatus
from aftersales.warranty.registrations.services import active_registration

MAX_REASON = 300
IN_SERVICE = (SerialStatus.IN_STOCK, SerialStatus.SOLD, SerialStatus.REGISTERED)
"""The statuses a recall reaches: a blocked, replaced or already recalled unit is left as it is."""


class StatusAction(enum.StrEnum):
    BLOCK = "block"
    RECALL = "recall"
    RELEASE = "release"


def check_reason(reason: str) -> str:
    """The reason trimmed. :raises InvalidInput: empty, or longer than a status reason holds."""
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
    text = check_reason(reason)
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


@dataclass(frozen=True)
class UnitSelection:
    """Which units a recall covers: every given criterion must hold. A range's ends are normalised serials of
    one length (checked by the caller), so comparing them byte by byte orders them as the vertical numbers them."""

    model_id: uuid.UUID | None = None
    batch: str | None = None
    serial_from: str | None = None
    serial_to: str | None = None

    def criteria(self, dialect: str) -> list[ColumnElement[bool]]:
        """The WHERE clauses of the selection, whatever the units' status, for a database of ``dialect``."""
        conditions: list[ColumnElement[bool]] = []
        if self.model_id is not None:
            conditions.append(Serial.model_id == self.model_id)
        if self.batch:
            conditions.append(Serial.batch == self.batch)
        if self.serial_from is not None and self.serial_to is not None:
            # PostgreSQL compares text by the database's locale, which skips punctuation; "C" compares bytes,
            # as SQLite always does.
            column: Any = Serial.serial.collate("C") if dialect == "postgresql" else Serial.serial
            conditions += [func.length(Serial.serial) == len(self.serial_from),
                           column >= self.serial_from, column <= self.serial_to]
        return conditions


def in_service() -> ColumnElement[bool]:
    """The units a recall reaches (see :data:`IN_SERVICE`)."""
    return Serial.status.in_([s.value for s in IN_SERVICE])


async def mark_recalled(session: AsyncSession, where: list[ColumnElement[bool]], reason: str) -> int:
    """Recall the in-service units matching ``where`` with ``reason``; returns how many were recalled."""
    result = await session.execute(
        update(Serial).where(in_service(), *where)
        .values(status=SerialStatus.RECALLED.value, status_reason=check_reason(reason), updated_at=utcnow())
        .execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0) or 0)


async def restore_after_fix(session: AsyncSession, unit: Serial, status_before: str, reason: str) -> None:
    """Return a recalled unit to service after its fix: registered if it has an owner now, else what it was
    before the recall (sold or in stock). A unit staff blocked or released since is left as it is."""
    if unit.status != SerialStatus.RECALLED:
        return
    if await active_registration(session, unit) is not None:
        unit.status = SerialStatus.REGISTERED
    else:
        unit.status = status_before if status_before == SerialStatus.SOLD else SerialStatus.IN_STOCK
    unit.status_reason = check_reason(reason)
    await session.flush()
