"""Bodies and answers of the service-request quote endpoints (amounts in minor units of the tenant's currency)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from aftersales.contract.values import LineKind
from aftersales.http.bodies import OptionalAmountMinor
from aftersales.http.language import Said
from aftersales.service.quotes.models import ServiceQuote
from aftersales.service.quotes.price_list import ItemAsked
from aftersales.service.quotes.services import QuoteAsked, shown_lines, shown_reasons


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ItemIn(_Body):
    code: str = Field(min_length=1, max_length=60, description="The code on the tenant's price list.")
    quantity: int = 1


class ServiceQuoteIn(_Body):
    labour_hours: Decimal | None = Field(default=None, description="How long the work takes, e.g. 2.5; charged at "
                                                                   "the tenant's labour_hour rate when it has one.")
    labour_minor: OptionalAmountMinor = Field(default=None, description="A flat labour price instead of (or beside) hours.")
    parts: list[ItemIn] = Field(default_factory=list, max_length=100)
    consumables: list[ItemIn] = Field(default_factory=list, max_length=100)

    def asked(self) -> QuoteAsked:
        return QuoteAsked(labour_hours=self.labour_hours, labour_minor=self.labour_minor,
                          parts=[ItemAsked(p.code, p.quantity) for p in self.parts],
                          consumables=[ItemAsked(c.code, c.quantity) for c in self.consumables])


class LineOut(BaseModel):
    kind: LineKind
    description: Said
    amount_minor: int
    covered_by_warranty: bool


class ServiceQuoteOut(BaseModel):
    id: UUID
    request_id: UUID
    state: str = Field(description="offered, accepted, declined or superseded")
    lines: list[LineOut]
    total_minor: int = Field(description="What the customer pays (the lines warranty does not cover); once "
                                         "accepted, the most the request's repair can be charged.")
    currency: str
    reasons: list[Said] = Field(description="The vertical's reasons, in the reader's language.")
    labour_hours: Decimal | None
    visit_distance_km: Decimal | None = Field(description="From the nearest service point to the unit's site.")
    under_warranty: bool
    offered_by: str
    offered_at: datetime
    decided_by: str | None
    decided_at: datetime | None


def quote_out(q: ServiceQuote) -> ServiceQuoteOut:
    return ServiceQuoteOut(
        id=q.id, request_id=q.request_id, state=q.state, lines=[LineOut(**line) for line in shown_lines(q)],
        total_minor=q.total_minor, currency=q.currency, reasons=shown_reasons(q), labour_hours=q.labour_hours,
        visit_distance_km=q.visit_distance_km, under_warranty=q.under_warranty, offered_by=q.offered_by,
        offered_at=q.offered_at, decided_by=q.decided_by, decided_at=q.decided_at,
    )
