"""Bodies and answers of the price list, quote, change request, work and charge endpoints.

Amounts are integer minor units of the booking's currency. Signs and price-list membership are checked by the
services (422 with the field), not here, so every bad amount is reported alongside the others.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from aftersales.contract.text import loaded_text
from aftersales.contract.values import LineKind
from aftersales.http.bodies import AmountMinor, CurrencyCode
from aftersales.http.language import Said, reader
from aftersales.marketplace.models import Quote
from aftersales.marketplace.quotes.parts import CatalogueFacts, ItemAsked, name_for
from aftersales.service.quotes.models import PartPrice


class StrictBody(BaseModel):
    """A request body that refuses fields it does not know."""

    model_config = ConfigDict(extra="forbid")


class PartPriceIn(StrictBody):
    name: str = Field(min_length=1, max_length=200)
    price_minor: AmountMinor = Field(description="The manufacturer's list price, in minor units of the currency.")
    currency: CurrencyCode
    active: bool = True
    names: dict[str, Annotated[str, Field(max_length=200)]] | None = Field(
        default=None, max_length=10, description="The name in other languages, by locale (en, fa, zh, ka); "
                                                 "omitted: kept as it is.")
    compatible_models: list[Annotated[str, Field(max_length=80)]] | None = Field(
        default=None, max_length=200, description="SKUs of the tenant's product models the part fits; omitted: kept.")
    wear_part: bool | None = Field(default=None, description="A part that wears in normal use; omitted: kept.")
    supplier: str | None = Field(default=None, max_length=200, description="Who supplies it; omitted: kept, "
                                                                           "empty: none.")

    def facts(self) -> CatalogueFacts:
        return CatalogueFacts(names=self.names, compatible_models=self.compatible_models, wear_part=self.wear_part,
                              supplier=self.supplier)


class PartPriceOut(BaseModel):
    id: UUID = Field(description="The part's id: what stock, reservations and minimums name.")
    code: str
    name: str = Field(description="The name in the reader's language (Accept-Language), else the entry's name.")
    names: dict[str, str]
    compatible_models: list[str]
    wear_part: bool
    supplier: str | None
    price_minor: int
    currency: str
    active: bool
    updated_by: str
    updated_at: datetime


def part_price_out(entry: PartPrice) -> PartPriceOut:
    return PartPriceOut(id=entry.id, code=entry.code, name=name_for(entry, reader().locale), names=entry.names or {},
                        compatible_models=entry.compatible_models or [], wear_part=entry.wear_part,
                        supplier=entry.supplier, price_minor=entry.price_minor, currency=entry.currency,
                        active=entry.active, updated_by=entry.updated_by, updated_at=entry.updated_at)


class ItemIn(StrictBody):
    code: str = Field(min_length=1, max_length=60, description="The code on the tenant's price list.")
    quantity: int = 1

    def asked(self) -> ItemAsked:
        return ItemAsked(self.code, self.quantity)


class QuoteIn(StrictBody):
    parts: list[ItemIn] = Field(default_factory=list, max_length=100,
                                description="Parts the job needs, charged at the list price.")
    consumables: list[ItemIn] = Field(default_factory=list, max_length=100,
                                      description="Consumables the job uses; they must be ones the customer asked "
                                                  "for when the vertical says so (Carmax).")


class LineOut(BaseModel):
    kind: LineKind
    description: Said
    amount_minor: int
    covered_by_warranty: bool


class QuoteOut(BaseModel):
    id: UUID
    booking_id: UUID
    state: str
    lines: list[LineOut]
    total_minor: int = Field(description="What the customer pays: the lines warranty does not cover.")
    currency: str
    reasons: list[Said]
    fee_basis_points: int
    binding: bool = Field(description="Accepted, it caps the charge (with the approved changes); else an estimate.")
    extra_work_needs_consent: bool = Field(
        description="Extra work is chargeable only through a change request the customer approved first.")
    offered_by: str
    offered_at: datetime
    decided_by: str | None
    decided_at: datetime | None


def lines_out(lines: list[dict[str, Any]]) -> list[LineOut]:
    """The priced lines of a quote or a change request, as answered."""
    return [LineOut(**{**line, "description": loaded_text(line["description"])}) for line in lines]


def quote_out(quote: Quote) -> QuoteOut:
    return QuoteOut(id=quote.id, booking_id=quote.booking_id, state=quote.state, lines=lines_out(quote.lines),
                    total_minor=quote.total_minor, currency=quote.currency, reasons=quote.reasons,
                    fee_basis_points=quote.fee_basis_points, binding=quote.binding,
                    extra_work_needs_consent=quote.extra_work_needs_consent, offered_by=quote.offered_by,
                    offered_at=quote.offered_at, decided_by=quote.decided_by, decided_at=quote.decided_at)


