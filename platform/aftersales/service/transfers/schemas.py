"""Bodies and answers of the transfer and location endpoints."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from aftersales.http.bodies import limited_text
from aftersales.http.language import Said
from aftersales.service.models import UnitTransfer
from aftersales.service.requests.location import UnitLocation
from aftersales.service.transfers.services import MAX_CARRIER, MAX_WAYBILL, TransferState, transfer_state


class TransferIn(BaseModel):
    """Send the unit from where it is to another service point."""

    model_config = ConfigDict(extra="forbid")

    to_point_id: UUID
    waybill: limited_text(MAX_WAYBILL)  # type: ignore[valid-type]
    carrier: limited_text(MAX_CARRIER)  # type: ignore[valid-type]
    sent_at: datetime | None = Field(default=None, description="When it left; now when left out. Not in the future.")


class ReceiveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    received_at: datetime | None = Field(default=None, description="When it arrived; now when left out.")


class TransferOut(BaseModel):
    id: UUID
    request_id: UUID
    from_point_id: UUID
    to_point_id: UUID
    waybill: str
    carrier: str
    sent_at: datetime
    sent_by: str
    expected_by: datetime = Field(description="Not received by then, it is reported missing (unit.missing).")
    received_at: datetime | None
    received_by: str | None
    missing_at: datetime | None
    state: TransferState


class LocationOut(BaseModel):
    """Where the request's unit is, and since when."""

    state: str = Field(description="not_taken_in, taken_in, at_point, in_transit or with_customer")
    since: datetime | None
    point_id: UUID | None = Field(description="Where it is; in transit, where it is headed.")
    point_name: str | None
    point_kind: str | None = Field(description="workshop or office")
    from_point_id: UUID | None = Field(description="In transit: where it was sent from.")
    transfer_id: UUID | None
    missing: bool
    said: Said | None = Field(description="The location in the reader's language and calendar.")


def transfer_out(t: UnitTransfer) -> TransferOut:
    return TransferOut(id=t.id, request_id=t.request_id, from_point_id=t.from_point_id, to_point_id=t.to_point_id,
                       waybill=t.waybill, carrier=t.carrier, sent_at=t.sent_at, sent_by=t.sent_by,
                       expected_by=t.expected_by, received_at=t.received_at, received_by=t.received_by,
                       missing_at=t.missing_at, state=transfer_state(t))


def location_out(where: UnitLocation | None, zone: object) -> LocationOut:
    if where is None:
        return LocationOut(state="not_taken_in", since=None, point_id=None, point_name=None, point_kind=None,
                           from_point_id=None, transfer_id=None, missing=False, said=None)
    point, origin = where.point, where.origin
    return LocationOut(state=where.state.value, since=where.since, point_id=point.id if point else None,
                       point_name=point.name if point else None, point_kind=point.kind if point else None,
                       from_point_id=origin.id if origin else None,
                       transfer_id=where.transfer.id if where.transfer else None, missing=where.missing,
                       said=where.sentence(zone))  # type: ignore[arg-type]
