"""Bodies and answers of the change request and work endpoints."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, Field

from aftersales.http.bodies import AmountMinor
from aftersales.marketplace.changes.services import chargeable
from aftersales.marketplace.models import ChangeRequest, Quote, WorkItem
from aftersales.marketplace.quotes.schemas import ItemIn, LineOut, StrictBody, lines_out


class ChangeRequestIn(StrictBody):
    description: str = Field(min_length=1, max_length=4000, description="What more the provider wants to do.")
    reason: str = Field(min_length=1, max_length=4000, description="Why it is needed.")
    labour_minor: AmountMinor = 0
    parts: list[ItemIn] = Field(default_factory=list, max_length=100)
    consumables: list[ItemIn] = Field(default_factory=list, max_length=100)


class DecisionIn(StrictBody):
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
                            reason=change.reason, lines=lines_out(change.lines), amount_minor=change.amount_minor,
                            currency=change.currency, state=change.state, raised_by=change.raised_by,
                            raised_at=change.raised_at, decided_by=change.decided_by, decided_at=change.decided_at,
                            decision_note=change.decision_note)


class WorkItemIn(StrictBody):
    description: str = Field(min_length=1, max_length=4000)
    amount_minor: AmountMinor
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


def work_out(item: WorkItem, quote: Quote | None) -> WorkItemOut:
    """The item as answered; ``quote`` is the booking's accepted quote, whose terms say what is chargeable."""
    return WorkItemOut(id=item.id, booking_id=item.booking_id, description=item.description,
                       amount_minor=item.amount_minor, currency=item.currency, from_quote=item.from_quote,
                       change_request_id=item.change_request_id, chargeable=chargeable(item, quote),
                       recorded_by=item.recorded_by, recorded_at=item.recorded_at)
