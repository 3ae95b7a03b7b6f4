"""Jobs' reservations in the console (``/console/stock/reservations``): the open ones by job, each issued to its
job or released, and reserving parts for a request by its number. Each action calls the service the stock API
calls (:mod:`aftersales.parts.reservations`), which keeps two jobs from reserving the same last unit; a refusal
shows the page again worded by its code (``parts.short`` with how many are available: 409; a field's reason beside
it: 422) and nothing is written. Reading needs ``stock:read``, acting ``stock:write``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.numerals import ascii_digits
from aftersales.errors import Conflict, InvalidInput
from aftersales.http.context import SessionDep, TenantDep
from aftersales.parts import reservations
from aftersales.parts.models import Condition, ReservationState, StockReservation
from aftersales.tenancy.current import CurrentTenant
from aftersales.web.console.console_pages import actor_of, console_page, parse_id, show, staff_names
from aftersales.web.console.stock import access
from aftersales.web.console.stock.choices import (
    location_choices,
    locations_by_id,
    part_choices,
    part_name,
    parts_by_id,
)
from aftersales.web.console.stock.jobs import request_by_number, request_numbers
from aftersales.web.console.stock.refusals import conflict_reason, field_reasons
from aftersales.web.console.stock.words import StockLabels
from aftersales.web.forms import form_fields
from aftersales.web.page_auth import Viewer, ViewerDep
from aftersales.web.page_controller import PageController

FIELDS = ("request_number", "part_id", "location_id", "condition", "quantity")
SERVICE_FIELDS = {"request_id": "request_number", "booking_id": "request_number"}
"""The form's field for each field the reservation service names."""


@dataclass(frozen=True)
class ReservationRow:
    """An open reservation with its part and location named."""

    reservation: StockReservation
    part_code: str
    part_name: str
    location_code: str


@dataclass(frozen=True)
class JobGroup:
    """A job's open reservations."""

    request_id: uuid.UUID | None
    booking_id: uuid.UUID | None
    rows: list[ReservationRow]


async def _page(request: Request[Any, Any, Any], tenant: CurrentTenant, session: AsyncSession, viewer: Viewer, *,
                status_code: int = 200, typed: dict[str, str] | None = None,
                errors: dict[str, str] | None = None, refusal: str = "") -> Template:
    staff = access.reader(viewer)
    page, clock = console_page(request, tenant, viewer)
    parts, locations = await parts_by_id(session), await locations_by_id(session)
    found = await reservations.reservations_of(session, state=ReservationState.OPEN)
    groups: dict[tuple[uuid.UUID | None, uuid.UUID | None], list[ReservationRow]] = {}
    for r in found:
        part, place = parts.get(r.part_id), locations.get(r.location_id)
        groups.setdefault((r.request_id, r.booking_id), []).append(ReservationRow(
            r, part.code if part else "—", part_name(part, page.locale) if part else "",
            place.code if place else "—"))
    return show(request, page, clock, "console/stock/reservations.html", status_code=status_code, section="stock",
                tab="reservations", groups=[JobGroup(req, booking, rows) for (req, booking), rows in groups.items()],
                jobs=await request_numbers(session, (r.request_id for r in found)),
                names=await staff_names(session, {r.reserved_by for r in found}),
                part_choices=part_choices(parts.values(), page.locale),
                location_choices=location_choices(loc for loc in locations.values() if loc.active),
                conditions=list(Condition), stock_labels=StockLabels(page.translations),
                can_write=access.can_write(staff), typed=typed or {}, errors=errors or {}, refusal=refusal)


def _back(request: Request[Any, Any, Any], tenant: CurrentTenant, viewer: Viewer) -> Redirect:
    page, _clock = console_page(request, tenant, viewer)
    return Redirect(page.url("/console/stock/reservations"), status_code=303)


class ConsoleStockReservationsController(PageController):
    """The reservations page and its actions."""

    @get("/console/stock/reservations")
    async def reservations_page(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                                viewer: ViewerDep) -> Template:
        """The open reservations by job, and (to ``stock:write``) the form to reserve parts."""
        return await _page(request, tenant, session, viewer)

    @post("/console/stock/reservations")
    async def reserve(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                      viewer: ViewerDep) -> Template | Redirect:
        """Reserve parts for a request; the page again with the reasons when it is refused."""
        staff = access.writer(viewer)
        page, clock = console_page(request, tenant, viewer)
        _ = page.translations.gettext
        typed = await form_fields(request, *FIELDS)
        errors: dict[str, str] = {}
        number = ascii_digits(typed["request_number"]).lstrip("#")
        request_id = await request_by_number(session, int(number)) if number.isdigit() and len(number) < 10 else None
        if request_id is None:
            errors["request_number"] = _("There is no request with this number.")
        part_id = parse_id(typed["part_id"])
        if part_id is None:
            errors["part_id"] = _("Choose a part of the catalogue.")
        location_id = parse_id(typed["location_id"]) if typed["location_id"] else None
        if typed["location_id"] and location_id is None:
            errors["location_id"] = _("Choose an open stock location.")
        quantity = ascii_digits(typed["quantity"])
        if not quantity.isdigit() or len(quantity) > 9:
            errors["quantity"] = _("Give a whole number from %(least)s to %(limit)s.") % {
                "least": page.fmt.number(1), "limit": page.fmt.number(1_000_000)}
        if errors:
            return await _page(request, tenant, session, viewer, status_code=422, typed=typed, errors=errors)
        try:
            async with session.begin_nested():
                await reservations.reserve(session, tenant, part_id=part_id, quantity=int(quantity),
                                           location_id=location_id, condition=typed["condition"] or None,
                                           request_id=request_id, actor=actor_of(staff))
        except InvalidInput as exc:
            return await _page(request, tenant, session, viewer, status_code=422, typed=typed,
                               errors=field_reasons(clock, exc, SERVICE_FIELDS))
        except Conflict as exc:
            return await _page(request, tenant, session, viewer, status_code=409, typed=typed,
                               refusal=conflict_reason(clock, exc))
        return _back(request, tenant, viewer)

    @post("/console/stock/reservations/{reservation_id:uuid}/issue")
    async def issue(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                    viewer: ViewerDep, reservation_id: FromPath[uuid.UUID]) -> Template | Redirect:
        """The job used the reserved parts: they leave stock."""
        staff = access.writer(viewer)
        try:
            async with session.begin_nested():
                await reservations.issue(session, reservation_id, actor=actor_of(staff))
        except Conflict as exc:
            clock = console_page(request, tenant, viewer)[1]
            return await _page(request, tenant, session, viewer, status_code=409, refusal=conflict_reason(clock, exc))
        return _back(request, tenant, viewer)

    @post("/console/stock/reservations/{reservation_id:uuid}/release")
    async def release(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                      viewer: ViewerDep, reservation_id: FromPath[uuid.UUID]) -> Template | Redirect:
        """The job no longer needs the parts: they are available again."""
        staff = access.writer(viewer)
        try:
            async with session.begin_nested():
                await reservations.release(session, reservation_id, actor=actor_of(staff))
        except Conflict as exc:
            clock = console_page(request, tenant, viewer)[1]
            return await _page(request, tenant, session, viewer, status_code=409, refusal=conflict_reason(clock, exc))
        return _back(request, tenant, viewer)
