"""Bodies and answers of the parts-supply endpoints (back-orders, donor units, faulty parts and return batches).

Quantities, amounts and dates are checked by the services, so a hostile value is refused with the body's other
bad fields (422, each field named) rather than alone.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from aftersales.contract.money import MAX_MINOR_UNITS
from aftersales.contract.text import CORE_DOMAIN, messages
from aftersales.http.bodies import limited_text
from aftersales.http.language import Said
from aftersales.parts.supply.catalogue import MAX_TEXT
from aftersales.parts.supply.donors import MAX_SERIAL, UsedPartTaken
from aftersales.parts.supply.models import Backorder, DonorHarvest, DonorUnit, FaultyPart
from aftersales.parts.supply.returns import MAX_RMA, BatchAccount
from aftersales.service.quotes.models import PartPrice

_ = messages(CORE_DOMAIN)


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BackorderIn(_Body):
    part_id: UUID
    quantity: int = Field(description="Units ordered, 1 to 1,000,000.")
    request_id: UUID = Field(description="The service request that waits for the part: it moves to "
                                         "waiting_for_parts and its customer is told the expected date.")
    location_id: UUID = Field(description="The stock location the parts will be received at.")
    expected_on: date = Field(description="The day the supplier expects to deliver (tenant-local), today or later.")
    supplier: limited_text(MAX_TEXT) | None = Field(  # type: ignore[valid-type]
        default=None, description="The catalogue's supplier of the part when left out.")
    supplier_reference: limited_text(100) = ""  # type: ignore[valid-type]


class BackorderOut(BaseModel):
    id: UUID
    part_id: UUID
    quantity: int
    request_id: UUID
    location_id: UUID
    supplier: str
    supplier_reference: str
    expected_on: date
    state: str = Field(description="open, or received.")
    late: bool = Field(description="Open and past its expected date.")
    placed_by: str
    placed_at: datetime
    received_at: datetime | None
    reservation_id: UUID | None = Field(description="The job's hold on the parts received.")


class ExpectedPartOut(BaseModel):
    """A part a customer's repair waits for, as the customer reads it."""

    part_code: str
    part_name: str
    part_names: dict[str, str] = Field(description="The part's name by locale, where the catalogue has them.")
    quantity: int
    expected_on: date
    expected: Said = Field(description="The expected date in the reader's language and calendar (Jalali in fa).")
    arrived: bool


class DonorIn(_Body):
    source: Literal["replaced", "scrapped", "taken_in"]
    location_id: UUID = Field(description="Where the unit is kept and its harvested parts are stocked.")
    serial: limited_text(MAX_SERIAL) | None = Field(  # type: ignore[valid-type]
        default=None, description="The unit's serial, or give registration_id instead.")
    registration_id: UUID | None = None
    note: limited_text(2000) = ""  # type: ignore[valid-type]


class DonorOut(BaseModel):
    id: UUID
    serial: str
    registration_id: UUID | None
    source: str
    location_id: UUID
    note: str
    registered_by: str
    registered_at: datetime


class HarvestLineIn(_Body):
    part_id: UUID
    quantity: int


class HarvestIn(_Body):
    lines: list[HarvestLineIn] = Field(description="The usable parts the technician took, each part once.")


class HarvestOut(BaseModel):
    id: UUID
    donor_unit_id: UUID
    part_id: UUID
    quantity: int
    movement_id: UUID
    harvested_by: str
    harvested_at: datetime


class UsedPartIn(_Body):
    request_id: UUID
    part_id: UUID
    quantity: int
    location_id: UUID


class UsedPartOut(BaseModel):
    reservation_id: UUID
    condition: str
    quantity: int
    warranty_days: int = Field(description="The customer's warranty on the used part, as the vertical gives it.")
    warranty_until: date | None
    reasons: list[Said]


class FaultyIn(_Body):
    request_id: UUID = Field(description="The warranty repair the faulty part was removed in.")
    part_id: UUID
    quantity: int


class FaultyOut(BaseModel):
    id: UUID
    part_id: UUID
    quantity: int
    request_id: UUID
    supplier: str
    warranty_cost_minor: int
    currency: str
    state: str = Field(description="awaiting_return, or batched.")
    batch_id: UUID | None
    tagged_by: str
    tagged_at: datetime


