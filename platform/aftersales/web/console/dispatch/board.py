"""The dispatcher's board (``/console/dispatch?day=``): the day's visits by technician in route order with their
windows, the unplanned ones with the technicians the dispatch service suggests (distance, load, authorisation,
and a warning when the on-site promise would be breached) and an "assign" form choosing the window, the
unplanned-at-cut-off flag, and fixing tomorrow's plan. Every action calls the service the dispatch API calls
(post/redirect/get); a refusal shows the board again with the reason by its code (409) or beside the field
(422), and nothing is written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any
from uuid import UUID

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.numerals import ascii_digits
from aftersales.db.base import utcnow
from aftersales.dispatch import planning, suggestions, technicians, visits
from aftersales.dispatch.models import Technician, VisitState
from aftersales.errors import Conflict, FieldError, InvalidInput
from aftersales.http.context import SessionDep, TenantDep
from aftersales.identity.principals import Principal
from aftersales.tenancy.current import CurrentTenant
from aftersales.web.console.console_pages import actor_of, console_page, parse_id, show
from aftersales.web.console.dispatch import access
from aftersales.web.console.dispatch.day_param import as_typed, chosen_day
from aftersales.web.console.dispatch.refusals import conflict_reason, field_reasons
from aftersales.web.console.dispatch.views import Days, VisitLine, visit_line
from aftersales.web.console.dispatch.words import DispatchLabels
from aftersales.web.forms import form_fields
from aftersales.web.page_auth import Viewer, ViewerDep
from aftersales.web.page_controller import PageController

BOARD = "/console/dispatch"


@dataclass(frozen=True)
class Route:
    """A technician's visits of the day, in route order."""

    technician: Technician
    lines: list[VisitLine]


@dataclass(frozen=True)
class Unplanned:
    """A visit still without a technician, and whom the service suggests for it (best first)."""

    line: VisitLine
    offer: suggestions.Suggestions


@dataclass(frozen=True)
class Board(Days):
    """One day of the board, and the day whose plan is fixed next (tomorrow)."""

    tomorrow: date
    rows: list[Route]
    unplanned: list[Unplanned]


async def board_of(session: AsyncSession, tenant: CurrentTenant, staff: Principal, day: date) -> Board:
    """The board of ``day``: the route of every technician with a visit that day (by name: a tenant with
    thousands of technicians lists only those on the road), and the unplanned visits with suggestions."""
    of_day = await visits.list_visits(session, day=day)
    on_the_road = {v.technician_id for v in of_day if v.technician_id is not None}
    crew = sorted([await technicians.get_technician(session, t) for t in on_the_road], key=lambda t: (t.name, t.id))
    rows = [Route(t, [await visit_line(session, staff, v) for v in of_day if v.technician_id == t.id])
            for t in crew]
    unplanned = [Unplanned(await visit_line(session, staff, v), await suggestions.suggest(session, tenant, v))
                 for v in of_day if v.state == VisitState.UNPLANNED]
    return Board(day, tenant.today() + timedelta(days=1), rows, unplanned)


async def board_page(request: Request[Any, Any, Any], tenant: CurrentTenant, session: AsyncSession, viewer: Viewer,
                     staff: Principal, *, day: date | None = None, status_code: int = 200,
                     problem: dict[str, Any] | None = None, fixed: planning.FixedPlan | None = None) -> Template:
    """The board; ``problem`` is a refused action (its target, reason, fields and what was typed)."""
    page, clock = console_page(request, tenant, viewer)
    typed_day = request.query_params.get("day", "")
    day_error = None
    if day is None:
        day, day_error = chosen_day(typed_day, tenant.today(), clock)
    return show(request, page, clock, "console/dispatch/board.html", section="dispatch",
                status_code=422 if day_error else status_code, board=await board_of(session, tenant, staff, day),
                typed_day=typed_day or as_typed(day, page.fmt), day_error=day_error, problem=problem or {},
                can_plan=staff.has_scope(access.PLAN_SCOPE), fixed=fixed,
                dispatch_labels=DispatchLabels(page.translations))


def _window(typed: dict[str, str]) -> tuple[time, time]:
    """The window typed as two wall-clock times. :raises InvalidInput: one is no time."""
    try:
        return time.fromisoformat(ascii_digits(typed["window_start"])), time.fromisoformat(
            ascii_digits(typed["window_end"]))
    except ValueError:
        raise InvalidInput("the window could not be read", [
            FieldError("window", "give the window as two times", code="form.unreadable")]) from None


class ConsoleDispatchBoardController(PageController):
    """The board and the dispatcher's actions on it."""

    @get(BOARD)
    async def board(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                    viewer: ViewerDep) -> Template:
        """The day's routes and unplanned visits (today without ``?day=``)."""
        staff = viewer.staff(access.BOARD_SCOPE)
        return await board_page(request, tenant, session, viewer, staff)

    @post(f"{BOARD}/visits/{{visit_id:uuid}}/assign")
    async def assign(self, request: Request[Any, Any, Any], visit_id: FromPath[UUID], tenant: TenantDep,
                     session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Plan the visit to the chosen technician in the chosen window, then back to its day's board."""
        staff = viewer.staff(access.PLAN_SCOPE)
        page, clock = console_page(request, tenant, viewer)
        typed = await form_fields(request, "technician_id", "window_start", "window_end")
        visit = await visits.get_visit(session, visit_id)
        try:
            async with session.begin_nested():
                technician_id = parse_id(typed["technician_id"])
                if technician_id is None:
                    raise InvalidInput("no technician chosen", [
                        FieldError("technician_id", "choose a technician", code="form.unreadable")])
                start, end = _window(typed)
                await planning.plan_visit(session, tenant, visit_id, technician_id, window_start=start,
                                          window_end=end, actor=actor_of(staff), now=utcnow())
        except (Conflict, InvalidInput) as exc:
            await session.refresh(visit)
            problem = {"target": str(visit_id), "typed": typed,
                       "reason": conflict_reason(clock, exc) if isinstance(exc, Conflict) else None,
                       "fields": field_reasons(clock, exc) if isinstance(exc, InvalidInput) else {}}
            return await board_page(request, tenant, session, viewer, staff, day=visit.day,
                                    status_code=409 if isinstance(exc, Conflict) else 422, problem=problem)
        return Redirect(page.url(f"{BOARD}?day={visit.day.isoformat()}#routes"), status_code=303)

    @post(f"{BOARD}/plan")
    async def fix_plan(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                       viewer: ViewerDep) -> Template:
        """Fix tomorrow's plan: each technician and customer is told the window; the board of tomorrow says how
        many visits were fixed, and how many were flagged as unplanned when the cut-off has passed. A second
        press fixes only what was planned since."""
        staff = viewer.staff(access.PLAN_SCOPE)
        _page, clock = console_page(request, tenant, viewer)
        tomorrow = tenant.today() + timedelta(days=1)
        try:
            async with session.begin_nested():
                fixed = await planning.fix_day(session, tenant, tomorrow, actor=actor_of(staff), now=utcnow())
        except Conflict as exc:
            return await board_page(request, tenant, session, viewer, staff, day=tomorrow, status_code=409,
                                    problem={"target": "plan", "reason": conflict_reason(clock, exc)})
        return await board_page(request, tenant, session, viewer, staff, day=tomorrow, fixed=fixed)
