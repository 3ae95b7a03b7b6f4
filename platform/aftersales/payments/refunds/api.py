"""Refund endpoints: ask for a refund (a customer for their own, staff for a customer), read refunds with
their timeline, and finance's approve, reject and execute.

A refused refund is answered 201 with ``state: refused``, its reasons and the missing requirements: it is a
decision the customer reads, stored like any other, not a malformed request.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody, QueryParameter

from aftersales.db.base import utcnow
from aftersales.http.context import TOKEN_TENANT, RuntimeDep, SessionDep, TenantDep
from aftersales.identity.guards import actor, current_principal, requires_any_scope, requires_scope
from aftersales.identity.scopes import (
    CUSTOMER_SELF,
    PAYMENTS_READ,
    REFUNDS_APPROVE,
    REFUNDS_WRITE,
)
from aftersales.payments.refunds import execution as refund_execution
from aftersales.payments.refunds import services as refunds
from aftersales.payments.refunds.schemas import DecisionIn, ExecuteIn, RefundIn, RefundOut, refund_out

READERS = requires_any_scope(PAYMENTS_READ, REFUNDS_WRITE, REFUNDS_APPROVE, CUSTOMER_SELF)


class RefundController(Controller):
    """Refund requests and finance's steps on them."""

    path = "/api/v1/refunds"
    tags = ("payments",)
    dependencies = TOKEN_TENANT

    @post("/", operation_id="requestRefund", guards=[requires_any_scope(REFUNDS_WRITE, CUSTOMER_SELF)])
    async def request_refund(self, request: Request[Any, Any, Any], data: JSONBody[RefundIn], session: SessionDep,
                             tenant: TenantDep) -> RefundOut:
        """Ask for a refund; the vertical's policy decides at once and the request is stored with the decision
        (``refused`` with reasons and missing requirements, ``awaiting_approval`` or ``approved``)."""
        refund = await refunds.request_refund(session, tenant, current_principal(request), data.ask(),
                                              actor=actor(request), now=utcnow())
        return refund_out(refund, await refunds.timeline(session, refund.id))

    @get("/", operation_id="listRefunds", guards=[READERS])
    async def list_refunds(self, request: Request[Any, Any, Any], session: SessionDep,
                           in_state: Annotated[str | None, QueryParameter(name="state")] = None,
                           customer_id: Annotated[UUID | None, QueryParameter(name="customer_id")] = None,
                           ) -> list[RefundOut]:
        """Refunds, newest first (a customer sees only their own), optionally in one state or of one customer."""
        found = await refunds.visible_refunds(session, current_principal(request), state=in_state,
                                              customer_id=customer_id)
        return [refund_out(r) for r in found]

    @get("/{refund_id:uuid}", operation_id="getRefund", guards=[READERS])
    async def get_refund(self, request: Request[Any, Any, Any], refund_id: FromPath[UUID],
                         session: SessionDep) -> RefundOut:
        """One refund with its timeline."""
        refund = await refunds.visible_refund(session, current_principal(request), refund_id)
        return refund_out(refund, await refunds.timeline(session, refund.id))

    @post("/{refund_id:uuid}/approve", operation_id="approveRefund", status_code=200,
          guards=[requires_scope(REFUNDS_APPROVE)])
    async def approve(self, request: Request[Any, Any, Any], refund_id: FromPath[UUID], data: JSONBody[DecisionIn],
                      session: SessionDep, tenant: TenantDep) -> RefundOut:
        """Finance approves a refund awaiting approval (409 in any other state)."""
        refund = await refund_execution.approve(session, tenant, refund_id, actor=actor(request), note=data.note,
                                                now=utcnow())
        return refund_out(refund, await refunds.timeline(session, refund.id))

    @post("/{refund_id:uuid}/reject", operation_id="rejectRefund", status_code=200,
          guards=[requires_scope(REFUNDS_APPROVE)])
    async def reject(self, request: Request[Any, Any, Any], refund_id: FromPath[UUID], data: JSONBody[DecisionIn],
                     session: SessionDep, tenant: TenantDep) -> RefundOut:
        """Finance rejects a refund not yet paid; the note (required) is sent to the customer."""
        refund = await refund_execution.reject(session, tenant, refund_id, actor=actor(request), note=data.note,
                                               now=utcnow())
        return refund_out(refund, await refunds.timeline(session, refund.id))

    @post("/{refund_id:uuid}/execute", operation_id="executeRefund", status_code=200,
          guards=[requires_scope(REFUNDS_APPROVE)])
    async def execute(self, request: Request[Any, Any, Any], refund_id: FromPath[UUID], data: JSONBody[ExecuteIn],
                      runtime: RuntimeDep, tenant: TenantDep) -> RefundOut:
        """Pay an approved refund and post the ledger. A provider's refusal is recorded on the timeline and
        answered 409."""
        failure: refund_execution.RefundFailed | None = None
        async with runtime.db.transaction(tenant.record.id) as session:
            try:
                refund = await refund_execution.execute(session, runtime.settings, tenant, refund_id,
                                                        actor=actor(request), reference=data.reference, now=utcnow())
            except refund_execution.RefundFailed as exc:
                failure = exc
                refund = await refunds.visible_refund(session, current_principal(request), refund_id)
            answer = refund_out(refund, await refunds.timeline(session, refund.id))
        if failure is not None:
            raise failure
        return answer
