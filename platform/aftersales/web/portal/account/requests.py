"""My requests: the customer's service requests, opening one for a device, and following its timeline.

Opening calls the same service as ``POST /api/v1/requests`` (:func:`~aftersales.service.requests.services.open_request`),
on the ``portal`` channel, for the signed-in customer's own unit (or, for a question without a unit, for the
customer themselves). The timeline shows what the customer needs to know in their words; staff notes,
assignments and escalations stay inside.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy import select

from aftersales.contract.money import Money
from aftersales.db.base import utcnow
from aftersales.errors import Conflict, InvalidInput, NotFound
from aftersales.http.context import SessionDep, TenantDep
from aftersales.i18n.hours import weekly_hours
from aftersales.identity.customers import CustomerDetails, customer_by_id
from aftersales.parts.supply import backorders
from aftersales.parts.supply.catalogue import part_name
from aftersales.service.clocks import services as clocks
from aftersales.service.models import RequestEvent, ServiceRequest
from aftersales.service.quotes import services as quotes
from aftersales.service.quotes.models import PartPrice
from aftersales.service.requests import services as service
from aftersales.service.requests.kinds import offered
from aftersales.service.requests.location import location_of
from aftersales.service.requests.services import MAX_SUMMARY
from aftersales.tenancy.current import CurrentTenant
from aftersales.warranty.registrations.services import get_registration, units_of_customer
from aftersales.web.forms import fields
from aftersales.web.page_auth import ViewerDep, htmx_asked
from aftersales.web.page_controller import PageController
from aftersales.web.portal.account import mine
from aftersales.web.portal.account.pages import customer_actor, customer_page, show
from aftersales.web.portal.account.visit_window import planned_visit
from aftersales.web.portal.account.words import EVENTS
from aftersales.web.portal.booking.views import Line, lines_of
from aftersales.web.portal.rendering import Page

PORTAL = "portal"
CUSTOMER_KINDS = ("repair", "maintenance", "installation", "inquiry")
"""What a customer may ask for; returns and exchanges are decided on a claim by staff."""
NO_DEVICE = "none"
"""The device choice of a question about no particular unit."""


@dataclass(frozen=True)
class RequestForm:
    """What the customer chose and wrote, kept to fill the form again."""

    device: str = ""
    kind: str = "repair"
    summary: str = ""


async def visible_events(session: Any, request: ServiceRequest) -> list[RequestEvent]:
    """The request's timeline as the customer sees it: oldest first, internal events left out."""
    return [event for event in await service.timeline(session, request.id) if event.kind in EVENTS]


async def unit_location(session: Any, tenant: CurrentTenant, request: ServiceRequest) -> str | None:
    """Where the customer's unit is ("at the central workshop, …, since …"), dated in the tenant's calendar and
    rendered in the reader's language by the page; None before it is taken in."""
    where = await location_of(session, request)
    return where.sentence(tenant.calendar.zone) if where else None


async def promises(session: Any, tenant: CurrentTenant, request: ServiceRequest) -> list[clocks.ClockView]:
    """The request's clocks as promises: earliest first, each due (or met) date and whether it is
    kept; undated ones (not started, paused) last."""
    now = utcnow()
    views = [clocks.view(clock, tenant.calendar, now) for clock in await clocks.clocks_of(session, request.id)]
    dated = sorted((v for v in views if v.met_at or v.due_at), key=lambda v: v.met_at or v.due_at)
    return dated + [v for v in views if not (v.met_at or v.due_at)]


async def expected_parts(session: Any, request_id: UUID, page: Page) -> list[tuple[str, str]]:
    """The parts still on order for the request, each named in the reader's language with its expected date in
    their calendar (:mod:`aftersales.parts.supply.backorders`)."""
    waiting = await backorders.list_backorders(session, state="open", request_id=request_id)
    names = {p.id: p for p in await session.scalars(select(PartPrice).where(
        PartPrice.id.in_({b.part_id for b in waiting})))}
    return [(part_name(names[b.part_id], page.fmt.locale), page.fmt.date(b.expected_on)) for b in waiting]


def _typed_errors(form: RequestForm, page: Page) -> dict[str, str]:
    _ = page.translations.gettext
    errors = {}
    if not form.device:
        errors["device"] = _("Choose the device the request is about.")
    if form.kind not in CUSTOMER_KINDS:
        errors["kind"] = _("Choose what you need.")
    elif form.device == NO_DEVICE and form.kind != "inquiry":
        errors["device"] = _("Choose the device that needs service; without one you can ask a question.")
    if not form.summary:
        errors["summary"] = _("Describe the problem in a few words.")
    elif len(form.summary) > MAX_SUMMARY:
        errors["summary"] = _("Please keep it under %(count)s characters.") % {"count": page.fmt.number(MAX_SUMMARY)}
    return errors


