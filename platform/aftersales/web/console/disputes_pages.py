"""Disputes in the console (``/console/disputes``): the list by state, and one dispute with both statements, the
company's answer (when the dispute is against the company), mediation (notes kept from the parties, a settlement
proposed to the customer) and customer service's ruling with its reason.

The same services as ``/api/v1/disputes``: reading needs ``disputes:read``, answering and mediating
``disputes:mediate``, ruling ``disputes:rule`` (anyone else gets the 403 page). A refusal is worded by its code.
"""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.db.base import utcnow
from aftersales.disputes import services as disputes
from aftersales.disputes.states import DisputeState
from aftersales.errors import Conflict, InvalidInput
from aftersales.http.context import SessionDep, TenantDep
from aftersales.identity.customers import customer_names
from aftersales.identity.principals import Principal
from aftersales.identity.scopes import DISPUTES_MEDIATE, DISPUTES_READ, DISPUTES_RULE
from aftersales.tenancy.current import CurrentTenant
from aftersales.web.console.console_pages import actor_of, console_page, show, staff_names
from aftersales.web.forms import form_fields
from aftersales.web.page_auth import Viewer, ViewerDep
from aftersales.web.page_controller import PageController
from aftersales.web.portal.account.dispute_words import DISPUTE_WORDS

DISPUTE = "/console/disputes/{dispute_id:uuid}"
VIEWS = ("live", *(s.value for s in DisputeState), "all")
"""The list's tabs: every dispute still under way first, then each state."""
LIVE = ("open", "answered", "mediation", "settlement_proposed")


def _amount(text: str) -> int | None | str:
    """A typed amount in minor units: None when empty, the text itself when it is not a whole number."""
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        return text


