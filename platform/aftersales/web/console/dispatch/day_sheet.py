"""The technician's day sheet, a page for a phone: the day's visits in route order with the customer, the
address (and a maps link), the window and the parts to bring, and the buttons arrive / start / finish; at
finish the parts used and the customer's signature drawn on a ``<canvas>`` (sent as a PNG data URL with the
signer's name).

``/console/technician/day?day=`` is the signed-in technician's own sheet; a dispatcher reads anyone's at
``/console/technicians/{id}/day`` (without the buttons). A technician acts on their own visits only: another's
visit, like another tenant's, is not found (404). Each action calls the service the dispatch API calls
(:mod:`aftersales.dispatch.onsite`) and goes back to the visit on the sheet (post/redirect/get); a refusal shows
the sheet again with the reason by its code (409) or beside the field (422), and nothing is written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.numerals import ascii_digits
from aftersales.db.base import utcnow
from aftersales.dispatch import day_sheet, onsite, technicians, visits
from aftersales.dispatch.models import Technician
from aftersales.errors import Conflict, FieldError, InvalidInput
from aftersales.http.context import SessionDep, TenantDep
from aftersales.identity.principals import Principal
from aftersales.tenancy.current import CurrentTenant
from aftersales.web.console.console_pages import actor_of, console_page, show
from aftersales.web.console.dispatch import access
from aftersales.web.console.dispatch.day_param import chosen_day
from aftersales.web.console.dispatch.refusals import conflict_reason, field_reasons
from aftersales.web.console.dispatch.views import Days, VisitLine, visit_line
from aftersales.web.console.dispatch.words import DispatchLabels
from aftersales.web.forms import fields
from aftersales.web.page_auth import Viewer, ViewerDep
from aftersales.web.page_controller import PageController

OWN_SHEET = "/console/technician/day"
VISIT = "/console/visits/{visit_id:uuid}"
USED = "used-"
"""The prefix of a finish form's count of a reservation's parts used (``used-<reservation id>``)."""


@dataclass(frozen=True)
class Sheet(Days):
    """A technician's day: the visits in route order."""

    technician: Technician
    lines: list[VisitLine]


async def sheet_page(request: Request[Any, Any, Any], tenant: CurrentTenant, session: AsyncSession, viewer: Viewer,
                     staff: Principal, technician: Technician, base: str, *, day: date | None = None,
                     status_code: int = 200, problem: dict[str, Any] | None = None) -> Template:
    """The sheet of ``technician``; ``base`` is the sheet's own address (the day links, and whether the reader
    is the technician, who gets the buttons)."""
    page, clock = console_page(request, tenant, viewer)
    typed_day = request.query_params.get("day", "")
    day_error = None
    if day is None:
        day, day_error = chosen_day(typed_day, tenant.today(), clock)
    sheet = await day_sheet.day_sheet(session, tenant, technician, day, page.locale)
    lines = [await visit_line(session, staff, line.visit, customer=line.customer, parts=tuple(line.parts))
             for line in sheet.lines]
    own = base == OWN_SHEET
    return show(request, page, clock, "console/dispatch/day.html", section="my-day" if own else "dispatch",
                status_code=422 if day_error else status_code, sheet=Sheet(day, technician, lines),
                base=page.url(base), day_error=day_error, problem=problem or {}, can_act=own,
                dispatch_labels=DispatchLabels(page.translations))


def parts_used(posted: Any) -> tuple[tuple[UUID, int | None], ...]:
    """The reservations whose parts were used, from the ``used-<reservation id>`` counts (any digits); a count of
    0 leaves the reservation unused. :raises InvalidInput: a count or id the page cannot read."""
    used: list[tuple[UUID, int | None]] = []
    for name in posted:
        if not name.startswith(USED):
            continue
        typed = fields(posted, name)[name]
        try:
            reservation_id, count = UUID(name.removeprefix(USED)), int(ascii_digits(typed) or "0")
        except ValueError:
            raise InvalidInput("the parts used could not be read", [
                FieldError("parts_used", "give a whole number", code="form.unreadable")]) from None
        if count:
            used.append((reservation_id, count))
    return tuple(used)


