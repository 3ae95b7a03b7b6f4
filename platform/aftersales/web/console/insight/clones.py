"""Suspected-clone alerts in the console (``/console/clones``): serials checked from unusually many clients
(:func:`aftersales.warranty.authenticity.suspected_clones`), with how many clients checked them and when they
were first and last checked, and the one action the register offers on them: blocking the serial
(:func:`aftersales.warranty.unit_status.change_status`, with the reason the next agent reads).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.errors import Conflict, InvalidInput
from aftersales.http.context import SessionDep, TenantDep
from aftersales.identity.scopes import SERIALS_READ, SERIALS_WRITE
from aftersales.warranty import authenticity
from aftersales.warranty import unit_status as serial_status
from aftersales.warranty.serials.lookup import require_unit
from aftersales.warranty.unit_status import StatusAction
from aftersales.web.page_auth import ViewerDep
from aftersales.web.page_controller import PageController
from aftersales.web.portal.rendering import Page, page_for, render

LISTED = 100


@dataclass(frozen=True)
class Alert:
    """A suspected clone as staff weigh it."""

    serial: str
    model_sku: str
    reason: str
    suspected_at: datetime
    status: str
    clients: int
    checks: int
    first_seen: datetime | None
    last_seen: datetime | None


async def alerts(session: AsyncSession) -> list[Alert]:
    """The newest suspected clones with their check counts (every check of the serial, not only the last day)."""
    flagged = await authenticity.suspected_clones(session, limit=LISTED)
    serials = [f.serial for f in flagged]
    stats = await authenticity.check_stats(session, serials)
    statuses = await authenticity.serial_statuses(session, serials)
    result = []
    for f in flagged:
        row = stats.get(f.serial)
        result.append(Alert(f.serial, f.model_sku, f.reason, f.suspected_at, statuses.get(f.serial, ""),
                            row.clients if row else 0, row.checks if row else 0,
                            row.first if row else None, row.last if row else None))
    return result


async def _show(request: Request[Any, Any, Any], page: Page, session: AsyncSession, *, status_code: int = 200,
                **context: Any) -> Template:
    context = {"errors": {}, "failed_serial": None, "reason": "", "blocked": None, **context}
    return render(page, "console/clones.html", status_code=status_code, section="clones",
                  alerts=await alerts(session), **context)


class ClonePagesController(PageController):
    """The clone alerts, for staff who may read the register; blocking needs ``serials:write``."""

    @get("/console/clones")
    async def list_alerts(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                          viewer: ViewerDep) -> Template:
        """The suspected clones, newest first."""
        viewer.staff(SERIALS_READ)
        return await _show(request, page_for(request, tenant, viewer), session)

    @post("/console/clones/{serial:str}/block", status_code=200)
    async def block(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                    viewer: ViewerDep, serial: FromPath[str]) -> Template:
        """Block the serial with the reason given; the reason is shown again beside its form if refused."""
        viewer.staff(SERIALS_WRITE)
        page = page_for(request, tenant, viewer)
        _ = page.translations.gettext
        reason = str((await request.form()).get("reason") or "")
        located = await require_unit(session, tenant, serial)
        assert located.unit is not None
        try:
            async with session.begin_nested():
                await serial_status.change_status(session, located.unit, StatusAction.BLOCK, reason)
        except InvalidInput:
            return await _show(request, page, session, status_code=422, failed_serial=located.unit.serial,
                               reason=reason, errors={"reason": _("Say why the serial is blocked (at most 300 characters).")})
        except Conflict:
            return await _show(request, page, session, status_code=409, failed_serial=located.unit.serial,
                               reason=reason, errors={"reason": _("This unit was replaced and is out of service.")})
        return await _show(request, page, session, blocked=located.unit.serial)
