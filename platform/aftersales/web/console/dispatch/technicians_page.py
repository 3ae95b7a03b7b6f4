"""The tenant's technicians in the console (``/console/technicians``): each with their skills, authorisations
(category, reference, last day), home base, working hours and days and daily capacity, a link to their day
sheet; for dispatchers (``dispatch:plan``) adding one (a staff user chosen from the tenant's staff) and editing
one (``/console/technicians/{id}``, also to make them inactive). Both call the services the dispatch API calls; a
refusal shows the form again with each field's reason (422), a staff user who is a technician already with 409,
and nothing is written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Any
from uuid import UUID

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.numerals import ascii_digits
from aftersales.dispatch import technicians
from aftersales.dispatch.models import Technician, TechnicianAuthorisation
from aftersales.errors import Conflict, FieldError, InvalidInput
from aftersales.http.context import SessionDep, TenantDep
from aftersales.identity.principals import Principal
from aftersales.identity.services import assignable_staff
from aftersales.tenancy.current import CurrentTenant
from aftersales.web.console.console_pages import console_page, parse_id, show
from aftersales.web.console.dispatch import access
from aftersales.web.console.dispatch.refusals import conflict_reason, field_reasons
from aftersales.web.console.dispatch.words import DispatchLabels
from aftersales.web.forms import fields
from aftersales.web.page_auth import Viewer, ViewerDep
from aftersales.web.page_controller import PageController

PAGE = "/console/technicians"
FIELDS = ("staff_user_id", "name", "skills", "home_latitude", "home_longitude", "works_from", "works_until",
          "daily_capacity")
TYPED_DEFAULTS = {"works_from": "08:00", "works_until": "17:00", "daily_capacity": "6", "weekdays": "0,1,2,3,4,5,6"}


@dataclass(frozen=True)
class Listed:
    """A technician with their authorisations."""

    technician: Technician
    authorisations: list[TechnicianAuthorisation]


async def _page(request: Request[Any, Any, Any], tenant: CurrentTenant, session: AsyncSession, viewer: Viewer,
                staff: Principal, *, status_code: int = 200, typed: dict[str, str] | None = None,
                errors: dict[str, str] | None = None) -> Template:
    page, clock = console_page(request, tenant, viewer)
    crew = [Listed(t, await technicians.authorisations_of(session, t.id))
            for t in await technicians.list_technicians(session)]
    return show(request, page, clock, "console/dispatch/technicians.html", status_code=status_code,
                section="dispatch", crew=crew, staff_users=await assignable_staff(session),
                can_plan=staff.has_scope(access.PLAN_SCOPE), typed=typed or TYPED_DEFAULTS, errors=errors or {},
                dispatch_labels=DispatchLabels(page.translations))


def _number(typed: dict[str, str], name: str, errors: list[FieldError], kind: type = float) -> Any:
    """The number typed in ``name`` (any digits, the Persian decimal sign); a 0 with an error when it is none."""
    text = ascii_digits(typed[name]).replace("٫", ".").replace("/", ".")
    try:
        return kind(text)
    except ValueError:
        errors.append(FieldError(name, "not a number", code="form.unreadable"))
        return kind(0)


def _time(typed: dict[str, str], name: str, errors: list[FieldError]) -> time:
    try:
        return time.fromisoformat(ascii_digits(typed[name]))
    except ValueError:
        errors.append(FieldError(name, "not a time", code="form.unreadable"))
        return time(0)


def read_technician(typed: dict[str, str], weekdays: list[str], *,
                    provider_id: UUID | None = None) -> technicians.NewTechnician:
    """The form as the service's technician: a staff member's, or (editing one) the provider's it is.

    :raises InvalidInput: a field the page cannot read.
    """
    errors: list[FieldError] = []
    staff_user_id = None if provider_id else parse_id(typed["staff_user_id"])
    if staff_user_id is None and provider_id is None:
        errors.append(FieldError("staff_user_id", "choose a staff member", code="form.unreadable"))
    new = technicians.NewTechnician(
        name=typed["name"], home_latitude=_number(typed, "home_latitude", errors),
        home_longitude=_number(typed, "home_longitude", errors), works_from=_time(typed, "works_from", errors),
        works_until=_time(typed, "works_until", errors),
        weekdays=[int(day) for day in weekdays if day in {str(n) for n in range(7)}],
        daily_capacity=_number(typed, "daily_capacity", errors, int),
        skills=[skill.strip() for skill in typed["skills"].replace("،", ",").split(",") if skill.strip()],
        staff_user_id=staff_user_id, provider_id=provider_id, active=typed.get("active") != "no")
    if errors:
        raise InvalidInput("the form could not be read", errors)
    return new


async def _typed(request: Request[Any, Any, Any]) -> tuple[dict[str, str], list[str]]:
    """The posted form's fields, and the working days ticked."""
    posted = await request.form()
    typed = fields(posted, *FIELDS, "active")
    weekdays = [day for day in posted.getall("weekdays", []) if isinstance(day, str)]
    typed["weekdays"] = ",".join(weekdays)
    return typed, weekdays


