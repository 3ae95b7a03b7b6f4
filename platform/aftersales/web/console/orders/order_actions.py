"""What staff do to an order from its page, through the services the API's order endpoints call: issue a
pro-forma (valid for the vertical's business days), record its payment (cash, the cheque with its number, a
credit order's first instalment), cancel an order awaiting payment with the reason, and close a cheque
escalation with finance's note (from the order or the escalations list). Each answers with a redirect back
(post/redirect/get); a refusal shows the page again with the reason by its code (409) or the field's (422),
and nothing is written."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from litestar import Request, post
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.db.base import utcnow
from aftersales.errors import Conflict, InvalidInput
from aftersales.http.context import RuntimeDep, SessionDep, TenantDep
from aftersales.identity.principals import Principal
from aftersales.orders import followup, proformas
from aftersales.orders import services as orders
from aftersales.orders.fulfilment import changes as delivery_changes
from aftersales.orders.models import Order
from aftersales.tenancy.current import CurrentTenant
from aftersales.web.console.console_pages import actor_of, console_page
from aftersales.web.console.orders import access
from aftersales.web.console.orders.desk import escalations_page
from aftersales.web.console.orders.order_page import ORDER, order_page
from aftersales.web.console.orders.refusals import conflict_reason, field_reasons
from aftersales.web.forms import form_fields
from aftersales.web.page_auth import Viewer, ViewerDep
from aftersales.web.page_controller import PageController

Action = Callable[[Order, Principal], Awaitable[Any]]


async def act_on(request: Request[Any, Any, Any], tenant: CurrentTenant, session: AsyncSession, viewer: Viewer,
               staff: Principal, order_id: UUID, name: str, action: Action, *,
               back_to_escalations: bool = False, typed: dict[str, str] | None = None,
               anchor: str | None = None) -> Template | Redirect:
    """Run ``action`` on the locked order; back to the order at ``anchor`` (the action's ``name`` by default) or
    to the escalations list, or the page again with the refusal under the action's ``name``."""
    page, clock = console_page(request, tenant, viewer)
    order = await orders.get_order(session, staff, order_id, lock=True)
    try:
        async with session.begin_nested():
            await action(order, staff)
    except (Conflict, InvalidInput) as exc:
        status = 409 if isinstance(exc, Conflict) else 422
        problem = {"action": name, "order_id": order.id, "typed": typed or {},
                   "reason": conflict_reason(clock, exc) if isinstance(exc, Conflict) else None,
                   "fields": field_reasons(clock, exc) if isinstance(exc, InvalidInput) else {}}
        await session.refresh(order)
        if back_to_escalations:
            return await escalations_page(request, tenant, session, viewer, staff, status_code=status,
                                          problem=problem)
        return await order_page(request, tenant, session, viewer, staff, order, status_code=status,
                                problem=problem)
    if back_to_escalations:
        return Redirect(page.url("/console/orders/escalations"), status_code=303)
    return Redirect(page.url(f"/console/orders/{order.id}#{anchor or name}"), status_code=303)


class ConsoleOrderActionController(PageController):
    """Actions on one order in the staff console."""

    @post(f"{ORDER}/proformas")
    async def issue(self, request: Request[Any, Any, Any], order_id: FromPath[UUID], tenant: TenantDep,
                    session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Issue a pro-forma of the order's own lines (an earlier open one becomes void)."""
        staff = viewer.staff(access.TAKE_SCOPE)
        typed = await form_fields(request, "store")

        async def issue(order: Order, staff: Principal) -> None:
            await proformas.issue_proforma(session, tenant, order, actor=actor_of(staff), now=utcnow(),
                                           store=typed["store"] or None)
        return await act_on(request, tenant, session, viewer, staff, order_id, "proformas", issue, typed=typed)

    @post(f"{ORDER}/proformas/{{proforma_id:uuid}}/pay")
    async def pay(self, request: Request[Any, Any, Any], order_id: FromPath[UUID], proforma_id: FromPath[UUID],
                  runtime: RuntimeDep, tenant: TenantDep, session: SessionDep,
                  viewer: ViewerDep) -> Template | Redirect:
        """Record the pro-forma's payment; an expired one is refused with the instant it expired."""
        staff = access.payer(viewer)
        typed = await form_fields(request, "method", "reference")

        async def pay(order: Order, staff: Principal) -> None:
            await proformas.pay_proforma(session, runtime.settings, order, proforma_id,
                                         proformas.Payment(typed["method"], typed["reference"] or None),
                                         actor=actor_of(staff), now=utcnow())
        return await act_on(request, tenant, session, viewer, staff, order_id, "pay", pay, typed=typed)

    @post(f"{ORDER}/cancel")
    async def cancel(self, request: Request[Any, Any, Any], order_id: FromPath[UUID], tenant: TenantDep,
                     session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Cancel an order awaiting payment, with the reason (never while its cheque escalation is open)."""
        staff = viewer.staff(access.TAKE_SCOPE)
        typed = await form_fields(request, "reason")

        async def cancel(order: Order, staff: Principal) -> None:
            await orders.cancel_order(session, order, reason=typed["reason"], actor=actor_of(staff), now=utcnow())
        return await act_on(request, tenant, session, viewer, staff, order_id, "cancel", cancel, typed=typed)

    @post(f"{ORDER}/escalation/close")
    async def close_escalation(self, request: Request[Any, Any, Any], order_id: FromPath[UUID], tenant: TenantDep,
                               session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Finance closes the cheque escalation with a note; ``back=escalations`` returns to that list."""
        staff = viewer.staff(access.ESCALATION_SCOPE)
        typed = await form_fields(request, "note", "back")

        async def close(order: Order, staff: Principal) -> None:
            await followup.close_escalation(session, order, note=typed["note"], actor=actor_of(staff), now=utcnow())
        return await act_on(request, tenant, session, viewer, staff, order_id, "escalation", close,
                          back_to_escalations=typed["back"] == "escalations", typed=typed)

    @post(f"{ORDER}/delivery-changes")
    async def ask_change(self, request: Request[Any, Any, Any], order_id: FromPath[UUID], tenant: TenantDep,
                         session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """A delivery change ticket for the customer (new address, phone or province): made before dispatch,
        recorded as refused with the reason after it or out of a regional warehouse's province."""
        staff = viewer.staff(access.DELIVERY_CHANGE_SCOPE)
        typed = await form_fields(request, "delivery_address", "delivery_phone", "province")

        async def ask(order: Order, staff: Principal) -> None:
            await delivery_changes.ask_change(session, tenant, order.id, delivery_changes.AskedChange(
                delivery_address=typed["delivery_address"] or None, delivery_phone=typed["delivery_phone"] or None,
                province=typed["province"] or None), customer_id=None, actor=actor_of(staff), now=utcnow())
        return await act_on(request, tenant, session, viewer, staff, order_id, "delivery", ask, typed=typed)
