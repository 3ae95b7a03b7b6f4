"""Intake endpoints: the checklist a request's unit is taken in with, taking it in (answers, photos, the signed
receipt), and reading the intake and its files back."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, JSONBody
from sqlalchemy import select

from aftersales.db.base import utcnow
from aftersales.errors import NotFound
from aftersales.http.context import TOKEN_TENANT, RuntimeDep, SessionDep, TenantDep
from aftersales.http.openapi import AS_FILED
from aftersales.identity.guards import actor, requires_scope
from aftersales.identity.scopes import REQUESTS_READ, REQUESTS_WRITE
from aftersales.service.intake import services as intake
from aftersales.service.intake.images import MAX_INTAKE_BODY
from aftersales.service.intake.schemas import ChecklistOut, IntakeIn, IntakeOut, checklist_out, intake_out
from aftersales.service.models import ServicePoint, UnitIntake
from aftersales.service.requests.services import get_request
from aftersales.warranty.registrations.attachments import attachment_path


class IntakeController(Controller):
    """A request's unit taken in, once."""

    path = "/api/v1/requests"
    tags = ("service",)
    dependencies = TOKEN_TENANT

    @get("/{request_id:uuid}/intake/checklist", operation_id="getIntakeChecklist",
         guards=[requires_scope(REQUESTS_READ)])
    async def checklist(self, request_id: FromPath[UUID], session: SessionDep, tenant: TenantDep) -> ChecklistOut:
        """What the vertical checks when this request's unit is taken in (``aftersales_intake_checklist``)."""
        return checklist_out(await intake.checklist_for(session, tenant, await get_request(session, request_id)))

    @post("/{request_id:uuid}/intake", operation_id="takeUnitIn", guards=[requires_scope(REQUESTS_WRITE)],
          request_max_body_size=MAX_INTAKE_BODY)
    async def take_in(self, request: Request[Any, Any, Any], request_id: FromPath[UUID], data: JSONBody[IntakeIn],
                      session: SessionDep, tenant: TenantDep, runtime: RuntimeDep) -> IntakeOut:
        """Take the unit in at a service point with the checklist answered and the receipt signed by the customer.
        422 names each unknown item, unanswered required item, bad image or unknown point; 409 for a second
        intake or an ended request."""
        taken = await intake.take_in(session, tenant, runtime.settings.data_dir, request_id, intake.IntakeAsked(
            service_point_id=data.service_point_id, answers=data.answers, signer_name=data.signer_name,
            signature=data.signature), actor=actor(request), now=utcnow())
        return await _out(session, taken)

    @get("/{request_id:uuid}/intake", operation_id="getIntake", guards=[requires_scope(REQUESTS_READ)])
    async def get_intake(self, request_id: FromPath[UUID], session: SessionDep) -> IntakeOut:
        """The intake: where, the answers and the signature. 404 while the unit was not taken in."""
        return await _out(session, await _intake(session, request_id))

    @get("/{request_id:uuid}/intake/files/{sha256:str}", operation_id="getIntakeFile",
         guards=[requires_scope(REQUESTS_READ)], responses=AS_FILED)
    async def file(self, request_id: FromPath[UUID], sha256: FromPath[str], session: SessionDep, tenant: TenantDep,
                   runtime: RuntimeDep) -> Response[bytes]:
        """A photo or the signature of the intake, by its SHA-256."""
        found = await _intake(session, request_id)
        content_type = intake.file_type(found, sha256)
        if content_type is None:
            raise NotFound("no such file in this intake")
        content = attachment_path(runtime.settings.data_dir, tenant.record.id, sha256).read_bytes()
        return Response(content, media_type=content_type)


async def _intake(session: Any, request_id: UUID) -> UnitIntake:
    found = await intake.intake_of(session, (await get_request(session, request_id)).id)
    if found is None:
        raise NotFound("the request's unit was not taken in")
    return found


async def _out(session: Any, taken: UnitIntake) -> IntakeOut:
    point = await session.scalar(select(ServicePoint).where(ServicePoint.id == taken.service_point_id))
    return intake_out(taken, point)
