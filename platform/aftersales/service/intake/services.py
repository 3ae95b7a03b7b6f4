"""Taking a unit in (issue 20 §2): the vertical's checklist (``aftersales_intake_checklist``) answered, its photos
kept, and the receipt signed by the customer (a drawn signature and the signer's name, with the time).

Every answer is checked before anything is written: an answer to an item the checklist does not have, a required
item left unanswered, an answer of the wrong kind, an unknown or retired service point, a bad image — each is named
in one 422 refusal. A request is taken in once (409 ``intake.exists``; on PostgreSQL the unique key decides a race).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.text import CORE_DOMAIN, loaded_text, messages, stored_text
from aftersales.contract.values import IntakeChecklist, IntakeItem
from aftersales.errors import Conflict, FieldError, InvalidInput
from aftersales.service.intake.images import MAX_PHOTO_BYTES, MAX_SIGNATURE_BYTES, PHOTO_TYPES, Image, decode
from aftersales.service.models import RequestEvent, ServicePoint, ServiceRequest, UnitIntake
from aftersales.service.requests.services import get_request
from aftersales.service.states import FINAL, RequestState
from aftersales.tenancy.current import CurrentTenant
from aftersales.warranty.catalog import product_info
from aftersales.warranty.registrations.services import get_registration

_ = messages(CORE_DOMAIN)

MAX_ANSWER_TEXT = 2000
MAX_PHOTOS_PER_ITEM = 6
MAX_SIGNER_NAME = 200
Answer = bool | str | list[str]


@dataclass(frozen=True)
class IntakeAsked:
    """What staff recorded at the counter: where, the answers by item code, and the customer's signature."""

    service_point_id: UUID
    answers: Mapping[str, Answer]
    signer_name: str
    signature: str
    """The drawn signature as a ``data:image/png;base64,…`` URL."""


async def checklist_for(session: AsyncSession, tenant: CurrentTenant, request: ServiceRequest) -> IntakeChecklist:
    """The vertical's checklist for ``request``'s unit (its registered model, when it has one)."""
    product = None
    if request.registration_id is not None:
        product = product_info((await get_registration(session, request.registration_id)).model)
    checklist: IntakeChecklist = tenant.hooks.aftersales_intake_checklist(tenant=tenant.context, product=product)
    return checklist


async def intake_of(session: AsyncSession, request_id: UUID) -> UnitIntake | None:
    """The request's intake, when its unit was taken in."""
    return await session.scalar(select(UnitIntake).where(UnitIntake.request_id == request_id))


def asked_items(intake: UnitIntake) -> list[IntakeItem]:
    """The checklist as it was asked at the intake (labels as their messages)."""
    return [IntakeItem(i["code"], loaded_text(i["label"]), i["kind"], i["required"]) for i in intake.checklist]


