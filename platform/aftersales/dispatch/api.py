"""Dispatch endpoints: technicians and their authorisations, visits and the dispatcher's suggestion, planning,
fixing a day's plan, the technician's day sheet and their steps on site."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post, put
from litestar.params import FromPath, JSONBody, QueryParameter

from aftersales.db.base import utcnow
from aftersales.dispatch import day_sheet, onsite, planning, suggestions, technicians, visits
from aftersales.dispatch.schemas import (
    AuthorisationIn,
    AuthorisationOut,
    DaySheetOut,
    FinishIn,
    FixedPlanOut,
    PlanIn,
    SuggestionsOut,
    TechnicianIn,
    TechnicianOut,
    VisitIn,
    VisitOut,
    authorisation_out,
    day_sheet_out,
    fixed_out,
    suggestions_out,
    technician_out,
    visit_out,
)
from aftersales.http.context import TOKEN_TENANT, SessionDep, TenantDep
from aftersales.http.date_windows import check_filters, check_schedule
from aftersales.http.language import DEFAULT_LOCALE, reader
from aftersales.identity.guards import actor, current_principal, requires_any_scope, requires_scope
from aftersales.identity.scopes import DISPATCH_OWN, DISPATCH_PLAN, DISPATCH_READ

ON_SITE = requires_any_scope(DISPATCH_OWN, DISPATCH_PLAN)


async def _own_technician(request: Request[Any, Any, Any], session: SessionDep) -> UUID | None:
    """None for a dispatcher (any visit); the caller's own technician id otherwise (only their visits)."""
    principal = current_principal(request)
    if principal.has_scope(DISPATCH_PLAN):
        return None
    return (await technicians.technician_of(session, principal)).id


class TechnicianController(Controller):
    """The tenant's technicians, their authorisations, and their day sheets."""

    path = "/api/v1/technicians"
    tags = ("dispatch",)
    dependencies = TOKEN_TENANT

    @post("/", operation_id="createTechnician", guards=[requires_scope(DISPATCH_PLAN)])
    async def create(self, data: JSONBody[TechnicianIn], session: SessionDep) -> TechnicianOut:
        """Add a technician: a staff user or a provider's, with skills, home base, hours, weekdays and daily
        capacity (422 names every bad field; 409 when the staff user is a technician already)."""
        return technician_out(await technicians.create_technician(session, data.value()), [])

    @get("/", operation_id="listTechnicians", guards=[requires_scope(DISPATCH_READ)])
    async def list_all(self, session: SessionDep,
                       active: Annotated[bool | None, QueryParameter(name="active")] = None) -> list[TechnicianOut]:
        """Every technician of the tenant by name (only the active or inactive ones with ``active``)."""
        found = await technicians.list_technicians(session, active=active)
        return [technician_out(t, await technicians.authorisations_of(session, t.id)) for t in found]

    @get("/{technician_id:uuid}", operation_id="getTechnician", guards=[requires_scope(DISPATCH_READ)])
    async def get_one(self, technician_id: FromPath[UUID], session: SessionDep) -> TechnicianOut:
        """One technician with their authorisations (404 when the tenant has none with this id)."""
        technician = await technicians.get_technician(session, technician_id)
        return technician_out(technician, await technicians.authorisations_of(session, technician.id))

    @put("/{technician_id:uuid}", operation_id="updateTechnician", guards=[requires_scope(DISPATCH_PLAN)])
    async def update(self, technician_id: FromPath[UUID], data: JSONBody[TechnicianIn],
                     session: SessionDep) -> TechnicianOut:
        """Replace a technician's details (visits already planned to them stay planned)."""
        technician = await technicians.update_technician(session, technician_id, data.value())
        return technician_out(technician, await technicians.authorisations_of(session, technician.id))

    @post("/{technician_id:uuid}/authorisations", operation_id="authoriseTechnician",
          guards=[requires_scope(DISPATCH_PLAN)])
    async def authorise(self, technician_id: FromPath[UUID], data: JSONBody[AuthorisationIn], session: SessionDep,
                        tenant: TenantDep) -> AuthorisationOut:
        """Record or renew the technician's authorisation for a product category, with its reference and last
        day (Entekhab: in-warranty visits go only to a technician authorised for the category on the day)."""
        held = await technicians.authorise(session, tenant, technician_id, technicians.NewAuthorisation(
            category=data.category, reference=data.reference, until=data.until))
        return authorisation_out(held)

    @get("/me/day/{day:date}", operation_id="getMyDaySheet", guards=[requires_scope(DISPATCH_OWN)])
    async def my_day(self, request: Request[Any, Any, Any], day: FromPath[date], session: SessionDep,
                     tenant: TenantDep) -> DaySheetOut:
        """The caller's own day sheet: their visits in route order with customer, address, window and the parts
        to bring (404 when the caller is no technician of the tenant)."""
        check_schedule(day, "day", tenant.today())
        technician = await technicians.technician_of(session, current_principal(request))
        return day_sheet_out(await day_sheet.day_sheet(session, tenant, technician, day, _locale()))

    @get("/{technician_id:uuid}/day/{day:date}", operation_id="getTechnicianDaySheet",
         guards=[requires_scope(DISPATCH_READ)])
    async def their_day(self, technician_id: FromPath[UUID], day: FromPath[date], session: SessionDep,
                        tenant: TenantDep) -> DaySheetOut:
        """A technician's day sheet, as the dispatcher reads it."""
        check_schedule(day, "day", tenant.today())
        technician = await technicians.get_technician(session, technician_id)
        return day_sheet_out(await day_sheet.day_sheet(session, tenant, technician, day, _locale()))