class ConsoleDaySheetController(PageController):
    """The day sheet and what a technician records on it."""

    @get(OWN_SHEET)
    async def own(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                  viewer: ViewerDep) -> Template:
        """The signed-in technician's sheet (today without ``?day=``); staff who are no technician get a 404."""
        staff = viewer.staff(access.WORK_SCOPE)
        technician = await technicians.technician_of(session, staff)
        return await sheet_page(request, tenant, session, viewer, staff, technician, OWN_SHEET)

    @get("/console/technicians/{technician_id:uuid}/day")
    async def of_technician(self, request: Request[Any, Any, Any], technician_id: FromPath[UUID], tenant: TenantDep,
                            session: SessionDep, viewer: ViewerDep) -> Template:
        """Any technician's sheet, for the dispatcher."""
        staff = viewer.staff(access.BOARD_SCOPE)
        technician = await technicians.get_technician(session, technician_id)
        return await sheet_page(request, tenant, session, viewer, staff, technician,
                                f"/console/technicians/{technician_id}/day")

    async def _act(self, request: Request[Any, Any, Any], tenant: CurrentTenant, session: AsyncSession,
                   viewer: Viewer, visit_id: UUID, move: str) -> Template | Redirect:
        """Record ``move`` on the signed-in technician's own visit."""
        staff = viewer.staff(access.WORK_SCOPE)
        page, clock = console_page(request, tenant, viewer)
        technician = await technicians.technician_of(session, staff)
        visit = await visits.get_visit(session, visit_id, technician_id=technician.id)
        posted = await request.form()
        typed = fields(posted, "signed_by", *(name for name in posted if name.startswith(USED)))
        try:
            async with session.begin_nested():
                mine = {"actor": actor_of(staff), "now": utcnow(), "technician_id": technician.id}
                if move == "arrive":
                    await onsite.arrive(session, tenant, visit_id, **mine)
                elif move == "start":
                    await onsite.start(session, visit_id, **mine)
                else:
                    await onsite.finish(session, visit_id, onsite.Finish(
                        signature=fields(posted, "signature")["signature"], signed_by=typed["signed_by"],
                        parts_used=parts_used(posted)), **mine)
        except (Conflict, InvalidInput) as exc:
            await session.refresh(visit)
            problem = {"target": str(visit_id), "typed": typed,
                       "reason": conflict_reason(clock, exc) if isinstance(exc, Conflict) else None,
                       "fields": field_reasons(clock, exc) if isinstance(exc, InvalidInput) else {}}
            return await sheet_page(request, tenant, session, viewer, staff, technician, OWN_SHEET, day=visit.day,
                                    status_code=409 if isinstance(exc, Conflict) else 422, problem=problem)
        return Redirect(page.url(f"{OWN_SHEET}?day={visit.day.isoformat()}#visit-{visit_id}"), status_code=303)

    @post(f"{VISIT}/arrive")
    async def arrive(self, request: Request[Any, Any, Any], visit_id: FromPath[UUID], tenant: TenantDep,
                     session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """The technician is at the customer's (the request's on-site clock is met)."""
        return await self._act(request, tenant, session, viewer, visit_id, "arrive")

    @post(f"{VISIT}/start")
    async def start(self, request: Request[Any, Any, Any], visit_id: FromPath[UUID], tenant: TenantDep,
                    session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """The work begins."""
        return await self._act(request, tenant, session, viewer, visit_id, "start")

    @post(f"{VISIT}/finish")
    async def finish(self, request: Request[Any, Any, Any], visit_id: FromPath[UUID], tenant: TenantDep,
                     session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """The work is done: the parts used and the customer's signature and name."""
        return await self._act(request, tenant, session, viewer, visit_id, "finish")
