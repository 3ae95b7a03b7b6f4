"""Bodies and answers of the intake endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from aftersales.contract.values import IntakeChecklist, IntakeItem
from aftersales.http.bodies import limited_text
from aftersales.http.language import Said
from aftersales.service.intake.services import MAX_SIGNER_NAME, Answer, asked_items
from aftersales.service.models import ServicePoint, UnitIntake


class IntakeIn(BaseModel):
    """A unit taken in: where, the checklist's answers and the customer's signature on the receipt."""

    model_config = ConfigDict(extra="forbid")

    service_point_id: UUID
    answers: dict[str, Answer] = Field(description=(
        "Per item code of the checklist (GET …/intake/checklist): true/false for a yes_no item, a text, or for a "
        "photos item a list of JPEG/PNG images as base64 data: URLs (at most 6, 4 MiB each)."))
    signer_name: limited_text(MAX_SIGNER_NAME)  # type: ignore[valid-type]
    signature: str = Field(description="The customer's drawn signature: a data:image/png;base64 URL, at most 256 KiB.")


class ChecklistItemOut(BaseModel):
    code: str
    label: Said
    kind: str = Field(description="yes_no, text or photos")
    required: bool


class ChecklistOut(BaseModel):
    """What the vertical checks when this request's unit is taken in."""

    items: list[ChecklistItemOut]
    transfer_expected_business_days: int


class PhotoOut(BaseModel):
    sha256: str
    content_type: str
    size: int


class AnsweredItemOut(ChecklistItemOut):
    answer: bool | str | None = Field(description="The yes_no or text answer; null for photos or when not answered.")
    photos: list[PhotoOut]


class IntakeOut(BaseModel):
    """A unit's intake as its receipt states it: the checklist answered, and signed by the customer."""

    request_id: UUID
    service_point_id: UUID
    service_point_name: str
    items: list[AnsweredItemOut]
    signer_name: str
    signed_at: datetime
    signature_sha256: str
    taken_by: str
    taken_at: datetime


def item_out(item: IntakeItem) -> ChecklistItemOut:
    return ChecklistItemOut(code=item.code, label=item.label, kind=item.kind, required=item.required)


def checklist_out(checklist: IntakeChecklist) -> ChecklistOut:
    return ChecklistOut(items=[item_out(i) for i in checklist.items],
                        transfer_expected_business_days=checklist.transfer_expected_business_days)


def answered_items(intake: UnitIntake) -> list[AnsweredItemOut]:
    """Each item as asked, with its answer (photos as their stored records)."""
    out = []
    for item in asked_items(intake):
        given: Any = intake.answers.get(item.code)
        photos = [PhotoOut(**p) for p in given] if item.kind == "photos" and given else []
        out.append(AnsweredItemOut(code=item.code, label=item.label, kind=item.kind, required=item.required,
                                   answer=None if item.kind == "photos" else given, photos=photos))
    return out


def intake_out(intake: UnitIntake, point: ServicePoint) -> IntakeOut:
    return IntakeOut(request_id=intake.request_id, service_point_id=point.id, service_point_name=point.name,
                     items=answered_items(intake), signer_name=intake.signer_name, signed_at=intake.signed_at,
                     signature_sha256=intake.signature_sha256, taken_by=intake.taken_by, taken_at=intake.taken_at)
