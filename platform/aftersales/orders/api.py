"""Order desk endpoints: staff take orders for any customer, issue and take payment of pro-formas, cancel, and
read the follow-up list and the cheque escalations; a customer takes and reads only their own orders.

Scopes: taking, issuing and cancelling need ``requests:write`` (agents); paying a pro-forma ``requests:write``
or ``payments:write``; closing an escalation ``payments:write`` (finance); reading ``requests:read`` or
``payments:read``. A customer token (``customer:self``) creates and reads its own orders; another's is 404.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.db.base import utcnow
from aftersales.errors import FieldError, InvalidInput
from aftersales.http.context import TOKEN_TENANT, RuntimeDep, SessionDep, TenantDep
from aftersales.identity.guards import actor, current_principal, requires_any_scope
from aftersales.identity.scopes import (
    CUSTOMER_SELF,
    PAYMENTS_READ,
    PAYMENTS_WRITE,
    REQUESTS_READ,
    REQUESTS_WRITE,
)
from aftersales.orders import followup, proformas
from aftersales.orders import services as orders
from aftersales.orders.models import Order, OrderState
from aftersales.orders.schemas import (
    CancelIn,
    EscalationCloseIn,
    OrderIn,
    OrderOut,
    PayIn,
    ProFormaIn,
    ProFormaOut,
    order_out,
    proforma_out,
)

STAFF_READERS = requires_any_scope(REQUESTS_READ, PAYMENTS_READ)
READERS = requires_any_scope(REQUESTS_READ, PAYMENTS_READ, CUSTOMER_SELF)
MAX_LIMIT = 200
STATES = tuple(state.value for state in OrderState)


async def _whole(session: AsyncSession, order: Order) -> OrderOut:
    return order_out(order, utcnow(), await orders.lines_of(session, order.id),
                     await orders.instalments_of(session, order.id), await proformas.proformas_of(session, order.id),
                     await proformas.violations_of(session, order.id))


def _limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput("cannot list so", [FieldError("limit", f"must be between 1 and {MAX_LIMIT}")])
    return limit


class OrderController(Controller):
    """Orders, their pro-formas, and what the order desk chases."""

    path = "/api/v1/orders"
    tags = ("orders",)
    dependencies = TOKEN_TENANT

    @post("/", operation_id="createOrder", guards=[requires_any_scope(REQUESTS_WRITE, CUSTOMER_SELF)])
    async def create(self, request: Request[Any, Any, Any], data: JSONBody[OrderIn], session: SessionDep,
                     tenant: TenantDep) -> OrderOut:
        """Take an order (staff for a customer, a customer for themselves at list prices), awaiting payment."""
        order = await orders.create_order(session, tenant, current_principal(request), data.new(),
                                          actor=actor(request), now=utcnow())
        return await _whole(session, order)

    @get("/", operation_id="listOrders", guards=[READERS])
    async def list_orders(self, request: Request[Any, Any, Any], session: SessionDep,
                          in_state: Annotated[str | None, QueryParameter(name="state")] = None,
                          customer_id: Annotated[UUID | None, QueryParameter(name="customer_id")] = None,
                          limit: Annotated[int, QueryParameter(name="limit")] = 50) -> list[OrderOut]:
        """Orders newest first (a customer sees only their own), optionally in one state or of one customer."""
        if in_state is not None and in_state not in STATES:
            raise InvalidInput("cannot list so", [FieldError("state", f"must be one of {', '.join(STATES)}")])
        found = await orders.list_orders(session, current_principal(request), state=in_state,
                                         customer_id=customer_id, limit=_limit(limit))
        now = utcnow()
        return [order_out(o, now) for o in found]

    @get("/follow-up", operation_id="listOrdersToFollowUp", guards=[STAFF_READERS])
    async def follow_up(self, session: SessionDep, tenant: TenantDep,
                        limit: Annotated[int, QueryParameter(name="limit")] = 100) -> list[OrderOut]:
        """Orders unfunded for longer than the vertical's follow-up period, oldest first."""
        now = utcnow()
        return [order_out(o, now) for o in await followup.followup_list(session, tenant, now, limit=_limit(limit))]

    @get("/escalations", operation_id="listOrderEscalations", guards=[STAFF_READERS])
    async def escalations(self, session: SessionDep,
                          limit: Annotated[int, QueryParameter(name="limit")] = 100) -> list[OrderOut]:
        """Orders whose funding cheque is escalated to finance and not closed, oldest escalation first."""
        now = utcnow()
        return [order_out(o, now) for o in await followup.open_escalations(session, limit=_limit(limit))]

    @get("/{order_id:uuid}", operation_id="getOrder", guards=[READERS])
    async def get_order(self, request: Request[Any, Any, Any], order_id: FromPath[UUID],
                        session: SessionDep) -> OrderOut:
        """One order with its lines, instalments, pro-formas and store violations."""
        return await _whole(session, await orders.get_order(session, current_principal(request), order_id))

    @post("/{order_id:uuid}/proformas", operation_id="issueProForma", guards=[requires_any_scope(REQUESTS_WRITE)])
    async def issue(self, request: Request[Any, Any, Any], order_id: FromPath[UUID], data: JSONBody[ProFormaIn],
                    session: SessionDep, tenant: TenantDep) -> ProFormaOut:
        """Issue a pro-forma valid for the vertical's business days; one listing a product not ordered, or one
        out of stock, is void and files a store violation against the store (``violation_complaint_id``)."""
        order = await orders.get_order(session, current_principal(request), order_id, lock=True)
        now = utcnow()
        issued = await proformas.issue_proforma(session, tenant, order, actor=actor(request), now=now,
                                                store=data.store, lines=data.listed())
        return proforma_out(issued.proforma, now)

    @post("/{order_id:uuid}/proformas/{proforma_id:uuid}/pay", operation_id="payProForma", status_code=200,
          guards=[requires_any_scope(REQUESTS_WRITE, PAYMENTS_WRITE)])
    async def pay(self, request: Request[Any, Any, Any], order_id: FromPath[UUID], proforma_id: FromPath[UUID],
                  data: JSONBody[PayIn], session: SessionDep, runtime: RuntimeDep) -> OrderOut:
        """Record the payment of a valid pro-forma (409 ``proforma.expired`` once its last business day ended):
        cash funds the order, a cheque once it clears, credit once its first instalment is captured."""
        order = await orders.get_order(session, current_principal(request), order_id, lock=True)
        await proformas.pay_proforma(session, runtime.settings, order, proforma_id,
                                     proformas.Payment(data.method, data.reference), actor=actor(request),
                                     now=utcnow())
        return await _whole(session, order)

    @post("/{order_id:uuid}/cancel", operation_id="cancelOrder", status_code=200,
          guards=[requires_any_scope(REQUESTS_WRITE)])
    async def cancel(self, request: Request[Any, Any, Any], order_id: FromPath[UUID], data: JSONBody[CancelIn],
                     session: SessionDep) -> OrderOut:
        """Cancel an order awaiting payment, with the reason (409 once funded, or while its escalation is open)."""
        order = await orders.get_order(session, current_principal(request), order_id, lock=True)
        await orders.cancel_order(session, order, reason=data.reason, actor=actor(request), now=utcnow())
        return await _whole(session, order)

    @post("/{order_id:uuid}/escalation/close", operation_id="closeOrderEscalation", status_code=200,
          guards=[requires_any_scope(PAYMENTS_WRITE)])
    async def close_escalation(self, request: Request[Any, Any, Any], order_id: FromPath[UUID],
                               data: JSONBody[EscalationCloseIn], session: SessionDep) -> OrderOut:
        """Finance closes the order's cheque escalation with a note; the order may then be cancelled."""
        order = await orders.get_order(session, current_principal(request), order_id, lock=True)
        await followup.close_escalation(session, order, note=data.note, actor=actor(request), now=utcnow())
        return await _whole(session, order)
