"""The request queue (``/console/requests``) and a request's page (``/console/requests/{id}``) with the actions
the API offers: assign, move along the allowed transitions, note, hold and release, record the customer
contact. They call the services the API calls, as the signed-in staff member (``requests:read`` to look,
``requests:write`` to act). A successful action redirects back to the request (post/redirect/get); a refused
one shows the request again with the reason (409) or the field's reason (422), and nothing is written.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.values import HOLD_REASONS
from aftersales.db.base import utcnow
from aftersales.errors import Conflict, InvalidInput, NotFound
from aftersales.http.context import SessionDep, TenantDep
from aftersales.i18n.hours import weekly_hours
from aftersales.identity import services as identity
from aftersales.identity.customers import customer_by_id
from aftersales.identity.principals import Principal
from aftersales.identity.scopes import REQUESTS_READ, REQUESTS_WRITE
from aftersales.service.clocks import services as service_clocks
from aftersales.service.followups import failures as followup_failures
from aftersales.service.followups import services as followups
from aftersales.service.quotes import services as quotes
from aftersales.service.requests import services as service
from aftersales.service.requests.kinds import offered
from aftersales.service.requests.services import KINDS
from aftersales.service.states import MOVES, IllegalTransition, RequestState
from aftersales.tenancy.current import CurrentTenant
from aftersales.warranty.registrations.services import model_and_serial
from aftersales.web.console import queue, request_work
from aftersales.web.console.console_pages import (
    actor_of,
    console_page,
    parse_id,
    show,
    staff_names,
)
from aftersales.web.console.labels import Labels
from aftersales.web.console.unit_views import unit_view
from aftersales.web.forms import field, form_fields
from aftersales.web.page_auth import ViewerDep
from aftersales.web.page_controller import PageController
from aftersales.web.portal.rendering import Page

REQUEST = "/console/requests/{request_id:uuid}"


def _queue_filter(request: Request[Any, Any, Any]) -> tuple[queue.QueueFilter, set[str]]:
    """The filter the query string asks for, and the fields whose value is not one of the choices (dropped)."""
    params = request.query_params
    state, sla, kind = (str(params.get(k) or "").strip() for k in ("state", "sla", "kind"))
    assignee, text = field(params, "assignee"), field(params, "q")[:200]
    errors: set[str] = set()
    if state and state not in queue.STATE_FILTERS and state not in RequestState.__members__.values():
        errors.add("state")
        state = "open"
    if sla and sla not in queue.SLA_FILTERS:
        errors.add("sla")
        sla = ""
    if kind and kind not in KINDS:
        errors.add("kind")
        kind = ""
    if assignee not in ("", "me", "none") and parse_id(assignee) is None:
        errors.add("assignee")
        assignee = ""
    try:
        page = max(1, int(str(params.get("page") or "1")))
    except ValueError:
        page = 1
    return queue.QueueFilter(state=state or "open", sla=sla, kind=kind, assignee=assignee, text=text, page=page), errors


@dataclass(frozen=True)
class Problem:
    """Why an action was refused: a reason for the whole action, or a reason per field; and what was typed."""

    action: str
    reason: str | None = None
    fields: dict[str, str] | None = None
    typed: dict[str, str] | None = None


class ConsoleRequestController(PageController):
    """The queue and the request page of the staff console."""

    @get("/console/requests")
    async def queue_page(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                         viewer: ViewerDep) -> Template:
        """The queue, most urgent first; filtered in place with HTMX, or by the plain GET form without it."""
        me = viewer.staff(REQUESTS_READ)
        page, clock = console_page(request, tenant, viewer)
        which, bad = _queue_filter(request)
        now = utcnow()
        found = await queue.load_queue(session, tenant.calendar, which, me=UUID(me.subject), now=now)
        return show(request, page, clock, "console/requests.html", partial="console/requests_rows.html",
                    section="requests", which=which, bad=bad, found=found, now=now,
                    kinds=offered(tenant, KINDS),
                    states=[s.value for s in RequestState], sla_filters=queue.SLA_FILTERS,
                    staff=await identity.assignable_staff(session),
                    status_code=422 if bad else 200)

    @get(REQUEST)
    async def detail(self, request: Request[Any, Any, Any], request_id: FromPath[UUID], tenant: TenantDep,
                     session: SessionDep, viewer: ViewerDep) -> Template:
        """The request, its promises with due times in the tenant's time zone, its timeline, and the actions."""
        me = viewer.staff(REQUESTS_READ)
        return await _detail(request, tenant, session, viewer, me, request_id)

    @post(f"{REQUEST}/assign")
    async def assign(self, request: Request[Any, Any, Any], request_id: FromPath[UUID], tenant: TenantDep,
                     session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Give the request to a member of staff (``me`` for oneself)."""
        me = viewer.staff(REQUESTS_WRITE)
        typed = await form_fields(request, "assignee_id", "note")
        assignee = UUID(me.subject) if typed["assignee_id"] == "me" else parse_id(typed["assignee_id"])
        page = console_page(request, tenant, viewer)[0]
        if assignee is None:
            return await _refused(request, tenant, session, viewer, me, request_id, Problem(
                "assign", fields={"assignee_id": page.translations.gettext("Choose who takes the request.")},
                typed=typed))
        return await _act(request, tenant, session, viewer, me, request_id, "assign", typed,
                          lambda: service.assign_request(session, request_id, assignee, actor=actor_of(me),
                                                         note=typed["note"], now=utcnow()))

    @post(f"{REQUEST}/move")
    async def move(self, request: Request[Any, Any, Any], request_id: FromPath[UUID], tenant: TenantDep,
                   session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Move the request to its next state; a move its life does not allow is refused with the reason."""
        me = viewer.staff(REQUESTS_WRITE)
        typed = await form_fields(request, "to", "note")
        page = console_page(request, tenant, viewer)[0]
        if typed["to"] not in RequestState.__members__.values():
            return await _refused(request, tenant, session, viewer, me, request_id, Problem(
                "move", fields={"to": page.translations.gettext("Choose the state the request moves to.")},
                typed=typed))
        target = RequestState(typed["to"])
        current = RequestState((await service.get_request(session, request_id)).state)
        try:
            async with session.begin_nested():
                await service.move_request(session, tenant, request_id, target, actor=actor_of(me),
                                           note=typed["note"], now=utcnow())
        except IllegalTransition:
            return await _refused(request, tenant, session, viewer, me, request_id, Problem(
                "move", reason=_illegal(page, current, target), typed=typed), status_code=409)
        except (Conflict, InvalidInput) as exc:
            return await _refused(request, tenant, session, viewer, me, request_id, _problem("move", exc, typed),
                                  status_code=_status(exc))
        return _back(page, request_id)

    @post(f"{REQUEST}/notes")
    async def note(self, request: Request[Any, Any, Any], request_id: FromPath[UUID], tenant: TenantDep,
                   session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Add an internal note to the timeline."""
        me = viewer.staff(REQUESTS_WRITE)
        typed = await form_fields(request, "note")
        if not typed["note"]:
            page = console_page(request, tenant, viewer)[0]
            return await _refused(request, tenant, session, viewer, me, request_id, Problem(
                "note", fields={"note": page.translations.gettext("Write the note first.")}, typed=typed))
        return await _act(request, tenant, session, viewer, me, request_id, "note", typed,
                          lambda: service.add_note(session, request_id, actor=actor_of(me), note=typed["note"],
                                                   now=utcnow()))

    @post(f"{REQUEST}/holds")
    async def hold(self, request: Request[Any, Any, Any], request_id: FromPath[UUID], tenant: TenantDep,
                   session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Put the request on hold with a reason; the clocks that pause for it stop."""
        me = viewer.staff(REQUESTS_WRITE)
        typed = await form_fields(request, "reason", "note")
        if typed["reason"] not in HOLD_REASONS:
            page = console_page(request, tenant, viewer)[0]
            return await _refused(request, tenant, session, viewer, me, request_id, Problem(
                "hold", fields={"reason": page.translations.gettext("Choose why the request waits.")}, typed=typed))
        return await _act(request, tenant, session, viewer, me, request_id, "hold", typed,
                          lambda: service.put_on_hold(session, tenant, request_id, typed["reason"],
                                                      actor=actor_of(me), note=typed["note"], now=utcnow()))

    @post(f"{REQUEST}/holds/{{hold_id:uuid}}/release")
    async def release(self, request: Request[Any, Any, Any], request_id: FromPath[UUID], hold_id: FromPath[UUID],
                      tenant: TenantDep, session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """End a hold: the paused clocks run again."""
        me = viewer.staff(REQUESTS_WRITE)
        return await _act(request, tenant, session, viewer, me, request_id, "release", {},
                          lambda: service.release_hold(session, tenant, request_id, hold_id, actor=actor_of(me),
                                                       note="", now=utcnow()))

    @post(f"{REQUEST}/contacts")
    async def contact(self, request: Request[Any, Any, Any], request_id: FromPath[UUID], tenant: TenantDep,
                      session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Record that the customer was contacted: the first-contact and reply promises are met."""
        me = viewer.staff(REQUESTS_WRITE)
        typed = await form_fields(request, "note")
        return await _act(request, tenant, session, viewer, me, request_id, "contact", typed,
                          lambda: service.record_milestone(session, tenant, request_id, "contacted",
                                                           actor=actor_of(me), note=typed["note"], now=utcnow()))

    @post(f"{REQUEST}/quotes")
    async def quote(self, request: Request[Any, Any, Any], request_id: FromPath[UUID], tenant: TenantDep,
                    session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Quote the request's work (hours, a flat labour price, parts from the price list) through the vertical
        and offer it to the customer."""
        me = viewer.staff(REQUESTS_WRITE)
        typed = await form_fields(request, "labour_hours", "labour_price", "parts")
        asked, unreadable = request_work.quote_asked(typed, tenant.context.currency)
        if unreadable:
            _ = console_page(request, tenant, viewer)[0].translations.gettext
            words = {"hours": _("Give the hours as a number, e.g. 2.5."),
                     "price": _("Give the price as an amount, e.g. 120.50."),
                     "parts": _("One part a line: its code, then how many.")}
            return await _refused(request, tenant, session, viewer, me, request_id, Problem(
                "quote", fields={name: words[kind] for name, kind in unreadable.items()}, typed=typed))
        return await _act(request, tenant, session, viewer, me, request_id, "quote", typed,
                          lambda: quotes.offer_quote(session, tenant, request_id, asked, actor=actor_of(me),
                                                     now=utcnow()))

    @post(f"{REQUEST}/followups/{{followup_id:uuid}}/answers")
    async def answer_followup(self, request: Request[Any, Any, Any], request_id: FromPath[UUID],
                              followup_id: FromPath[UUID], tenant: TenantDep, session: SessionDep,
                              viewer: ViewerDep) -> Template | Redirect:
        """Record a follow-up's (or a routed step's) answers; the vertical routes it to its next step."""
        me = viewer.staff(REQUESTS_WRITE)
        typed = await form_fields(request, "answers", "comment", "problem")

        async def work() -> None:
            followup = await followups.get_followup(session, followup_id)
            if followup.request_id != request_id:
                raise NotFound("no such follow-up")
            await followups.record_answers(session, tenant, followup, request_work.answers_given(typed),
                                           actor=actor_of(me), channel="phone", now=utcnow())

        return await _act(request, tenant, session, viewer, me, request_id, f"followup-{followup_id}", typed, work)


def _illegal(page: Page, current: RequestState, target: RequestState) -> str:
    """Why ``target`` cannot follow ``current``, in the agent's language, with what can."""
    _ = page.translations.gettext
    labels = Labels(page.translations)
    allowed = sorted(MOVES[current])
    if not allowed:
        return _("The request is already %(state)s; an ended request does not move again.") % {
            "state": labels.state(current.value)}
    return _("A request that is %(current)s cannot become %(target)s. It can become: %(allowed)s.") % {
        "current": labels.state(current.value), "target": labels.state(target.value),
        "allowed": ", ".join(labels.state(s.value) for s in allowed)}


def _status(exc: Exception) -> int:
    return 422 if isinstance(exc, InvalidInput) else 409


def _problem(action: str, exc: Conflict | InvalidInput, typed: dict[str, str]) -> Problem:
    if isinstance(exc, InvalidInput) and exc.errors:
        return Problem(action, fields={e.field: e.reason for e in exc.errors}, typed=typed)
    return Problem(action, reason=exc.detail, typed=typed)


def _back(page: Page, request_id: UUID) -> Redirect:
    return Redirect(page.url(f"/console/requests/{request_id}"), status_code=303)


async def _act(request: Request[Any, Any, Any], tenant: CurrentTenant, session: AsyncSession, viewer: Any,
               me: Principal, request_id: UUID, action: str, typed: dict[str, str],
               work: Callable[[], Awaitable[object]]) -> Template | Redirect:
    """Run the service call ``work()`` in a savepoint; back to the request when it succeeds, the request with the
    reason when the service refuses (the savepoint is rolled back: nothing of the action is written)."""
    try:
        async with session.begin_nested():
            await work()
    except (Conflict, InvalidInput) as exc:
        return await _refused(request, tenant, session, viewer, me, request_id, _problem(action, exc, typed),
                              status_code=_status(exc))
    return _back(console_page(request, tenant, viewer)[0], request_id)


async def _refused(request: Request[Any, Any, Any], tenant: CurrentTenant, session: AsyncSession, viewer: Any,
                   me: Principal, request_id: UUID, problem: Problem, *, status_code: int = 422) -> Template:
    return await _detail(request, tenant, session, viewer, me, request_id, problem=problem, status_code=status_code)


async def _detail(request: Request[Any, Any, Any], tenant: CurrentTenant, session: AsyncSession, viewer: Any,
                  me: Principal, request_id: UUID, *, problem: Problem | None = None,
                  status_code: int = 200) -> Template:
    page, clock = console_page(request, tenant, viewer)
    found = await service.get_request(session, request_id)
    now = utcnow()
    customer = await customer_by_id(session, found.customer_id)
    device = None
    if found.registration_id is not None:
        device = await model_and_serial(session, found.registration_id)
    clocks = await service_clocks.clocks_of(session, found.id)
    events = await service.timeline(session, found.id)
    staff = await identity.assignable_staff(session)
    names = await staff_names(session, [e.actor for e in events])
    assignee = next((s.name for s in staff if s.id == found.assignee_id), None) if found.assignee_id else None
    if found.assignee_id and assignee is None:
        assignee = (await identity.staff_names(session, {found.assignee_id})).get(found.assignee_id)
    holds = await service.open_holds(session, found.id)
    waiting = await followup_failures.of_request(session, found.id)
    return show(request, page, clock, "console/request_detail.html", status_code=status_code, section="requests",
                found=found, customer=customer, device=device, assignee=assignee, followup_failures=waiting,
                clocks=[(c, queue.clock_line(c, tenant.calendar, now)) for c in clocks], events=events, names=names,
                staff=staff, me=UUID(me.subject), can_act=me.has_scope(REQUESTS_WRITE),
                moves=sorted(MOVES[RequestState(found.state)]), holds=holds,
                hold_reasons=[r for r in HOLD_REASONS if r not in {h.reason for h in holds}],
                ended=not MOVES[RequestState(found.state)], problem=problem or Problem(""), now=now,
                requested=_typed(problem), quotes=await request_work.quotes_of(session, found.id),
                quotable=found.kind in quotes.QUOTED_KINDS, followups=await request_work.followups_of(session, found.id),
                office_hours=weekly_hours(tenant.context.calendar, page.fmt),
                around_the_clock=tenant.context.calendar.around_the_clock_channels,
                unit=await unit_view(session, tenant, found))


refused_on_request = _refused
"""The request page showing a refused action, for the unit actions (:mod:`~aftersales.web.console.unit_pages`)."""


def _typed(problem: Problem | None) -> dict[str, str]:
    return dict(problem.typed or {}) if problem is not None else {}

