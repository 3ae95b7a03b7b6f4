"""The order desk's lists: every order (``/console/orders``, filtered by state and by whether it is due for
follow-up), the follow-up list of orders not funded within the vertical's period (``/console/orders/follow-up``),
and the open cheque escalations (``/console/orders/escalations``), through the orders services. Reading needs
``requests:read`` or ``payments:read``, as the API; an unknown filter value is dropped and said (422)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request, get
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.db.base import utcnow
from aftersales.http.context import SessionDep, TenantDep
from aftersales.identity.customers import customer_names
from aftersales.orders import followup
from aftersales.orders import services as orders
from aftersales.orders.models import Order, OrderState
from aftersales.orders.terms import order_terms
from aftersales.web.console.console_pages import console_page, show
from aftersales.web.console.orders import access
from aftersales.web.console.orders.words import OrderLabels
from aftersales.web.forms import field
from aftersales.web.page_auth import ViewerDep
from aftersales.web.page_controller import PageController

LISTED = 200
"""The list shows the newest orders; a filter narrows it."""
FOLLOW_UP_FILTERS = ("due",)


@dataclass(frozen=True)
class OrderRow:
    """An order in a list: whose, how much, and whether it needs a call or waits on finance."""

    order: Order
    customer: str
    total: Money
    follow_up: bool
    escalated: bool


@dataclass(frozen=True)
class Which:
    """The list's filter as the query string asked for it."""

    state: str = ""
    follow_up: str = ""


async def rows_of(session: AsyncSession, found: list[Order], due: set[Any]) -> list[OrderRow]:
    """The orders as list rows (``due``: ids of orders on the follow-up list)."""
    names = await customer_names(session, {o.customer_id for o in found})
    return [OrderRow(o, names.get(o.customer_id, "—"), Money(o.total_minor, o.currency), o.id in due,
                     orders.escalation_open(o)) for o in found]


def _which(request: Request[Any, Any, Any]) -> tuple[Which, set[str]]:
    params = request.query_params
    state, follow_up = field(params, "state"), field(params, "follow_up")
    bad = set()
    if state and state not in OrderState.__members__.values():
        bad.add("state")
        state = ""
    if follow_up and follow_up not in FOLLOW_UP_FILTERS:
        bad.add("follow_up")
        follow_up = ""
    return Which(state, follow_up), bad


class ConsoleOrderDeskController(PageController):
    """The order list, the follow-up list and cheque escalations."""

    @get("/console/orders")
    async def order_list(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                         viewer: ViewerDep) -> Template:
        """Orders, newest first, in one state and/or due for follow-up (the rows alone for HTMX)."""
        staff = access.reader(viewer)
        page, clock = console_page(request, tenant, viewer)
        which, bad = _which(request)
        due_orders = await followup.followup_list(session, tenant, utcnow(), limit=LISTED)
        due = {o.id for o in due_orders}
        if which.follow_up == "due":
            found = [o for o in due_orders if not which.state or o.state == which.state]
        else:
            found = await orders.list_orders(session, staff, state=which.state or None, limit=LISTED + 1)
        return show(request, page, clock, "console/orders/list.html", partial="console/orders/rows.html",
                    status_code=422 if bad else 200, section="orders", tab="list", which=which, bad=bad,
                    states=list(OrderState), rows=await rows_of(session, found[:LISTED], due),
                    truncated=len(found) > LISTED, order_labels=OrderLabels(page.translations),
                    can_take=access.can_take(staff), empty_text=page.translations.gettext("No order matches."))

    @get("/console/orders/follow-up")
    async def follow_up(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                        viewer: ViewerDep) -> Template:
        """Orders not funded within the vertical's period, oldest first: the customers to call."""
        staff = access.reader(viewer)
        page, clock = console_page(request, tenant, viewer)
        due = await followup.followup_list(session, tenant, utcnow(), limit=LISTED + 1)
        return show(request, page, clock, "console/orders/follow_up.html", section="orders", tab="follow_up",
                    rows=await rows_of(session, due[:LISTED], {o.id for o in due}), truncated=len(due) > LISTED,
                    followup_days=order_terms(tenant).unfunded_followup_days,
                    order_labels=OrderLabels(page.translations),
                    can_take=access.can_take(staff),
                    empty_text=page.translations.gettext("No unfunded order is due for follow-up."))

    @get("/console/orders/escalations")
    async def escalations(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                          viewer: ViewerDep) -> Template:
        """Orders whose funding cheque is escalated to finance and not closed, oldest escalation first; finance
        closes one with a note."""
        staff = access.reader(viewer)
        return await escalations_page(request, tenant, session, viewer, staff)


async def escalations_page(request: Request[Any, Any, Any], tenant: Any, session: AsyncSession, viewer: Any,
                           staff: Any, *, status_code: int = 200, problem: dict[str, Any] | None = None) -> Template:
    """The open cheque escalations; ``problem`` is a refused close's reason and what was typed."""
    page, clock = console_page(request, tenant, viewer)
    found = await followup.open_escalations(session, limit=LISTED)
    return show(request, page, clock, "console/orders/escalations.html", status_code=status_code, section="orders",
                tab="escalations", rows=await rows_of(session, found, set()),
                order_labels=OrderLabels(page.translations), can_take=access.can_take(staff),
                can_close=staff.has_scope(access.ESCALATION_SCOPE), problem=problem or {})
