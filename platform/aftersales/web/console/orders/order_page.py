"""An order's page (``/console/orders/{id}``): its customer, lines, pro-formas with their validity in the tenant's
calendar, the payments that fund it (to staff who may read payments), its cheque escalation, and its delivery
(warehouse, dispatch, change requests, festival cards) with the moves the reader may make next
(:mod:`.next_moves`). Another tenant's order, like an unknown one, is not
found (404)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.db.base import utcnow
from aftersales.http.context import SessionDep, TenantDep
from aftersales.identity.customers import customer_by_id
from aftersales.identity.principals import Principal
from aftersales.identity.scopes import PAYMENTS_READ
from aftersales.orders import followup
from aftersales.orders import services as orders
from aftersales.orders.fulfilment import cards as festival_cards
from aftersales.orders.fulfilment import changes as delivery_changes
from aftersales.orders.fulfilment.changes import PAST_DISPATCH
from aftersales.orders.fulfilment.moves import OrderFulfilment, order_fulfilment
from aftersales.orders.models import Order, OrderState, ProFormaState
from aftersales.orders.proformas import PAY_METHODS
from aftersales.payments.customer_payments.services import payments_of_customer
from aftersales.payments.ledger.models import Payment
from aftersales.tenancy.current import CurrentTenant
from aftersales.web.console.console_pages import console_page, show, staff_names
from aftersales.web.console.orders import access
from aftersales.web.console.orders.next_moves import next_moves
from aftersales.web.console.orders.words import OrderLabels
from aftersales.web.order_views import OrderView, order_view
from aftersales.web.page_auth import Viewer, ViewerDep
from aftersales.web.page_controller import PageController

ORDER = "/console/orders/{order_id:uuid}"


async def funding_payments(session: AsyncSession, view: OrderView) -> list[tuple[Payment, Money]]:
    """The payments that fund the order (its own, its pro-formas' and its instalments'), newest first."""
    order = view.order
    ids = {order.payment_id, *(p.proforma.payment_id for p in view.proformas),
           *(i.payment_id for i, _amount in view.instalments)} - {None}
    return [(p, Money(p.amount_minor, p.currency)) for p in await payments_of_customer(session, order.customer_id)
            if p.id in ids or (p.subject_type == "order" and p.subject_id == order.id)]


async def order_page(request: Request[Any, Any, Any], tenant: CurrentTenant, session: AsyncSession,
                     viewer: Viewer, staff: Principal, order: Order, *, status_code: int = 200,
                     problem: dict[str, Any] | None = None) -> Template:
    """The order's page; ``problem`` is a refused action's reason and what was typed."""
    page, clock = console_page(request, tenant, viewer)
    now = utcnow()
    view = await order_view(session, order, now=now, zone=tenant.calendar.zone)
    customer = await customer_by_id(session, order.customer_id)
    assert customer is not None  # an order's customer is a foreign key
    sees_delivery = staff.has_scope(access.DELIVERY_READ_SCOPE)
    delivery = await order_fulfilment(session, order.id) if sees_delivery else None
    changes = await delivery_changes.changes_of(session, order.id) if sees_delivery else []
    names = await staff_names(session, [order.created_by, *(c.requested_by for c in changes)])
    customer_actor = f"customer:{order.customer_id}"
    names[customer_actor] = page.translations.gettext("the customer")
    cutoff = followup.followup_cutoff(tenant, now)
    due = order.state == OrderState.AWAITING_PAYMENT.value and order.created_at < cutoff
    payments = await funding_payments(session, view) if staff.has_scope(PAYMENTS_READ) else None
    cards = await festival_cards.cards_of(session, order.id) if sees_delivery else []
    open_proforma = next((p for p in view.proformas if p.state == ProFormaState.OPEN.value), None)
    can_ask_change = (staff.has_scope(access.DELIVERY_CHANGE_SCOPE)
                      and order.state not in (*PAST_DISPATCH, OrderState.CANCELLED))
    offered = await next_moves(session, staff, order, delivery, tenant.today())
    return show(request, page, clock, "console/orders/order.html", status_code=status_code, section="orders",
                o=order, customer=customer, taken_by=names.get(order.created_by), total=view.total,
                lines=view.lines, proformas=view.proformas, open_proforma=open_proforma,
                instalments=view.instalments, payments=payments, follow_up=due,
                escalation_open=orders.escalation_open(order), can_take=access.can_take(staff),
                can_pay=bool(access.PAY_SCOPES & staff.scopes), can_close=staff.has_scope(access.ESCALATION_SCOPE),
                pay_methods=PAY_METHODS[order.payment_plan], delivery=delivery, changes=changes, asked_by=names,
                cards=cards, compensation=_compensation(order, delivery), can_ask_change=can_ask_change, moves=offered,
                order_labels=OrderLabels(page.translations), problem=problem or {})


def _compensation(order: Order, delivery: OrderFulfilment | None) -> Money | None:
    owed = delivery.fulfilment.late_compensation_minor if delivery and delivery.fulfilment is not None else None
    return Money(owed, order.currency) if owed else None


class ConsoleOrderController(PageController):
    """One order in the staff console."""

    @get(ORDER)
    async def order(self, request: Request[Any, Any, Any], order_id: FromPath[UUID], tenant: TenantDep,
                    session: SessionDep, viewer: ViewerDep) -> Template:
        """The order with its pro-formas, payments, escalation and delivery."""
        staff = access.reader(viewer)
        return await order_page(request, tenant, session, viewer, staff,
                                await orders.get_order(session, staff, order_id))