def _locale() -> str:
    return reader().locale or DEFAULT_LOCALE


class VisitController(Controller):
    """On-site visits: taken, suggested, planned, and done on site."""

    path = "/api/v1/visits"
    tags = ("dispatch",)
    dependencies = TOKEN_TENANT

    @post("/", operation_id="createVisit", guards=[requires_scope(DISPATCH_PLAN)])
    async def create(self, request: Request[Any, Any, Any], data: JSONBody[VisitIn], session: SessionDep,
                     tenant: TenantDep) -> VisitOut:
        """Take an on-site visit for a service request or a booking, for a day and window (422 names every bad
        field; 409 for an ended request or booking). Its category and warranty come from the job's unit."""
        visit = await visits.create_visit(session, tenant, data.value(), actor=actor(request), now=utcnow())
        return visit_out(visit)

    @get("/", operation_id="listVisits", guards=[requires_scope(DISPATCH_READ)])
    async def list_all(
            self, session: SessionDep, day: Annotated[date | None, QueryParameter(name="day")] = None,
            in_state: Annotated[str | None, QueryParameter(name="state", max_length=20)] = None,
            technician_id: Annotated[UUID | None, QueryParameter(name="technician_id")] = None,
            request_id: Annotated[UUID | None, QueryParameter(name="request_id")] = None,
            flagged: Annotated[bool | None, QueryParameter(
                name="flagged", description="true: only the visits left unplanned at their plan's cut-off.")] = None,
    ) -> list[VisitOut]:
        """The tenant's visits by day and route, narrowed by day, state, technician, request or flag."""
        check_filters(day=day)
        found = await visits.list_visits(session, day=day, state=in_state, technician_id=technician_id,
                                         request_id=request_id, flagged=flagged)
        return [visit_out(v) for v in found]

    @get("/{visit_id:uuid}", operation_id="getVisit", guards=[requires_any_scope(DISPATCH_READ, DISPATCH_OWN)])
    async def get_one(self, request: Request[Any, Any, Any], visit_id: FromPath[UUID],
                      session: SessionDep) -> VisitOut:
        """One visit (a technician: only their own; 404 otherwise)."""
        principal = current_principal(request)
        own = None if principal.has_scope(DISPATCH_READ) else (
            await technicians.technician_of(session, principal)).id
        return visit_out(await visits.get_visit(session, visit_id, technician_id=own))

    @get("/{visit_id:uuid}/suggestions", operation_id="suggestTechnicians", guards=[requires_scope(DISPATCH_READ)])
    async def suggest(self, visit_id: FromPath[UUID], session: SessionDep, tenant: TenantDep,
                      limit: Annotated[int, QueryParameter(name="limit", ge=1, le=suggestions.MAX_LIMIT)]
                      = suggestions.DEFAULT_LIMIT) -> SuggestionsOut:
        """The nearest technicians who can take the visit, how many can, why the others cannot (counted by
        rule), and the on-site clocks of its request the window would breach."""
        visit = await visits.get_visit(session, visit_id)
        return suggestions_out(await suggestions.suggest(session, tenant, visit, limit=limit))

    @post("/{visit_id:uuid}/plan", operation_id="planVisit", status_code=200, guards=[requires_scope(DISPATCH_PLAN)])
    async def plan(self, request: Request[Any, Any, Any], visit_id: FromPath[UUID], data: JSONBody[PlanIn],
                   session: SessionDep, tenant: TenantDep) -> VisitOut:
        """Plan the visit to a technician (and a new window): 409 with the rule's code when they are inactive,
        off that day or hour, lack the skill or the authorisation, are full or busy in the window. After the
        day's cut-off the visit is fixed and told at once."""
        visit = await planning.plan_visit(session, tenant, visit_id, data.technician_id,
                                          window_start=data.window_start, window_end=data.window_end,
                                          actor=actor(request), now=utcnow())
        return visit_out(visit)

    @post("/{visit_id:uuid}/unplan", operation_id="unplanVisit", status_code=200,
          guards=[requires_scope(DISPATCH_PLAN)])
    async def unplan(self, visit_id: FromPath[UUID], session: SessionDep) -> VisitOut:
        """Take a planned (not yet fixed) visit back from its technician."""
        return visit_out(await planning.unplan_visit(session, visit_id))

    @post("/{visit_id:uuid}/cancel", operation_id="cancelVisit", status_code=200,
          guards=[requires_scope(DISPATCH_PLAN)])
    async def cancel(self, request: Request[Any, Any, Any], visit_id: FromPath[UUID],
                     session: SessionDep) -> VisitOut:
        """Cancel a visit nobody was told of yet (unplanned or planned; 409 once fixed)."""
        return visit_out(await planning.cancel_visit(session, visit_id, actor=actor(request), now=utcnow()))

    @post("/{visit_id:uuid}/arrive", operation_id="arriveAtVisit", status_code=200, guards=[ON_SITE])
    async def arrive(self, request: Request[Any, Any, Any], visit_id: FromPath[UUID], session: SessionDep,
                     tenant: TenantDep) -> VisitOut:
        """The technician is on site: the request's on-site clock is met (409 out of order)."""
        visit = await onsite.arrive(session, tenant, visit_id, actor=actor(request), now=utcnow(),
                                    technician_id=await _own_technician(request, session))
        return visit_out(visit)

    @post("/{visit_id:uuid}/start", operation_id="startVisit", status_code=200, guards=[ON_SITE])
    async def start(self, request: Request[Any, Any, Any], visit_id: FromPath[UUID],
                    session: SessionDep) -> VisitOut:
        """The technician starts the work (409 unless arrived)."""
        visit = await onsite.start(session, visit_id, actor=actor(request), now=utcnow(),
                                   technician_id=await _own_technician(request, session))
        return visit_out(visit)

    @post("/{visit_id:uuid}/finish", operation_id="finishVisit", status_code=200, guards=[ON_SITE])
    async def finish(self, request: Request[Any, Any, Any], visit_id: FromPath[UUID], data: JSONBody[FinishIn],
                     session: SessionDep) -> VisitOut:
        """The technician finishes: the customer's signature (PNG data URL) and name, and the parts used, issued
        to the job from its reservations (422 names a bad signature or reservation; 409 unless started)."""
        done = onsite.Finish(signature=data.signature, signed_by=data.signed_by,
                             parts_used=tuple((p.reservation_id, p.quantity) for p in data.parts_used))
        visit, _ = await onsite.finish(session, visit_id, done, actor=actor(request), now=utcnow(),
                                       technician_id=await _own_technician(request, session))
        return visit_out(visit)


class DispatchPlanController(Controller):
    """A day's plan as a whole."""

    path = "/api/v1/dispatch"
    tags = ("dispatch",)
    dependencies = TOKEN_TENANT

    @post("/plan/{day:date}/fix", operation_id="fixDayPlan", status_code=200, guards=[requires_scope(DISPATCH_PLAN)])
    async def fix(self, request: Request[Any, Any, Any], day: FromPath[date], session: SessionDep,
                  tenant: TenantDep) -> FixedPlanOut:
        """Fix the day's plan now: its planned visits are fixed and their technicians and customers told; once
        the day's cut-off has passed, its unplanned visits are flagged."""
        check_schedule(day, "day", tenant.today())
        return fixed_out(await planning.fix_day(session, tenant, day, actor=actor(request), now=utcnow()))
