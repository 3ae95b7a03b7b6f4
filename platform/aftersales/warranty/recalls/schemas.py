"""Request and response bodies of recall campaigns."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from aftersales.http.bodies import limited_text
from aftersales.warranty.recalls.services import MAX_REMEDY, MAX_TITLE
from aftersales.warranty.recalls.units import MAX_FIX_NOTE
from aftersales.warranty.unit_status import MAX_REASON

Title = limited_text(MAX_TITLE)
Defect = limited_text(MAX_REASON)
Remedy = limited_text(MAX_REMEDY)
FixNote = limited_text(MAX_FIX_NOTE)


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CampaignIn(_Body):
    """A draft campaign. Select units by model, batch and/or serial range; every criterion given must hold."""

    title: Title
    reason: Defect = Field(description="The defect, in words; recalled units carry it.")
    remedy: Remedy = Field(description="What the owner should do; the notice says it.")
    model_sku: str | None = Field(default=None, max_length=80)
    batch: str | None = Field(default=None, max_length=80)
    serial_from: str | None = Field(default=None, max_length=200,
                                    description="First serial of the range (normalised by the vertical).")
    serial_to: str | None = Field(default=None, max_length=200,
                                  description="Last serial of the range: as long as the first, not before it.")


class FixIn(_Body):
    note: FixNote = Field(description="What was done to the unit.")


class SelectionOut(BaseModel):
    model_sku: str | None
    batch: str | None
    serial_from: str | None
    serial_to: str | None


class PreviewOut(BaseModel):
    units: int = Field(description="Units in service the selection matches now: what a launch recalls.")
    registered: int = Field(description="Of those, units with an active owner: each gets a notice.")
    owners: int = Field(description="Distinct customers among those owners.")
    skipped: int = Field(description="Matching units out of service (blocked, replaced, already recalled).")


class ProgressOut(BaseModel):
    units: int
    registered: int
    notified: int
    acknowledged: int
    fixed: int
    unregistered: int


class CampaignOut(BaseModel):
    id: UUID
    title: str
    reason: str
    remedy: str
    selection: SelectionOut
    status: str
    created_by: str
    created_at: datetime
    launched_at: datetime | None
    launched_by: str | None
    closed_at: datetime | None
    preview: PreviewOut | None = Field(description="A draft's reach if launched now; unset once launched.")
    progress: ProgressOut | None = Field(description="A launched campaign's units by step; unset for a draft.")


class CampaignSummary(BaseModel):
    id: UUID
    title: str
    status: str
    created_at: datetime
    launched_at: datetime | None
    closed_at: datetime | None


class UnitOut(BaseModel):
    serial: str
    status_before: str = Field(description="The unit's status when the campaign recalled it.")
    registration_id: UUID | None = Field(description="The owner's registration at launch; unset for unsold stock.")
    customer_id: UUID | None
    notified_at: datetime | None
    message_ids: list[str]
    acknowledged_at: datetime | None
    acknowledged_via: str | None = Field(description="``customer_link`` or ``agent``.")
    acknowledged_by: str | None
    fixed_at: datetime | None
    fix_note: str | None
    fixed_by: str | None


class PublicNoticeOut(BaseModel):
    """What an acknowledgement link shows: the recall and the unit, nothing personal."""

    title: str
    reason: str
    remedy: str
    serial: str
    model: str
    campaign_status: str
    acknowledged_at: datetime | None