def typed_of(technician: Technician) -> dict[str, str]:
    """A technician's details as the form shows them."""
    return {"staff_user_id": str(technician.staff_user_id or ""), "name": technician.name,
            "skills": ", ".join(technician.skills), "home_latitude": f"{technician.home_latitude:g}",
            "home_longitude": f"{technician.home_longitude:g}", "works_from": f"{technician.works_from:%H:%M}",
            "works_until": f"{technician.works_until:%H:%M}", "weekdays": ",".join(map(str, technician.weekdays)),
            "daily_capacity": str(technician.daily_capacity), "active": "yes" if technician.active else "no"}


async def _edit(request: Request[Any, Any, Any], tenant: CurrentTenant, session: AsyncSession, viewer: Viewer,
                technician: Technician, *, typed: dict[str, str], status_code: int = 200,
                errors: dict[str, str] | None = None) -> Template:
    page, clock = console_page(request, tenant, viewer)
    return show(request, page, clock, "console/dispatch/technician.html", status_code=status_code,
                section="dispatch", technician=technician, staff_users=await assignable_staff(session),
                typed=typed, errors=errors or {}, dispatch_labels=DispatchLabels(page.translations))


class ConsoleTechniciansController(PageController):
    """The technicians page."""

    @get(PAGE)
    async def list_page(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                        viewer: ViewerDep) -> Template:
        """Every technician of the tenant, and (for dispatchers) the form to add one."""
        staff = viewer.staff(access.BOARD_SCOPE)
        return await _page(request, tenant, session, viewer, staff)

    @post(PAGE)
    async def add(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                  viewer: ViewerDep) -> Template | Redirect:
        """Add a technician; the form again with the reasons when it is refused."""
        staff = viewer.staff(access.PLAN_SCOPE)
        page, clock = console_page(request, tenant, viewer)
        typed, weekdays = await _typed(request)
        try:
            async with session.begin_nested():
                await technicians.create_technician(session, read_technician(typed, weekdays))
        except InvalidInput as exc:
            return await _page(request, tenant, session, viewer, staff, status_code=422, typed=typed,
                               errors=field_reasons(clock, exc))
        except Conflict as exc:
            return await _page(request, tenant, session, viewer, staff, status_code=409, typed=typed,
                               errors={"staff_user_id": conflict_reason(clock, exc)})
        return Redirect(page.url(PAGE), status_code=303)

    @get(f"{PAGE}/{{technician_id:uuid}}")
    async def edit_page(self, request: Request[Any, Any, Any], technician_id: FromPath[UUID], tenant: TenantDep,
                        session: SessionDep, viewer: ViewerDep) -> Template:
        """The technician's details in the form, to change them (dispatchers)."""
        viewer.staff(access.PLAN_SCOPE)
        technician = await technicians.get_technician(session, technician_id)
        return await _edit(request, tenant, session, viewer, technician, typed=typed_of(technician))

    @post(f"{PAGE}/{{technician_id:uuid}}")
    async def edit(self, request: Request[Any, Any, Any], technician_id: FromPath[UUID], tenant: TenantDep,
                   session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Change the technician's details (their planned visits stay planned); the form again when refused."""
        viewer.staff(access.PLAN_SCOPE)
        page, clock = console_page(request, tenant, viewer)
        technician = await technicians.get_technician(session, technician_id)
        typed, weekdays = await _typed(request)
        typed["active"] = "yes" if typed["active"] == "yes" else "no"
        try:
            async with session.begin_nested():
                await technicians.update_technician(session, technician_id, read_technician(
                    typed, weekdays, provider_id=technician.provider_id))
        except InvalidInput as exc:
            await session.refresh(technician)
            return await _edit(request, tenant, session, viewer, technician, typed=typed, status_code=422,
                               errors=field_reasons(clock, exc))
        except Conflict as exc:
            await session.refresh(technician)
            return await _edit(request, tenant, session, viewer, technician, typed=typed, status_code=409,
                               errors={"staff_user_id": conflict_reason(clock, exc)})
        return Redirect(page.url(PAGE), status_code=303)