async def take_in(session: AsyncSession, tenant: CurrentTenant, data_dir: Path, request_id: UUID, asked: IntakeAsked,
                  *, actor: str, now: datetime) -> UnitIntake:
    """Take the request's unit in at a service point with the checklist answered and the receipt signed.

    :raises NotFound: no such request. :raises Conflict: it ended, or its unit was taken in already.
    :raises InvalidInput: every bad answer, point, name or image, each named; nothing is written.
    """
    request = await get_request(session, request_id)
    if RequestState(request.state) in FINAL:
        raise Conflict(f"request #{request.number} is {request.state}; an ended request takes no unit in",
                       code="intake.request_ended", params={"state": request.state})
    if await intake_of(session, request.id) is not None:
        raise Conflict(f"the unit of request #{request.number} was taken in already", code="intake.exists")
    checklist = await checklist_for(session, tenant, request)
    point = await session.scalar(select(ServicePoint).where(ServicePoint.id == asked.service_point_id))
    errors: list[FieldError] = []
    if point is None or not point.active:
        errors.append(FieldError("service_point_id", "is not one of the company's active service points",
                                 code="intake.unknown_point"))
    answers, images, answer_errors = _checked_answers(checklist, asked.answers)
    errors += answer_errors
    signer = asked.signer_name.strip()
    if not signer:
        errors.append(FieldError("signer_name", "must not be empty", code="intake.required"))
    elif len(signer) > MAX_SIGNER_NAME:
        errors.append(FieldError("signer_name", f"must be at most {MAX_SIGNER_NAME} characters", code="intake.too_long",
                                 params={"limit": MAX_SIGNER_NAME}))
    signature = decode(asked.signature, "signature", types=("image/png",), limit=MAX_SIGNATURE_BYTES)
    if isinstance(signature, FieldError):
        errors.append(signature)
    if errors:
        raise InvalidInput("the unit cannot be taken in", errors)
    assert point is not None and isinstance(signature, Image)
    tenant_id = tenant.record.id
    for code, photos in images.items():
        answers[code] = [photo.keep(data_dir, tenant_id) for photo in photos]
    intake = UnitIntake(
        request_id=request.id, service_point_id=point.id, answers=answers, signer_name=signer,
        checklist=[{"code": i.code, "label": stored_text(i.label), "kind": i.kind, "required": i.required}
                   for i in checklist.items],
        signature_sha256=str(signature.keep(data_dir, tenant_id)["sha256"]), signed_at=now, taken_by=actor,
        taken_at=now)
    try:
        async with session.begin_nested():
            session.add(intake)
            await session.flush()
    except IntegrityError:
        raise Conflict(f"the unit of request #{request.number} was taken in already", code="intake.exists") from None
    session.add(RequestEvent(request_id=request.id, occurred_at=now, actor=actor, kind="taken_in",
                             note=_("unit taken in at {point}; the receipt was signed by {signer}",
                                    point=point.name, signer=signer)))
    await session.flush()
    return intake


def _checked_answers(checklist: IntakeChecklist, given: Mapping[str, Answer]) -> tuple[
        dict[str, Any], dict[str, list[Image]], list[FieldError]]:
    """The answers to keep (photos still to write, in the second map) and every problem, by ``answers.<code>``."""
    answers: dict[str, Any] = {}
    images: dict[str, list[Image]] = {}
    errors = [FieldError(f"answers.{code}", "is not an item of the intake checklist", code="intake.unknown_item",
                         params={"item": code}) for code in given if checklist.item(code) is None]
    for item in checklist.items:
        field = f"answers.{item.code}"
        value = given.get(item.code)
        if value is None or value == "" or value == []:
            if item.required:
                errors.append(FieldError(field, "must be answered", code="intake.required", params={"item": item.code}))
            continue
        if item.kind == "yes_no":
            if not isinstance(value, bool):
                errors.append(FieldError(field, "must be true or false", code="intake.wrong_kind"))
            else:
                answers[item.code] = value
        elif item.kind == "text":
            if not isinstance(value, str):
                errors.append(FieldError(field, "must be a text", code="intake.wrong_kind"))
            elif not value.strip() and item.required:
                errors.append(FieldError(field, "must be answered", code="intake.required", params={"item": item.code}))
            elif len(value.strip()) > MAX_ANSWER_TEXT:
                errors.append(FieldError(field, f"must be at most {MAX_ANSWER_TEXT} characters", code="intake.too_long",
                                         params={"limit": MAX_ANSWER_TEXT}))
            elif value.strip():
                answers[item.code] = value.strip()
        else:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                errors.append(FieldError(field, "must be a list of image data: URLs", code="intake.wrong_kind"))
            elif len(value) > MAX_PHOTOS_PER_ITEM:
                errors.append(FieldError(field, f"must be at most {MAX_PHOTOS_PER_ITEM} photos",
                                         code="intake.too_many_photos", params={"limit": MAX_PHOTOS_PER_ITEM}))
            else:
                decoded = [decode(v, f"{field}.{n}", types=PHOTO_TYPES, limit=MAX_PHOTO_BYTES)
                           for n, v in enumerate(value)]
                errors += [d for d in decoded if isinstance(d, FieldError)]
                images[item.code] = [d for d in decoded if isinstance(d, Image)]
    return answers, images, errors


def file_type(intake: UnitIntake, sha256: str) -> str | None:
    """The content type of the intake's signature or photo ``sha256``; None when it has no such file."""
    if sha256 == intake.signature_sha256:
        return "image/png"
    for item in asked_items(intake):
        if item.kind == "photos":
            for photo in intake.answers.get(item.code) or []:
                if photo["sha256"] == sha256:
                    return str(photo["content_type"])
    return None
