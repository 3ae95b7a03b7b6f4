"""A registered unit in the staff console (``/console/units/{registration id}``): its owner, sale and
installation, its coverage with each component's own end date and the rules behind them, and its claims; staff
with ``registrations:write`` record the installation date there, which decides the warranty again (the same
service as ``PUT /api/v1/registrations/{id}/installation``). A refused date shows the page again with the
field's reason (422), or why nothing can be recorded (409); nothing is written then.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.db.base import utcnow
from aftersales.errors import Conflict, InvalidInput
from aftersales.http.context import SessionDep, TenantDep
from aftersales.identity.customers import customer_by_id
from aftersales.identity.scopes import REGISTRATIONS_READ, REGISTRATIONS_WRITE
from aftersales.tenancy.current import CurrentTenant
from aftersales.warranty.models import RegistrationStatus
from aftersales.warranty.registrations import claims as claim_service
from aftersales.warranty.registrations import installation
from aftersales.warranty.registrations.coverage import component_cover, status_on
from aftersales.warranty.registrations.services import get_registration
from aftersales.web.console.console_pages import console_page, show
from aftersales.web.forms import form_fields
from aftersales.web.page_auth import Viewer, ViewerDep
from aftersales.web.page_controller import PageController
from aftersales.web.portal.account.forms import read_date

UNIT = "/console/units/{registration_id:uuid}"


class ConsoleUnitController(PageController):
    """A registered unit's page and the installation date form."""

    @get(UNIT)
    async def unit(self, request: Request[Any, Any, Any], registration_id: FromPath[UUID], tenant: TenantDep,
                   session: SessionDep, viewer: ViewerDep) -> Template:
        """The unit, its owner, its sale and installation, its coverage per component, and its claims."""
        viewer.staff(REGISTRATIONS_READ)
        return await _unit_page(request, tenant, session, viewer, registration_id)

    @post(f"{UNIT}/installation")
    async def record_installation(self, request: Request[Any, Any, Any], registration_id: FromPath[UUID],
                                  tenant: TenantDep, session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Record the installation date; the warranty is decided again and the page shows the new coverage."""
        viewer.staff(REGISTRATIONS_WRITE)
        typed = await form_fields(request, "installed_on")
        page = console_page(request, tenant, viewer)[0]
        _ = page.translations.gettext
        installed_on = read_date(typed["installed_on"][:40])
        if installed_on is None:
            return await _unit_page(request, tenant, session, viewer, registration_id, typed=typed, status_code=422,
                                    errors={"installed_on": _("Write the date as year-month-day.")})
        try:
            async with session.begin_nested():
                await installation.record_installation(session, tenant, registration_id, installed_on, now=utcnow())
        except InvalidInput as exc:
            reasons = {"installation.in_future": _("The installation date cannot be in the future."),
                       "installation.before_purchase": _("The installation date cannot be before the purchase.")}
            return await _unit_page(request, tenant, session, viewer, registration_id, typed=typed, status_code=422,
                                    errors={"installed_on": reasons.get(exc.errors[0].code or "",
                                                                        exc.errors[0].reason)})
        except Conflict:
            return await _unit_page(request, tenant, session, viewer, registration_id, typed=typed, status_code=409,
                                    errors={"form": _("This registration has ended; record the installation on "
                                                      "the current owner's registration.")})
        return Redirect(page.url(f"/console/units/{registration_id}"), status_code=303)


async def _unit_page(request: Request[Any, Any, Any], tenant: CurrentTenant, session: AsyncSession, viewer: Viewer,
                     registration_id: UUID, *, typed: dict[str, str] | None = None,
                     errors: dict[str, str] | None = None, status_code: int = 200) -> Template:
    page, clock = console_page(request, tenant, viewer)
    registered = await get_registration(session, registration_id)
    today = tenant.today()
    coverage = registered.coverage
    staff = viewer.staff(REGISTRATIONS_READ)
    return show(request, page, clock, "console/unit.html", status_code=status_code, section="customers",
                unit=registered, owner=await customer_by_id(session, registered.registration.customer_id),
                coverage=coverage, status=status_on(coverage, today) if coverage else None,
                components=component_cover(coverage.items, coverage, today) if coverage else [],
                claims=await claim_service.claims_of(session, registration_id),
                can_record=staff.has_scope(REGISTRATIONS_WRITE)
                and registered.registration.status == RegistrationStatus.ACTIVE,
                typed=typed or {}, errors=errors or {})
