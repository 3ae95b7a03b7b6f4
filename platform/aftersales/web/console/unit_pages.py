"""The request page's unit actions (issue 20 §2): take the unit in (the checklist, photos, and the customer's
signature drawn on a ``<canvas>``, posted as a PNG data URL by ``/static/portal/signature-pad.js``), send it to
another service point, receive it; and the intake receipt page with the answers and the signature. They call the
services the API calls, as the signed-in staff member (``requests:write`` to act, ``requests:read`` to look), and
answer as the request page's other actions do: back to the request when done, the request with the reasons
(422, 409) when refused, nothing written."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from aftersales.db.base import utcnow
from aftersales.errors import Conflict, InvalidInput, NotFound
from aftersales.http.context import RuntimeDep, SessionDep, TenantDep
from aftersales.identity.scopes import REQUESTS_READ, REQUESTS_WRITE
from aftersales.service.intake import services as intake
from aftersales.service.intake.images import MAX_INTAKE_BODY
from aftersales.service.requests import receipts
from aftersales.service.requests import services as service
from aftersales.service.transfers import services as transfers
from aftersales.warranty.registrations.attachments import attachment_path
from aftersales.web.console.console_pages import actor_of, console_page, parse_id, show
from aftersales.web.console.requests_pages import REQUEST, Problem, refused_on_request
from aftersales.web.console.unit_refusals import worded
from aftersales.web.console.unit_views import intake_asked, unit_view
from aftersales.web.forms import form_fields
from aftersales.web.page_auth import ViewerDep
from aftersales.web.page_controller import PageController


class ConsoleUnitMovesController(PageController):
    """Intake, transfers and the intake receipt of a request's unit."""

    @post(f"{REQUEST}/intake", request_max_body_size=MAX_INTAKE_BODY)
    async def take_in(self, request: Request[Any, Any, Any], request_id: FromPath[UUID], tenant: TenantDep,
                      session: SessionDep, viewer: ViewerDep, runtime: RuntimeDep) -> Template | Redirect:
        """Take the unit in with the checklist answered and the customer's signature."""
        me = viewer.staff(REQUESTS_WRITE)
        posted = await request.form()
        typed = {k: v for k, v in posted.items() if isinstance(v, str) and k != "signature"}
        found = await service.get_request(session, request_id)
        asked = await intake_asked(posted, await intake.checklist_for(session, tenant, found))
        if asked is None:
            _ = console_page(request, tenant, viewer)[0].translations.gettext
            return await refused_on_request(request, tenant, session, viewer, me, request_id, Problem(
                "intake", fields={"service_point_id": _("Choose where the unit is taken in.")}, typed=typed))
        return await _act(
            request, tenant, session, viewer, me, request_id, "intake", typed,
            lambda: intake.take_in(session, tenant, runtime.settings.data_dir, request_id, asked, actor=actor_of(me),
                                   now=utcnow()))

    @post(f"{REQUEST}/transfers")
    async def send(self, request: Request[Any, Any, Any], request_id: FromPath[UUID], tenant: TenantDep,
                   session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Send the unit to another service point with its waybill and carrier."""
        me = viewer.staff(REQUESTS_WRITE)
        typed = await form_fields(request, "to_point_id", "waybill", "carrier")
        to_point = parse_id(typed["to_point_id"])
        if to_point is None:
            _ = console_page(request, tenant, viewer)[0].translations.gettext
            return await refused_on_request(request, tenant, session, viewer, me, request_id, Problem(
                "transfer", fields={"to_point_id": _("Choose where the unit goes.")}, typed=typed))
        return await _act(
            request, tenant, session, viewer, me, request_id, "transfer", typed,
            lambda: transfers.send_unit(session, tenant, request_id, transfers.TransferAsked(
                to_point_id=to_point, waybill=typed["waybill"], carrier=typed["carrier"]),
                actor=actor_of(me), now=utcnow()))

    @post(f"{REQUEST}/transfers/{{transfer_id:uuid}}/receive")
    async def receive(self, request: Request[Any, Any, Any], request_id: FromPath[UUID], transfer_id: FromPath[UUID],
                      tenant: TenantDep, session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Record the unit's arrival at the leg's destination."""
        me = viewer.staff(REQUESTS_WRITE)
        return await _act(
            request, tenant, session, viewer, me, request_id, "receive", {},
            lambda: transfers.receive_unit(session, tenant, request_id, transfer_id, received_at=None,
                                           actor=actor_of(me), now=utcnow()))

    @get(f"{REQUEST}/receipt")
    async def receipt(self, request: Request[Any, Any, Any], request_id: FromPath[UUID], tenant: TenantDep,
                      session: SessionDep, viewer: ViewerDep) -> Template:
        """The intake receipt to print for the customer: the request, the promised date, the checklist's
        answers and the customer's signature."""
        viewer.staff(REQUESTS_READ)
        page, clock = console_page(request, tenant, viewer)
        found = await service.get_request(session, request_id)
        return show(request, page, clock, "console/intake_receipt.html", section="requests", found=found,
                    receipt=await receipts.receipt_of(session, tenant, found),
                    unit=await unit_view(session, tenant, found))

    @get(f"{REQUEST}/intake/files/{{sha256:str}}")
    async def intake_file(self, request: Request[Any, Any, Any], request_id: FromPath[UUID], sha256: FromPath[str],
                          tenant: TenantDep, session: SessionDep, viewer: ViewerDep,
                          runtime: RuntimeDep) -> Response[bytes]:
        """A photo or the signature of the unit's intake."""
        viewer.staff(REQUESTS_READ)
        taken = await intake.intake_of(session, (await service.get_request(session, request_id)).id)
        content_type = intake.file_type(taken, sha256) if taken else None
        if taken is None or content_type is None:
            raise NotFound("no such file in this intake")
        return Response(attachment_path(runtime.settings.data_dir, tenant.record.id, sha256).read_bytes(),
                        media_type=content_type)


async def _act(request: Request[Any, Any, Any], tenant: Any, session: Any, viewer: Any, me: Any, request_id: UUID,
               action: str, typed: dict[str, str], work: Callable[[], Awaitable[object]]) -> Template | Redirect:
    """Run ``work()`` in a savepoint: back to the request when done; the request with the refusal worded by its
    code in the reader's language (422 beside the fields, 409 for the action) when refused, nothing written."""
    page = console_page(request, tenant, viewer)[0]
    try:
        async with session.begin_nested():
            await work()
    except (Conflict, InvalidInput) as exc:
        fields, reason = worded(exc, page.translations.gettext)
        return await refused_on_request(request, tenant, session, viewer, me, request_id, Problem(
            action, reason=reason or None, fields=fields, typed=typed),
            status_code=422 if isinstance(exc, InvalidInput) else 409)
    return Redirect(page.url(f"/console/requests/{request_id}"), status_code=303)
