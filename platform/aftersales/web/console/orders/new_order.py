"""Taking an order for a customer (``/console/orders/new``): an agent chooses the customer (from their file, or
by name and phone), the products, the payment plan (a credit order with its instalments) and the delivery, and
the orders service takes it as the API's ``POST /api/v1/orders`` does. A refusal shows the form again with each
field's reason (422) and writes nothing; a taken order opens its page."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template

from aftersales.contract.money import Money
from aftersales.db.base import utcnow
from aftersales.errors import InvalidInput
from aftersales.http.context import SessionDep, TenantDep
from aftersales.identity.customers import customer_by_id
from aftersales.orders import services as orders
from aftersales.orders.models import PaymentPlan
from aftersales.tenancy.current import CurrentTenant
from aftersales.warranty.catalog import list_models
from aftersales.web.console.console_pages import actor_of, console_page, parse_id, show
from aftersales.web.console.orders import access
from aftersales.web.console.orders.order_form import (
    INSTALMENT_ROWS,
    LINE_ROWS,
    OrderForm,
    new_order,
    refusal_reasons,
)
from aftersales.web.console.orders.words import OrderLabels
from aftersales.web.page_auth import Viewer, ViewerDep
from aftersales.web.page_controller import PageController


async def _form(request: Request[Any, Any, Any], tenant: CurrentTenant, session: Any, viewer: Viewer,
                form: OrderForm, *, status_code: int = 200) -> Template:
    page, clock = console_page(request, tenant, viewer)
    customer = None
    if (customer_id := parse_id(form.get("customer_id"))) is not None:
        customer = await customer_by_id(session, customer_id)
    products = [m for m in await list_models(session) if m.active]
    return show(request, page, clock, "console/orders/new.html", status_code=status_code, section="orders",
                tab="new", form=form, customer=customer, products=products, plans=list(PaymentPlan),
                line_rows=range(LINE_ROWS), instalment_rows=range(INSTALMENT_ROWS), currency=tenant.record.currency,
                money=lambda minor: Money(minor, tenant.record.currency), order_labels=OrderLabels(page.translations),
                can_take=True)


class ConsoleNewOrderController(PageController):
    """The console's order form."""

    @get("/console/orders/new")
    async def form(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                   viewer: ViewerDep) -> Template:
        """The empty form; ``?customer=<id>`` takes the order for that customer."""
        viewer.staff(access.TAKE_SCOPE)
        return await _form(request, tenant, session, viewer,
                           OrderForm({"customer_id": str(request.query_params.get("customer") or ""),
                                      "payment_plan": PaymentPlan.CASH.value, "quantity_0": "1"}))

    @post("/console/orders/new")
    async def take(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                   viewer: ViewerDep) -> Template | Redirect:
        """Take the order and open its page; the form again with the reasons (422) when it is refused."""
        staff = viewer.staff(access.TAKE_SCOPE)
        page = console_page(request, tenant, viewer)[0]
        form = OrderForm.read(await request.form())
        asked = new_order(form, page, tenant.record.currency)
        if asked is not None:
            try:
                async with session.begin_nested():
                    taken = await orders.create_order(session, tenant, staff, asked, actor=actor_of(staff),
                                                      now=utcnow())
                return Redirect(page.url(f"/console/orders/{taken.id}"), status_code=303)
            except InvalidInput as exc:
                form.errors.update(refusal_reasons(page, exc))
        return await _form(request, tenant, session, viewer, form, status_code=422)
