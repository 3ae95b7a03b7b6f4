"""Dispute endpoints: the customer opens and follows their disputes (staff may open one for them), the other
side answers (a provider user for its bookings, staff for the company), staff mediate and customer service
rules. Customer and provider tokens reach only their own disputes (404 for anyone else's)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from aftersales.db.base import utcnow
from aftersales.disputes import services as service
from aftersales.disputes.schemas import (
    AnswerIn,
    DisputeIn,
    DisputeOut,
    DisputePage,
    NoteIn,
    NoteOut,
    RulingIn,
    SettlementAnswerIn,
    SettlementIn,
    dispute_out,
)
from aftersales.disputes.states import DisputeState
from aftersales.errors import FieldError, InvalidInput
from aftersales.http.context import TOKEN_TENANT, SessionDep, TenantDep
from aftersales.http.paging import DEFAULT_LIMIT, check_limit, decode_cursor, invalid_cursor, split_page
from aftersales.identity.guards import actor, current_principal, requires_any_scope, requires_scope
from aftersales.identity.principals import Principal
from aftersales.identity.scopes import (
    CUSTOMER_SELF,
    DISPUTES_MEDIATE,
    DISPUTES_READ,
    DISPUTES_RULE,
    PROVIDER_WORK,
)

DISPUTE = "/{dispute_id:uuid}"
READERS = requires_any_scope(CUSTOMER_SELF, PROVIDER_WORK, DISPUTES_READ)


def _after(cursor: str | None) -> UUID | None:
    if cursor is None:
        return None
    (key,) = decode_cursor(cursor, 1)
    try:
        return UUID(str(key))
    except ValueError:
        raise invalid_cursor() from None


async def _out(session: SessionDep, principal: Principal, dispute: Any) -> DisputeOut:
    """Staff read the mediation notes; the parties never do."""
    notes = await service.notes_of(session, dispute.id) if principal.has_scope(DISPUTES_READ) else None
    return dispute_out(dispute, notes)


class DisputeController(Controller):
    """A tenant's disputes, newest first."""

    path = "/api/v1/disputes"
    tags = ("disputes",)
    dependencies = TOKEN_TENANT

    @post("/", operation_id="openDispute", guards=[requires_any_scope(CUSTOMER_SELF, DISPUTES_MEDIATE)])
    async def open(self, request: Request[Any, Any, Any], data: JSONBody[DisputeIn], session: SessionDep,
                   tenant: TenantDep) -> DisputeOut:
        """Open a dispute about a booking (against its provider), a service request or a warranty claim (against
        the company), with the grounds and the customer's statement. A customer token only about its own (404
        for anyone else's); staff for any customer. 409 while a dispute about the same subject is under way."""
        principal = current_principal(request)
        new = service.NewDispute(subject=data.subject, subject_id=data.subject_id, grounds=data.grounds,
                                 statement=data.statement)
        dispute = await service.open_dispute(session, tenant, principal, new, actor=actor(request), now=utcnow())
        return await _out(session, principal, dispute)

    @get("/", operation_id="listDisputes", guards=[READERS])
    async def list(self, request: Request[Any, Any, Any], session: SessionDep,
                   in_state: Annotated[str | None, QueryParameter(name="state", max_length=30)] = None, limit: FromQuery[int] = DEFAULT_LIMIT, cursor: FromQuery[str | None] = None) -> DisputePage:
        """The disputes the caller reaches (a customer's own, a provider's about its bookings, staff all),
        newest first; ``state`` narrows them to one state."""
        if in_state is not None and in_state not in set(DisputeState):
            raise InvalidInput("unknown state", [FieldError("state", "is not a dispute state")])
        principal = current_principal(request)
        rows = await service.list_disputes(session, principal, state=in_state, limit=check_limit(limit) + 1,
                                           before=_after(cursor))
        page, next_cursor = split_page(rows, limit, lambda d: (str(d.id),))
        return DisputePage(items=[dispute_out(d) for d in page], next_cursor=next_cursor)

    @get(DISPUTE, operation_id="getDispute", guards=[READERS])
    async def get(self, request: Request[Any, Any, Any], dispute_id: FromPath[UUID], session: SessionDep) -> DisputeOut:
        """One dispute with both statements, the settlement and the ruling; staff also read the notes."""
        principal = current_principal(request)
        return await _out(session, principal, await service.get_dispute(session, principal, dispute_id))

    @post(f"{DISPUTE}/answer", operation_id="answerDispute", status_code=200,
          guards=[requires_any_scope(PROVIDER_WORK, DISPUTES_MEDIATE)])
    async def answer(self, request: Request[Any, Any, Any], dispute_id: FromPath[UUID], data: JSONBody[AnswerIn],
                     session: SessionDep, tenant: TenantDep) -> DisputeOut:
        """The other side's statement: a provider user for its booking, staff for the company (403 for staff on
        a provider's). Once (409 after that); the customer is told."""
        principal = current_principal(request)
        dispute = await service.answer(session, tenant, principal, dispute_id, data.statement, actor=actor(request),
                                       now=utcnow())
        return await _out(session, principal, dispute)

    @post(f"{DISPUTE}/mediation", operation_id="startDisputeMediation", status_code=200,
          guards=[requires_scope(DISPUTES_MEDIATE)])
    async def mediate(self, request: Request[Any, Any, Any], dispute_id: FromPath[UUID],
                      session: SessionDep) -> DisputeOut:
        """Staff take the dispute into mediation (answered, or open when the other side stays silent)."""
        principal = current_principal(request)
        dispute = await service.start_mediation(session, dispute_id, staff=principal, actor=actor(request),
                                                now=utcnow())
        return await _out(session, principal, dispute)

    @post(f"{DISPUTE}/notes", operation_id="addDisputeNote", guards=[requires_scope(DISPUTES_MEDIATE)])
    async def note(self, request: Request[Any, Any, Any], dispute_id: FromPath[UUID], data: JSONBody[NoteIn],
                   session: SessionDep) -> NoteOut:
        """A mediator's note, kept from both parties."""
        note = await service.add_note(session, dispute_id, data.body, staff=current_principal(request),
                                      actor=actor(request), now=utcnow())
        return NoteOut(id=note.id, author=note.author, body=note.body, written_at=note.written_at)

    @post(f"{DISPUTE}/settlement", operation_id="proposeDisputeSettlement", status_code=200,
          guards=[requires_scope(DISPUTES_MEDIATE)])
    async def propose(self, request: Request[Any, Any, Any], dispute_id: FromPath[UUID], data: JSONBody[SettlementIn],
                      session: SessionDep, tenant: TenantDep) -> DisputeOut:
        """Propose a settlement the customer may accept (in mediation only); the customer is told."""
        principal = current_principal(request)
        dispute = await service.propose_settlement(session, tenant, dispute_id, data.terms, data.refund_minor,
                                                   staff=principal, actor=actor(request), now=utcnow())
        return await _out(session, principal, dispute)

    @post(f"{DISPUTE}/settlement/answer", operation_id="answerDisputeSettlement", status_code=200,
          guards=[requires_scope(CUSTOMER_SELF)])
    async def settle(self, request: Request[Any, Any, Any], dispute_id: FromPath[UUID],
                     data: JSONBody[SettlementAnswerIn], session: SessionDep, tenant: TenantDep) -> DisputeOut:
        """The customer accepts the proposed settlement (settled; both sides told) or declines it (mediation goes
        on). 409 when no settlement waits for an answer."""
        principal = current_principal(request)
        dispute = await service.answer_settlement(session, tenant, principal, dispute_id, data.accept, now=utcnow())
        return await _out(session, principal, dispute)

    @post(f"{DISPUTE}/ruling", operation_id="ruleDispute", status_code=200, guards=[requires_scope(DISPUTES_RULE)])
    async def rule(self, request: Request[Any, Any, Any], dispute_id: FromPath[UUID], data: JSONBody[RulingIn],
                   session: SessionDep, tenant: TenantDep) -> DisputeOut:
        """Customer service's final ruling, with the reason both sides read and what the customer is owed back.
        409 before the other side answered or mediation began, and once ended; both sides are told."""
        principal = current_principal(request)
        ruling = service.Ruling(outcome=data.outcome, reason=data.reason, refund_minor=data.refund_minor)
        dispute = await service.rule(session, tenant, dispute_id, ruling, staff=principal, actor=actor(request),
                                     now=utcnow())
        return await _out(session, principal, dispute)

    @post(f"{DISPUTE}/withdrawal", operation_id="withdrawDispute", status_code=200,
          guards=[requires_any_scope(CUSTOMER_SELF, DISPUTES_MEDIATE)])
    async def withdraw(self, request: Request[Any, Any, Any], dispute_id: FromPath[UUID],
                       session: SessionDep) -> DisputeOut:
        """The customer (or staff for them) withdraws the dispute before it ends (409 after)."""
        principal = current_principal(request)
        dispute = await service.withdraw(session, principal, dispute_id, now=utcnow())
        return await _out(session, principal, dispute)