class BatchIn(_Body):
    supplier: limited_text(MAX_TEXT)  # type: ignore[valid-type]
    rma_number: limited_text(MAX_RMA)  # type: ignore[valid-type]
    faulty_ids: list[UUID] | None = Field(default=None, max_length=1000, description=(
        "The faulty parts to return; every one awaiting return to the supplier when left out."))


class CreditIn(_Body):
    credit_minor: int = Field(description="The supplier's credit in minor units of the tenant's currency.",
                              json_schema_extra={"minimum": 0, "maximum": MAX_MINOR_UNITS})
    """Documented bounds only: the service checks them with the rest of the body (422 naming the field)."""


class RejectionIn(_Body):
    reason: limited_text(2000)  # type: ignore[valid-type]


class BatchOut(BaseModel):
    id: UUID
    supplier: str
    rma_number: str
    state: str = Field(description="open, sent, credited or rejected.")
    opened_by: str
    opened_at: datetime
    sent_at: datetime | None
    closed_at: datetime | None
    rejection_reason: str
    parts: list[FaultyOut]
    request_ids: list[UUID] = Field(description="The warranty repairs the batch's parts came from.")
    warranty_cost_minor: int = Field(description="What the batch's parts cost the warranty (list price).")
    credit_minor: int | None
    uncovered_minor: int = Field(description="Warranty cost not covered by the supplier's credit.")
    currency: str


def backorder_out(backorder: Backorder, today: date) -> BackorderOut:
    return BackorderOut(
        id=backorder.id, part_id=backorder.part_id, quantity=backorder.quantity, request_id=backorder.request_id,
        location_id=backorder.location_id, supplier=backorder.supplier,
        supplier_reference=backorder.supplier_reference, expected_on=backorder.expected_on, state=backorder.state,
        late=backorder.state == "open" and backorder.expected_on < today, placed_by=backorder.placed_by,
        placed_at=backorder.created_at, received_at=backorder.received_at, reservation_id=backorder.reservation_id)


def expected_part_out(backorder: Backorder, part: PartPrice) -> ExpectedPartOut:
    return ExpectedPartOut(part_code=part.code, part_name=part.name, part_names=dict(part.names or {}),
                           quantity=backorder.quantity, expected_on=backorder.expected_on,
                           expected=_("expected on {day}", day=backorder.expected_on),
                           arrived=backorder.state == "received")


def donor_out(donor: DonorUnit) -> DonorOut:
    return DonorOut(id=donor.id, serial=donor.serial, registration_id=donor.registration_id, source=donor.source,
                    location_id=donor.location_id, note=donor.note, registered_by=donor.registered_by,
                    registered_at=donor.created_at)


def harvest_out(harvest: DonorHarvest) -> HarvestOut:
    return HarvestOut(id=harvest.id, donor_unit_id=harvest.donor_unit_id, part_id=harvest.part_id,
                      quantity=harvest.quantity, movement_id=harvest.movement_id, harvested_by=harvest.harvested_by,
                      harvested_at=harvest.created_at)


def used_part_out(taken: UsedPartTaken) -> UsedPartOut:
    held = taken.reservation
    return UsedPartOut(reservation_id=held.id, condition=held.condition, quantity=held.quantity,
                       warranty_days=taken.terms.warranty_days, warranty_until=taken.warranty_until,
                       reasons=list(taken.terms.reasons))


def faulty_out(faulty: FaultyPart) -> FaultyOut:
    return FaultyOut(id=faulty.id, part_id=faulty.part_id, quantity=faulty.quantity, request_id=faulty.request_id,
                     supplier=faulty.supplier, warranty_cost_minor=faulty.warranty_cost_minor,
                     currency=faulty.currency, state=faulty.state, batch_id=faulty.batch_id,
                     tagged_by=faulty.tagged_by, tagged_at=faulty.created_at)


def batch_out(found: BatchAccount) -> BatchOut:
    batch = found.batch
    return BatchOut(
        id=batch.id, supplier=batch.supplier, rma_number=batch.rma_number, state=batch.state,
        opened_by=batch.opened_by, opened_at=batch.created_at, sent_at=batch.sent_at, closed_at=batch.closed_at,
        rejection_reason=batch.rejection_reason, parts=[faulty_out(p) for p in found.parts],
        request_ids=sorted({p.request_id for p in found.parts}), warranty_cost_minor=found.warranty_cost.amount_minor,
        credit_minor=found.credit.amount_minor if found.credit else None,
        uncovered_minor=found.uncovered.amount_minor, currency=found.warranty_cost.currency)
