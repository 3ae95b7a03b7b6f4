"""Bodies and answers of the price list, quote, change request, work and charge endpoints.

Amounts are integer minor units of the booking's currency. Signs and price-list membership are checked by the
services (422 with the field), not here, so every bad amount is reported alongside the others.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from aftersales.contract.values import LineKind
from aftersales.marketplace.changes.services import chargeable
from aftersales.marketplace.models import ChangeRequest, JobCharge, PartPrice, Quote, WorkItem
from aftersales.marketplace.quotes.parts import ItemAsked


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PartPriceIn(_Body):
    name: str = Field(min_length=1, max_length=200)
    price_minor: int = Field(description="The manufacturer's list price, in minor units of the currency.")
    currency: str = Field(min_length=3, max_length=3)
    active: bool = True


class PartPriceOut(BaseModel):
    code: str
    name: str
    price_minor: int
    currency: str
    active: bool
    updated_by: str
    updated_at: datetime


def part_price_out(entry: PartPrice) -> PartPriceOut:
    return PartPriceOut(code=entry.code, name=entry.name, price_minor=entry.price_minor, currency=entry.currency,
                        active=entry.active, updated_by=entry.updated_by, updated_at=entry.updated_at)


class ItemIn(_Body):
    code: str = Field(min_length=1, max_length=60, description="The code on the tenant's price list.")
    quantity: int = 1

    def asked(self) -> ItemAsked:
        return ItemAsked(self.code, self.quantity)


class QuoteIn(_Body):
    parts: list[ItemIn] = Field(default_factory=list, max_length=100,
                                description="Parts the job needs, charged at the list price.")
    consumables: list[ItemIn] = Field(default_factory=list, max_length=100,
                                      description="Consumables the job uses; they must be ones the customer asked "
                                                  "for when the vertical says so (Carmax).")


class LineOut(BaseModel):
    kind: LineKind
    description: str
    amount_minor: int
    covered_by_warranty: bool


class QuoteOut(BaseModel):
    id: UUID
    booking_id: UUID
    state: str
    lines: list[LineOut]
    total_minor: int = Field(description="What the customer pays: the lines warranty does not cover.")
    currency: str
    reasons: list[str]
    fee_basis_points: int
    offered_by: str
    offered_at: datetime
    decided_by: str | None
    decided_at: datetime | None


def _lines(lines: list[dict[str, Any]]) -> list[LineOut]:
    return [LineOut(**line) for line in lines]


def quote_out(quote: Quote) -> QuoteOut:
    return QuoteOut(id=quote.id, booking_id=quote.booking_id, state=quote.state, lines=_lines(quote.lines),
                    total_minor=quote.total_minor, currency=quote.currency, reasons=quote.reasons,
                    fee_basis_points=quote.fee_basis_points, offered_by=quote.offered_by,
                    offered_at=quote.offered_at, decided_by=quote.decided_by, decided_at=quote.decided_at)


class ChangeRequestIn(_Body):
    description: str = Field(min_length=1, max_length=4000, description="What more the provider wants to do.")
    reason: str = Field(min_length=1, max_length=4000, description="Why it is needed.")
    labour_minor: int = 0
    parts: list[ItemIn] = Field(default_factory=list, max_length=100)
    consumables: list[ItemIn] = Field(default_factory=list, max_length=100)


class DecisionIn(_Body):
    note: str = Field(default="", max_length=4000)


class ChangeRequestOut(BaseModel):
    id: UUID
    booking_id: UUID
    description: str
    reason: str
    lines: list[LineOut]
    amount_minor: int
    currency: str
    state: str
    raised_by: str
    raised_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str


def change_out(change: ChangeRequest) -> ChangeRequestOut:
    return ChangeRequestOut(id=change.id, booking_id=change.booking_id, description=change.description,
                            reason=change.reason, lines=_lines(change.lines), amount_minor=change.amount_minor,
                            currency=change.currency, state=change.state, raised_by=change.raised_by,
                            raised_at=change.raised_at, decided_by=change.decided_by, decided_at=change.decided_at,
                            decision_note=change.decision_note)


class WorkItemIn(_Body):
    description: str = Field(min_length=1, max_length=4000)
    amount_minor: int
    from_quote: bool = Field(default=False, description="Work the accepted quote covers.")
    change_request_id: UUID | None = Field(default=None, description="The approved change request that covers it.")


class WorkItemOut(BaseModel):
    id: UUID
    booking_id: UUID
    description: str
    amount_minor: int
    currency: str
    from_quote: bool
    change_request_id: UUID | None
    chargeable: bool
    recorded_by: str
    recorded_at: datetime


class RecordedWorkOut(WorkItemOut):
    why: str = Field(description="Why the item is or is not chargeable.")


def work_out(item: WorkItem) -> WorkItemOut:
    return WorkItemOut(id=item.id, booking_id=item.booking_id, description=item.description,
                       amount_minor=item.amount_minor, currency=item.currency, from_quote=item.from_quote,
                       change_request_id=item.change_request_id, chargeable=chargeable(item),
                       recorded_by=item.recorded_by, recorded_at=item.recorded_at)


class ChargeIn(_Body):
    amount_minor: int | None = Field(default=None, description="What to charge; by default the whole cap.")
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
