"""Bodies and answers of the charge endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from aftersales.http.bodies import OptionalAmountMinor
from aftersales.marketplace.models import JobCharge
from aftersales.marketplace.quotes.schemas import StrictBody


class ChargeIn(StrictBody):
    amount_minor: OptionalAmountMinor = Field(default=None, description="What to charge; by default the whole cap.")
    work_item_ids: list[UUID] = Field(default_factory=list, max_length=500,
                                      description="The recorded work the charge is for; each must be chargeable.")


class ChargeOut(BaseModel):
    id: UUID
    booking_id: UUID
    quote_id: UUID | None
    outcome: Literal["created", "refused"]
    amount_minor: int
    cap_minor: int = Field(description="The accepted quote's total plus the approved changes' totals.")
    currency: str
    provider_payout_minor: int
    platform_fee_minor: int
    reason: str
    requested_by: str
    requested_at: datetime


def charge_out(charge: JobCharge) -> ChargeOut:
    return ChargeOut(id=charge.id, booking_id=charge.booking_id, quote_id=charge.quote_id, outcome=charge.outcome,
                     amount_minor=charge.amount_minor, cap_minor=charge.cap_minor, currency=charge.currency,
                     provider_payout_minor=charge.provider_payout_minor,
                     platform_fee_minor=charge.platform_fee_minor, reason=charge.reason,
                     requested_by=charge.requested_by, requested_at=charge.requested_at)
