"""``/my/orders``: the signed-in customer's orders, one order with its pro-forma and the date it can be paid by
(the tenant's day, in the customer's calendar: Jalali with Persian digits in Persian), its delivery, and asking to
change the delivery address or phone (refused after dispatch, with the reason shown). Another customer's order
is not found, exactly as an unknown one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from aftersales.contract.money import Money
from aftersales.db.base import utcnow
from aftersales.errors import InvalidInput
from aftersales.http.context import SessionDep, TenantDep
from aftersales.orders import services as orders
from aftersales.orders.fulfilment import cards as festival_cards
from aftersales.orders.fulfilment import changes as delivery_changes
from aftersales.orders.fulfilment.changes import PAST_DISPATCH, AskedChange
from aftersales.orders.fulfilment.moves import order_fulfilment
from aftersales.orders.models import Order, OrderState
from aftersales.tenancy.current import CurrentTenant
from aftersales.web.forms import form_fields
from aftersales.web.i18n.moments import Moments
from aftersales.web.order_views import ProFormaView, latest_proforma, order_view
from aftersales.web.page_auth import ViewerDep
from aftersales.web.page_controller import PageController
from aftersales.web.portal.account.pages import customer_actor, customer_page
from aftersales.web.portal.orders.refusals import change_reasons
from aftersales.web.portal.orders.words import WORDS
from aftersales.web.portal.rendering import Page, render

ORDER = "/my/orders/{order_id:uuid}"
LISTED = 100
"""The newest orders a customer's list shows."""


@dataclass(frozen=True)
class OrderItem:
    """An order in the customer's list: the order, its total, and its latest pro-forma."""

    order: Order
    total: Money
    proforma: ProFormaView | None


def show(page: Page, tenant: CurrentTenant, template_name: str, *, status_code: int = 200,
         **context: Any) -> Template:
    """Render an order template with ``words`` and ``when`` (instants on the tenant's clock, in the reader's
    calendar)."""
    return render(page, template_name, status_code=status_code, words=WORDS,
                  when=Moments(page.fmt, tenant.calendar.zone), **context)


class MyOrdersController(PageController):
    """The customer's orders on the portal."""

    @get("/my/orders")
    async def my_orders(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                        viewer: ViewerDep) -> Template:
        """The customer's orders, newest first, with their state, total and the pay-by date of an open
        pro-forma."""
        page, _customer_id = customer_page(request, tenant, viewer)
        now, zone = utcnow(), tenant.calendar.zone
        items = [OrderItem(found, Money(found.total_minor, found.currency),
                           await latest_proforma(session, found, now=now, zone=zone))
                 for found in await orders.list_orders(session, viewer.customer(), limit=LISTED)]
        return show(page, tenant, "orders/my_orders.html", orders=items)

    @get(ORDER)
    async def order(self, request: Request[Any, Any, Any], order_id: FromPath[UUID], tenant: TenantDep,
                    session: SessionDep, viewer: ViewerDep) -> Template:
        """One order: lines, the latest pro-forma and its expiry, the delivery and its change requests."""
        page, customer_id = customer_page(request, tenant, viewer)
        found = await orders.get_order(session, viewer.customer(), order_id)
        return await _order_page(page, tenant, session, found, customer_id)

    @post(f"{ORDER}/change")
    async def change(self, request: Request[Any, Any, Any], order_id: FromPath[UUID], tenant: TenantDep,
                     session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Ask to change the delivery address or phone: the ticket is made or refused (after dispatch, with the
        reason shown on the order); a field that cannot be read is said beside it (422) and nothing is written."""
        page, customer_id = customer_page(request, tenant, viewer)
        found = await orders.get_order(session, viewer.customer(), order_id)
        typed = await form_fields(request, "delivery_address", "delivery_phone")
        asked = AskedChange(delivery_address=typed["delivery_address"] or None,
                            delivery_phone=typed["delivery_phone"] or None)
        try:
            async with session.begin_nested():
                made = await delivery_changes.ask_change(session, tenant, found.id, asked, customer_id=customer_id,
                                                         actor=customer_actor(customer_id), now=utcnow())
        except InvalidInput as exc:
            return await _order_page(page, tenant, session, found, customer_id, status_code=422,
                                     errors=change_reasons(page, exc), typed=typed)
        return Redirect(page.url(f"/my/orders/{found.id}#change-{made.id}"), status_code=303)


async def _order_page(page: Page, tenant: CurrentTenant, session: Any, found: Order, customer_id: UUID, *,
                      status_code: int = 200, errors: dict[str, str] | None = None,
                      typed: dict[str, str] | None = None) -> Template:
    view = await order_view(session, found, now=utcnow(), zone=tenant.calendar.zone)
    delivery = await order_fulfilment(session, found.id, customer_id=customer_id)
    changes = await delivery_changes.changes_of(session, found.id, customer_id=customer_id)
    compensation = (Money(delivery.fulfilment.late_compensation_minor, found.currency)
                    if delivery.fulfilment is not None and delivery.fulfilment.late_compensation_minor else None)
    return show(page, tenant, "orders/order.html", status_code=status_code, o=found, total=view.total,
                lines=view.lines, proforma=view.proforma, delivery=delivery, compensation=compensation,
                cards=await festival_cards.cards_of(session, found.id), changes=changes,
                latest_change=changes[-1] if changes else None,
                can_change=found.state not in (*PAST_DISPATCH, OrderState.CANCELLED),
                errors=errors or {}, typed=typed or {})


