"""Bodies and answers of the stock endpoints. Quantities are whole units; the services check their range (1 to
1,000,000) and the ids they name, so every bad field is reported together (422)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from aftersales.http.bodies import limited_text
from aftersales.parts import locations
from aftersales.parts.levels import Level
from aftersales.parts.minimums import Reorder
from aftersales.parts.models import StockLocation, StockMinimum, StockMovement, StockReservation

ConditionName = Literal["new", "used"]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LocationIn(_Body):
    code: limited_text(locations.MAX_CODE)  # type: ignore[valid-type]
    name: limited_text(locations.MAX_NAME)  # type: ignore[valid-type]
    kind: Literal["warehouse", "service_point", "van"]
    warehouse_id: UUID | None = Field(default=None, description="A warehouse location's warehouse.")
    service_point_id: UUID | None = Field(default=None, description="A service point location's service point.")
    technician_id: UUID | None = Field(default=None, description="A van's technician.")


class LocationOut(BaseModel):
    id: UUID
    code: str
    name: str
    kind: str
    warehouse_id: UUID | None
    service_point_id: UUID | None
    technician_id: UUID | None
    active: bool


def location_out(place: StockLocation) -> LocationOut:
    return LocationOut(id=place.id, code=place.code, name=place.name, kind=place.kind,
                       warehouse_id=place.warehouse_id, service_point_id=place.service_point_id,
                       technician_id=place.technician_id, active=place.active)


class LevelOut(BaseModel):
    part_id: UUID
    location_id: UUID
    condition: str
    on_hand: int
    reserved: int
    available: int = Field(description="On hand and not reserved for a job.")


def level_out(found: Level) -> LevelOut:
    return LevelOut(part_id=found.part_id, location_id=found.location_id, condition=found.condition,
                    on_hand=found.on_hand, reserved=found.reserved, available=found.available)


class MovementIn(_Body):
    part_id: UUID
    location_id: UUID
    quantity: int = Field(description="Units, 1 to 1,000,000.")
    condition: ConditionName = "new"
    reason: str | None = Field(default=None, json_schema_extra={"maxLength": 500})


class ReceiptIn(MovementIn):
    donor_unit_id: UUID | None = Field(default=None, description="The scrapped unit used parts came from.")


class ReturnIn(MovementIn):
    request_id: UUID | None = Field(default=None, description="The service request the unused part comes back from.")
    booking_id: UUID | None = Field(default=None, description="The booking the unused part comes back from.")


class AdjustmentIn(MovementIn):
    quantity: int = Field(description="Units found more (positive) or fewer (negative) than the ledger says.")
    reason: str = Field(json_schema_extra={"maxLength": 500}, description="Why: required.")


class TransferIn(MovementIn):
    to_location_id: UUID


class MovementOut(BaseModel):
    id: UUID
    part_id: UUID
    location_id: UUID
    condition: str
    kind: str
    on_hand_delta: int
    reserved_delta: int
    donor_unit_id: UUID | None
    reservation_id: UUID | None
    transfer_id: UUID | None
    request_id: UUID | None
    booking_id: UUID | None
    reason: str | None
    actor: str
    occurred_at: datetime


def movement_out(row: StockMovement) -> MovementOut:
    return MovementOut(id=row.id, part_id=row.part_id, location_id=row.location_id, condition=row.condition,
                       kind=row.kind, on_hand_delta=row.on_hand_delta, reserved_delta=row.reserved_delta,
                       donor_unit_id=row.donor_unit_id, reservation_id=row.reservation_id,
                       transfer_id=row.transfer_id, request_id=row.request_id, booking_id=row.booking_id,
                       reason=row.reason, actor=row.actor, occurred_at=row.occurred_at)


class MovementPage(BaseModel):
    items: list[MovementOut]
    next_cursor: str | None = Field(description="Pass it back as ``cursor`` for the next page; null on the last.")


class TransferOut(BaseModel):
    out: MovementOut
    into: MovementOut


class ReservationIn(_Body):
    part_id: UUID
    quantity: int = Field(description="Units, 1 to 1,000,000.")
    location_id: UUID | None = Field(default=None, description="Where from; omitted: the active location with "
                                                               "most available.")
    condition: ConditionName | None = Field(default=None, description="omitted: whichever has most available.")
    request_id: UUID | None = None
    booking_id: UUID | None = None


class IssueIn(_Body):
    quantity: int | None = Field(default=None, description="How many were used (the rest are released); "
                                                           "omitted: all reserved.")


class ReservationOut(BaseModel):
    id: UUID
    part_id: UUID
    location_id: UUID
    condition: str
    quantity: int = Field(description="Reserved; once issued, how many were used.")
    request_id: UUID | None
    booking_id: UUID | None
    state: str
    reserved_by: str
    reserved_at: datetime
    decided_by: str | None
    decided_at: datetime | None


def reservation_out(row: StockReservation) -> ReservationOut:
    return ReservationOut(id=row.id, part_id=row.part_id, location_id=row.location_id, condition=row.condition,
                          quantity=row.quantity, request_id=row.request_id, booking_id=row.booking_id,
                          state=row.state, reserved_by=row.reserved_by, reserved_at=row.created_at,
                          decided_by=row.decided_by, decided_at=row.decided_at)


class MinimumIn(_Body):
    part_id: UUID
    location_id: UUID
    minimum: int = Field(description="Units to keep available, 0 (none) to 1,000,000.")
    reorder_quantity: int | None = Field(default=None, description="How many to order at once; omitted: up to the "
                                                                   "minimum.")


class MinimumOut(BaseModel):
    id: UUID
    part_id: UUID
    location_id: UUID
    minimum: int
    reorder_quantity: int | None
    updated_by: str
    updated_at: datetime


def minimum_out(row: StockMinimum) -> MinimumOut:
    return MinimumOut(id=row.id, part_id=row.part_id, location_id=row.location_id, minimum=row.minimum,
                      reorder_quantity=row.reorder_quantity, updated_by=row.updated_by, updated_at=row.updated_at)


class ReorderOut(BaseModel):
    part_id: UUID
    part_code: str
    location_id: UUID
    location_code: str
    available: int
    minimum: int
    suggested_quantity: int


def reorder_out(row: Reorder) -> ReorderOut:
    return ReorderOut(part_id=row.part.id, part_code=row.part.code, location_id=row.location.id,
                      location_code=row.location.code, available=row.available, minimum=row.minimum.minimum,
                      suggested_quantity=row.suggested_quantity)


class ImportOut(BaseModel):
    rows: int = Field(description="Rows read.")
    movements: list[MovementOut] = Field(description="What was written (a count that agrees writes nothing).")
