"""Change request and work endpoints: the provider asks consent for extra work and records work done; the
customer approves or refuses; everyone concerned reads them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody

from aftersales.db.base import utcnow
from aftersales.http.context import TOKEN_TENANT, SessionDep, TenantDep
from aftersales.identity.guards import actor, current_principal, requires_any_scope, requires_scope
from aftersales.identity.scopes import CUSTOMER_SELF, MARKETPLACE_READ, PROVIDER_WORK
from aftersales.marketplace.changes import services as changes
from aftersales.marketplace.changes.schemas import (
    ChangeRequestIn,
    ChangeRequestOut,
    DecisionIn,
    RecordedWorkOut,
    WorkItemIn,
    WorkItemOut,
    change_out,
    work_out,
)
from aftersales.marketplace.quotes.services import accepted_quote

READERS = (MARKETPLACE_READ, PROVIDER_WORK, CUSTOMER_SELF)


class ChangeRequestController(Controller):
    """Extra work asked for on a booking, the customer's decisions, and the work recorded."""

    path = "/api/v1/marketplace"
    tags = ("marketplace",)
    dependencies = TOKEN_TENANT

    @post("/bookings/{booking_id:uuid}/change-requests", operation_id="raiseChangeRequest",
          guards=[requires_scope(PROVIDER_WORK)])
    async def raise_change(self, request: Request[Any, Any, Any], booking_id: FromPath[UUID],
                           data: JSONBody[ChangeRequestIn], session: SessionDep,
                           tenant: TenantDep) -> ChangeRequestOut:
        """Ask the customer's consent for extra work on a job in progress (409 otherwise), priced by the vertical."""
        work = changes.ExtraWork(description=data.description, reason=data.reason, labour_minor=data.labour_minor,
                                 parts=[p.asked() for p in data.parts],
                                 consumables=[c.asked() for c in data.consumables])
        change = await changes.raise_change(session, tenant, current_principal(request), booking_id, work,
                                            actor=actor(request), now=utcnow())
        return change_out(change)

    @get("/bookings/{booking_id:uuid}/change-requests", operation_id="listChangeRequests",
         guards=[requires_any_scope(*READERS)])
    async def list_changes(self, request: Request[Any, Any, Any], booking_id: FromPath[UUID],
                           session: SessionDep) -> list[ChangeRequestOut]:
        """The booking's change requests, oldest first."""
        return [change_out(c) for c in await changes.changes_of(session, current_principal(request), booking_id)]

    @post("/change-requests/{change_id:uuid}/approve", operation_id="approveChangeRequest", status_code=200,
          guards=[requires_scope(CUSTOMER_SELF)])
    async def approve(self, request: Request[Any, Any, Any], change_id: FromPath[UUID], data: JSONBody[DecisionIn],
                      session: SessionDep) -> ChangeRequestOut:
        """The customer approves (once: 409 after any decision, or once withdrawn)."""
        change = await changes.decide_change(session, current_principal(request), change_id, approve=True,
                                             note=data.note, actor=actor(request), now=utcnow())
        return change_out(change)

    @post("/change-requests/{change_id:uuid}/refuse", operation_id="refuseChangeRequest", status_code=200,
          guards=[requires_scope(CUSTOMER_SELF)])
    async def refuse(self, request: Request[Any, Any, Any], change_id: FromPath[UUID], data: JSONBody[DecisionIn],
                     session: SessionDep) -> ChangeRequestOut:
        """The customer refuses (once: 409 after any decision, or once withdrawn)."""
        change = await changes.decide_change(session, current_principal(request), change_id, approve=False,
                                             note=data.note, actor=actor(request), now=utcnow())
        return change_out(change)

    @post("/change-requests/{change_id:uuid}/withdraw", operation_id="withdrawChangeRequest", status_code=200,
          guards=[requires_scope(PROVIDER_WORK)])
    async def withdraw(self, request: Request[Any, Any, Any], change_id: FromPath[UUID],
                       session: SessionDep) -> ChangeRequestOut:
        """The provider withdraws a change request the customer has not decided (409 after a decision)."""
        change = await changes.withdraw_change(session, current_principal(request), change_id,
                                               actor=actor(request), now=utcnow())
        return change_out(change)

    @post("/bookings/{booking_id:uuid}/work-items", operation_id="recordWork", guards=[requires_scope(PROVIDER_WORK)])
    async def record_work(self, request: Request[Any, Any, Any], booking_id: FromPath[UUID],
                          data: JSONBody[WorkItemIn], session: SessionDep) -> RecordedWorkOut:
        """Record work done. Always kept; chargeable only when the accepted quote or an approved change request
        covers it (``why`` says which, or why not)."""
        work = changes.WorkDone(description=data.description, amount_minor=data.amount_minor,
                                from_quote=data.from_quote, change_request_id=data.change_request_id)
        item, why = await changes.record_work(session, current_principal(request), booking_id, work,
                                              actor=actor(request), now=utcnow())
        return RecordedWorkOut(**work_out(item, await accepted_quote(session, booking_id)).model_dump(), why=why)

    @get("/bookings/{booking_id:uuid}/work-items", operation_id="listWork", guards=[requires_any_scope(*READERS)])
    async def list_work(self, request: Request[Any, Any, Any], booking_id: FromPath[UUID],
                        session: SessionDep) -> list[WorkItemOut]:
        """The work recorded on the booking, oldest first, each with whether it may be charged."""
        items = await changes.work_of(session, current_principal(request), booking_id)
        quote = await accepted_quote(session, booking_id)
        return [work_out(i, quote) for i in items]
