"""Refund approvals (``/console/refunds``): refunds waiting for finance, with the amounts asked and allowed, the
policy's reasons and the customer's identity and IBAN checks; finance approves, rejects with a reason, and pays
an approved refund out (recording the bank's reference for a transfer). The same services as the API's
refund endpoints: reading needs ``payments:read``, ``refunds:write`` or ``refunds:approve``; deciding and paying
``refunds:approve`` (anyone else gets the 403 page)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from aftersales.contract.money import Money
from aftersales.db.base import utcnow
from aftersales.errors import Conflict, InvalidInput, PermissionDenied
from aftersales.http.context import RuntimeDep, SessionDep, TenantDep
from aftersales.identity.customers import customer_names
from aftersales.identity.principals import Principal
from aftersales.identity.scopes import PAYMENTS_READ, REFUNDS_APPROVE, REFUNDS_WRITE
from aftersales.payments.refunds import execution as refund_execution
from aftersales.payments.refunds import services as refunds
from aftersales.payments.refunds.identity import iban_owner_matches, identities_of, identity_verified
from aftersales.payments.refunds.models import Refund, RefundEvent
from aftersales.web.console.console_pages import actor_of, console_page, show
from aftersales.web.forms import form_fields
from aftersales.web.page_auth import Viewer, ViewerDep
from aftersales.web.page_controller import PageController

REFUND = "/console/refunds/{refund_id:uuid}"
VIEWS = ("awaiting_approval", "approved", "processing", "executed", "rejected", "refused", "all")
"""The list's tabs: what waits for a decision first."""


@dataclass(frozen=True)
class RefundRow:
    """A refund as finance reads it: whose, how much, why, and whether the customer's identity holds."""

    refund: Refund
    customer: str
    requested: Money
    allowed: Money
    identity_verified: bool
    iban_confirmed: bool
    last_event: RefundEvent | None


@dataclass(frozen=True)
class Refusal:
    """Why a step on one refund was refused, by field or as a whole."""

    refund_id: UUID | None = None
    reason: str | None = None
    fields: dict[str, str] | None = None


def _reader(viewer: Viewer) -> Principal:
    staff = viewer.staff()
    if not {PAYMENTS_READ, REFUNDS_WRITE, REFUNDS_APPROVE} & staff.scopes:
        raise PermissionDenied("this page needs the payments:read, refunds:write or refunds:approve permission")
    return staff


class ConsoleRefundController(PageController):
    """Finance's refund desk in the staff console."""

    @get("/console/refunds")
    async def desk(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                   viewer: ViewerDep) -> Template:
        """Refunds in one state (waiting for approval by default), newest first."""
        staff = _reader(viewer)
        return await _desk(request, tenant, session, viewer, staff)

    @post(f"{REFUND}/approve")
    async def approve(self, request: Request[Any, Any, Any], refund_id: FromPath[UUID], tenant: TenantDep,
                      session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Approve a refund awaiting approval."""
        staff = viewer.staff(REFUNDS_APPROVE)
        typed = await form_fields(request, "note")
        try:
            async with session.begin_nested():
                await refund_execution.approve(session, tenant, refund_id, actor=actor_of(staff), note=typed["note"],
                                               now=utcnow())
        except (Conflict, InvalidInput) as exc:
            return await _refused(request, tenant, session, viewer, staff, refund_id, exc)
        return _back(request, tenant, viewer, "approved", refund_id)

    @post(f"{REFUND}/reject")
    async def reject(self, request: Request[Any, Any, Any], refund_id: FromPath[UUID], tenant: TenantDep,
                     session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Reject a refund not yet paid; the reason is required and sent to the customer."""
        staff = viewer.staff(REFUNDS_APPROVE)
        typed = await form_fields(request, "note")
        if not typed["note"]:
            page = console_page(request, tenant, viewer)[0]
            return await _desk(request, tenant, session, viewer, staff, status_code=422, refusal=Refusal(
                refund_id, fields={"note": page.translations.gettext("Say why: the customer is told.")}))
        try:
            async with session.begin_nested():
                await refund_execution.reject(session, tenant, refund_id, actor=actor_of(staff), note=typed["note"],
                                              now=utcnow())
        except (Conflict, InvalidInput) as exc:
            return await _refused(request, tenant, session, viewer, staff, refund_id, exc)
        return _back(request, tenant, viewer, "rejected", refund_id)

    @post(f"{REFUND}/execute")
    async def execute(self, request: Request[Any, Any, Any], refund_id: FromPath[UUID], runtime: RuntimeDep,
                      tenant: TenantDep, session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Pay an approved refund out; a provider's refusal is kept on the refund's timeline and shown."""
        staff = viewer.staff(REFUNDS_APPROVE)
        typed = await form_fields(request, "reference")
        try:  # as the API: checks come before any write, and a provider's refusal is recorded and kept
            done = await refund_execution.execute(session, runtime.settings, tenant, refund_id, actor=actor_of(staff),
                                                  reference=typed["reference"] or None, now=utcnow())
        except (Conflict, InvalidInput) as exc:
            return await _refused(request, tenant, session, viewer, staff, refund_id, exc)
        return _back(request, tenant, viewer, done.state, refund_id)


def _back(request: Request[Any, Any, Any], tenant: Any, viewer: Viewer, state: str, refund_id: UUID) -> Redirect:
    page = console_page(request, tenant, viewer)[0]
    return Redirect(page.url(f"/console/refunds?state={state}#refund-{refund_id}"), status_code=303)


async def _refused(request: Request[Any, Any, Any], tenant: Any, session: Any, viewer: Viewer, staff: Principal,
                   refund_id: UUID, exc: Conflict | InvalidInput) -> Template:
    if isinstance(exc, InvalidInput) and exc.errors:
        refusal = Refusal(refund_id, fields={e.field: e.reason for e in exc.errors})
    else:
        refusal = Refusal(refund_id, reason=exc.detail)
    refund = await refunds.refund_state(session, refund_id)
    return await _desk(request, tenant, session, viewer, staff, status_code=422 if isinstance(exc, InvalidInput)
                       else 409, refusal=refusal, view=refund or "awaiting_approval")


async def _desk(request: Request[Any, Any, Any], tenant: Any, session: Any, viewer: Viewer, staff: Principal, *,
                status_code: int = 200, refusal: Refusal | None = None, view: str | None = None) -> Template:
    page, clock = console_page(request, tenant, viewer)
    chosen = view or str(request.query_params.get("state") or "awaiting_approval")
    if chosen not in VIEWS:
        chosen, status_code = "awaiting_approval", 422
    found = await refunds.visible_refunds(session, staff, state=None if chosen == "all" else chosen)
    customer_ids = {r.customer_id for r in found}
    names = await customer_names(session, customer_ids)
    identities = await identities_of(session, customer_ids)
    last = await refunds.last_events(session, [r.id for r in found])
    rows = [RefundRow(refund=r, customer=names.get(r.customer_id, "—"),
                      requested=Money(r.requested_minor, r.currency), allowed=Money(r.amount_minor, r.currency),
                      identity_verified=identity_verified(identities.get(r.customer_id)),
                      iban_confirmed=iban_owner_matches(identities.get(r.customer_id)), last_event=last.get(r.id))
            for r in found]
    return show(request, page, clock, "console/refunds.html", status_code=status_code, section="refunds",
                rows=rows, view=chosen, views=VIEWS, can_decide=staff.has_scope(REFUNDS_APPROVE),
                refusal=refusal or Refusal(), bad_view=status_code == 422 and refusal is None)