class ConsoleDisputeController(PageController):
    """Staff's dispute desk: mediation and rulings."""

    @get("/console/disputes")
    async def desk(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                   viewer: ViewerDep) -> Template:
        """Disputes in one state (those under way by default), newest first."""
        staff = viewer.staff(DISPUTES_READ)
        page, clock = console_page(request, tenant, viewer)
        chosen = str(request.query_params.get("state") or "live")
        status_code = 200
        if chosen not in VIEWS:
            chosen, status_code = "live", 422
        state = None if chosen in ("live", "all") else chosen
        found = await disputes.list_disputes(session, staff, state=state, limit=500)
        if chosen == "live":
            found = [d for d in found if d.state in LIVE]
        names = await customer_names(session, {d.customer_id for d in found})
        return show(request, page, clock, "console/disputes.html", status_code=status_code, section="disputes",
                    rows=found, names=names, view=chosen, views=VIEWS, dwords=DISPUTE_WORDS)

    @get(DISPUTE)
    async def dispute(self, request: Request[Any, Any, Any], dispute_id: FromPath[uuid.UUID], tenant: TenantDep,
                      session: SessionDep, viewer: ViewerDep) -> Template:
        """One dispute with its mediation notes, and the steps the viewer may take on it."""
        staff = viewer.staff(DISPUTES_READ)
        return await _detail(request, tenant, session, viewer, staff, dispute_id)

    @post(f"{DISPUTE}/answer")
    async def answer(self, request: Request[Any, Any, Any], dispute_id: FromPath[uuid.UUID], tenant: TenantDep,
                     session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """The company's answer to a dispute against it."""
        staff = viewer.staff(DISPUTES_MEDIATE)
        typed = await form_fields(request, "answer")
        return await _step(request, tenant, session, viewer, staff, dispute_id, lambda: disputes.answer(
            session, tenant, staff, dispute_id, typed["answer"], actor=actor_of(staff), now=utcnow()))

    @post(f"{DISPUTE}/mediation")
    async def mediate(self, request: Request[Any, Any, Any], dispute_id: FromPath[uuid.UUID], tenant: TenantDep,
                      session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Take the dispute into mediation."""
        staff = viewer.staff(DISPUTES_MEDIATE)
        return await _step(request, tenant, session, viewer, staff, dispute_id, lambda: disputes.start_mediation(
            session, dispute_id, staff=staff, actor=actor_of(staff), now=utcnow()))

    @post(f"{DISPUTE}/notes")
    async def note(self, request: Request[Any, Any, Any], dispute_id: FromPath[uuid.UUID], tenant: TenantDep,
                   session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Keep a mediator's note (never shown to the parties)."""
        staff = viewer.staff(DISPUTES_MEDIATE)
        typed = await form_fields(request, "body")
        return await _step(request, tenant, session, viewer, staff, dispute_id, lambda: disputes.add_note(
            session, dispute_id, typed["body"], staff=staff, actor=actor_of(staff), now=utcnow()))

    @post(f"{DISPUTE}/settlement")
    async def propose(self, request: Request[Any, Any, Any], dispute_id: FromPath[uuid.UUID], tenant: TenantDep,
                      session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Propose a settlement to the customer."""
        staff = viewer.staff(DISPUTES_MEDIATE)
        typed = await form_fields(request, "terms", "refund_minor")
        amount = _amount(typed["refund_minor"])
        if isinstance(amount, str):
            return await _detail(request, tenant, session, viewer, staff, dispute_id, status_code=422,
                                 errors={"refund_minor": _whole_number(request, tenant, viewer)})
        return await _step(request, tenant, session, viewer, staff, dispute_id, lambda: disputes.propose_settlement(
            session, tenant, dispute_id, typed["terms"], amount, staff=staff, actor=actor_of(staff), now=utcnow()))

    @post(f"{DISPUTE}/ruling")
    async def rule(self, request: Request[Any, Any, Any], dispute_id: FromPath[uuid.UUID], tenant: TenantDep,
                   session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Customer service's ruling, with the reason both sides read."""
        staff = viewer.staff(DISPUTES_RULE)
        typed = await form_fields(request, "outcome", "reason", "refund_minor")
        amount = _amount(typed["refund_minor"])
        if isinstance(amount, str):
            return await _detail(request, tenant, session, viewer, staff, dispute_id, status_code=422,
                                 errors={"refund_minor": _whole_number(request, tenant, viewer)})
        ruling = disputes.Ruling(outcome=typed["outcome"], reason=typed["reason"], refund_minor=amount)
        return await _step(request, tenant, session, viewer, staff, dispute_id, lambda: disputes.rule(
            session, tenant, dispute_id, ruling, staff=staff, actor=actor_of(staff), now=utcnow()))


def _whole_number(request: Request[Any, Any, Any], tenant: CurrentTenant, viewer: Viewer) -> str:
    page = console_page(request, tenant, viewer)[0]
    return page.translations.gettext("Write the amount in minor units, as a whole number.")


async def _step(request: Request[Any, Any, Any], tenant: CurrentTenant, session: AsyncSession, viewer: Viewer,
                staff: Principal, dispute_id: uuid.UUID, act: Any) -> Template | Redirect:
    """Run ``act``; back to the dispute, or the dispute again with the refusal worded by its code."""
    page = console_page(request, tenant, viewer)[0]
    _ = page.translations.gettext
    try:
        async with session.begin_nested():
            await act()
    except InvalidInput as exc:
        errors = {e.field: _(DISPUTE_WORDS.refusals[e.code or ""]) for e in exc.errors}
        return await _detail(request, tenant, session, viewer, staff, dispute_id, status_code=422, errors=errors)
    except Conflict as exc:
        return await _detail(request, tenant, session, viewer, staff, dispute_id, status_code=409,
                             problem=_(DISPUTE_WORDS.refusals[exc.code or ""]))
    return Redirect(page.url(f"/console/disputes/{dispute_id}"), status_code=303)


async def _detail(request: Request[Any, Any, Any], tenant: CurrentTenant, session: AsyncSession, viewer: Viewer,
                  staff: Principal, dispute_id: uuid.UUID, *, status_code: int = 200, problem: str | None = None,
                  errors: dict[str, str] | None = None) -> Template:
    page, clock = console_page(request, tenant, viewer)
    dispute = await disputes.get_dispute(session, staff, dispute_id)
    notes = await disputes.notes_of(session, dispute_id)
    actors = {n.author for n in notes} | {a for a in (dispute.opened_by, dispute.answered_by, dispute.mediator,
                                                      dispute.ruled_by) if a}
    names = await staff_names(session, actors)
    customer = (await customer_names(session, {dispute.customer_id})).get(dispute.customer_id, "—")
    money = {name: Money(amount, dispute.currency) for name, amount in
             (("settlement", dispute.settlement_refund_minor), ("owed", dispute.refund_owed_minor)) if amount}
    live = dispute.state in LIVE
    can = {
        "answer": live and dispute.state == "open" and dispute.respondent == "company"
        and staff.has_scope(DISPUTES_MEDIATE),
        "mediate": dispute.state in ("open", "answered") and staff.has_scope(DISPUTES_MEDIATE),
        "note": staff.has_scope(DISPUTES_MEDIATE),
        "propose": dispute.state == "mediation" and staff.has_scope(DISPUTES_MEDIATE),
        "rule": dispute.state in ("answered", "mediation", "settlement_proposed") and staff.has_scope(DISPUTES_RULE),
    }
    return show(request, page, clock, "console/dispute_detail.html", status_code=status_code, section="disputes",
                dispute=dispute, notes=notes, names=names, customer=customer, money=money, can=can,
                outcomes=disputes.OUTCOMES, problem=problem, errors=errors or {}, dwords=DISPUTE_WORDS)