class RequestsController(PageController):
    """``/my/requests``: the signed-in customer's requests, a new one, and one request's timeline."""

    @get("/my/requests")
    async def requests(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                       viewer: ViewerDep) -> Template:
        """The customer's requests, newest first, with their state and promised date."""
        page, customer_id = customer_page(request, tenant, viewer)
        return show(page, tenant, "account/requests.html", requests=await service.requests_of_customer(session, customer_id))

    @get("/my/requests/new")
    async def new(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                  viewer: ViewerDep) -> Template:
        """The request form; ``?device=<registration id>`` chooses the device."""
        page, customer_id = customer_page(request, tenant, viewer)
        form = RequestForm(device=request.query_params.get("device", ""))
        return show(page, tenant, "account/request_new.html", form=form, errors={},
                    kinds=offered(tenant, CUSTOMER_KINDS),
                    devices=await units_of_customer(session, customer_id), no_device=NO_DEVICE)

    @post("/my/requests/new")
    async def open(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                   viewer: ViewerDep) -> Template | Redirect:
        """Open the request and go to its timeline; the form again with each field's reason (422)."""
        page, customer_id = customer_page(request, tenant, viewer)
        posted = await request.form()
        form = RequestForm(**fields(posted, *RequestForm.__dataclass_fields__))
        devices = await units_of_customer(session, customer_id)
        errors = _typed_errors(form, page)
        kinds = offered(tenant, CUSTOMER_KINDS)
        if "kind" not in errors and form.kind not in kinds:
            errors["kind"] = page.translations.gettext("Choose what you need.")
        registration_id = next((d.registration.id for d in devices if str(d.registration.id) == form.device), None)
        if form.device and form.device != NO_DEVICE and registration_id is None:
            errors["device"] = page.translations.gettext("Choose one of your devices.")
        opened = None
        if not errors:
            customer = None
            if registration_id is None:
                found = await customer_by_id(session, customer_id)
                assert found is not None  # the session's customer
                customer = CustomerDetails(name=found.name, phone=found.phone, email=found.email)
            try:
                opened = await service.open_request(session, tenant, service.NewRequest(
                    kind=form.kind, channel=PORTAL, summary=form.summary, registration_id=registration_id,
                    customer=customer), actor=customer_actor(customer_id), now=utcnow())
            except InvalidInput:
                errors["form"] = page.translations.gettext(
                    "Your request could not be opened; please check it or contact support.")
        if opened is None:
            return show(page, tenant, "account/request_new.html", status_code=422, form=form, errors=errors,
                        kinds=kinds, devices=devices, no_device=NO_DEVICE)
        return Redirect(page.url(f"/my/requests/{opened.id}"), status_code=303)

    @get("/my/requests/{request_id:uuid}")
    async def request_detail(self, request: Request[Any, Any, Any], request_id: FromPath[UUID], tenant: TenantDep,
                             session: SessionDep, viewer: ViewerDep) -> Template:
        """One request: its state, its promised dates, and its timeline in order."""
        page, customer_id = customer_page(request, tenant, viewer)
        found = await mine.request(session, customer_id, request_id)
        device = (await get_registration(session, found.registration_id)  # the unit may have changed hands since
                  if found.registration_id is not None else None)
        partial = htmx_asked(request)
        return show(page, tenant, "account/request_status.html" if partial else "account/request.html",
                    item=found, device=device, events=await visible_events(session, found),
                    planned_visit=await planned_visit(session, found.id),
                    promises=await promises(session, tenant, found),
                    office_hours=weekly_hours(tenant.context.calendar, page.fmt),
                    quotes=await quotes_shown(session, found.id, customer_id),
                    parts_expected=await expected_parts(session, found.id, page),
                    unit_location=await unit_location(session, tenant, found))

    @post("/my/requests/{request_id:uuid}/quotes/{quote_id:uuid}/{decision:str}")
    async def decide_quote(self, request: Request[Any, Any, Any], request_id: FromPath[UUID], quote_id: FromPath[UUID],
                           decision: FromPath[str], tenant: TenantDep, session: SessionDep,
                           viewer: ViewerDep) -> Redirect:
        """Accept or decline a quote on offer, then back to the request (which shows where the quote stands: one
        decided meanwhile, or superseded, is shown so)."""
        page, customer_id = customer_page(request, tenant, viewer)
        if decision not in ("accept", "decline"):
            raise NotFound("no such decision")
        found = await mine.request(session, customer_id, request_id)
        try:
            async with session.begin_nested():
                await quotes.decide_quote(session, quote_id, customer_id=customer_id, accept=decision == "accept",
                                          actor=customer_actor(customer_id), now=utcnow())
        except Conflict:
            pass
        return Redirect(page.url(f"/my/requests/{found.id}"), status_code=303)


@dataclass(frozen=True)
class QuoteShown:
    """A quote on the customer's request page: its lines as money, the total, the reasons."""

    id: UUID
    state: str
    lines: list[Line]
    total: Money
    reasons: list[str]


async def quotes_shown(session: Any, request_id: UUID, customer_id: UUID) -> list[QuoteShown]:
    """The request's quotes, oldest first, as the customer reads them."""
    return [QuoteShown(q.id, q.state, lines_of(q.lines, q.currency), Money(q.total_minor, q.currency),
                       quotes.shown_reasons(q))
            for q in await quotes.quotes_of(session, request_id, customer_id=customer_id)]
