"""Customers in the console: find one by name, phone or e-mail (``/console/customers``), and their file
(``/console/customers/{id}``): devices and their coverage, requests, orders (to staff who may read them),
complaints, payments, and every activity
oldest first, downloadable as JSON or CSV through the same customer-file export as the API. Staff need
``registrations:read`` (contact details), as on the API; payments show with ``payments:read``."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Request, Response, get
from litestar.params import FromPath
from litestar.response import Template

from aftersales.contract.money import Money
from aftersales.errors import NotFound
from aftersales.http.context import SessionDep, TenantDep
from aftersales.identity.customers import customer_by_id, search_customers
from aftersales.identity.scopes import PAYMENTS_READ, REGISTRATIONS_READ
from aftersales.orders.services import list_orders
from aftersales.payments.customer_payments.services import payments_of_customer
from aftersales.service.customers.services import (
    as_csv,
    as_json,
    customer_complaints,
    customer_devices,
    customer_file,
    customer_requests,
)
from aftersales.web.console.console_pages import console_page, show
from aftersales.web.console.orders import access as order_access
from aftersales.web.console.orders.words import OrderLabels
from aftersales.web.page_auth import ViewerDep
from aftersales.web.page_controller import PageController

CUSTOMER = "/console/customers/{customer_id:uuid}"
LISTED = 50
ACTIVITIES_SHOWN = 200
"""The file page shows the latest activities; the export has them all."""


class ConsoleCustomerController(PageController):
    """Customer search and the customer file in the staff console."""

    @get("/console/customers")
    async def search(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                     viewer: ViewerDep) -> Template:
        """Customers matching the search, newest first (the newest customers when nothing is typed)."""
        viewer.staff(REGISTRATIONS_READ)
        page, clock = console_page(request, tenant, viewer)
        text = str(request.query_params.get("q") or "").strip()[:200]
        customers = await search_customers(session, text, tenant.context.country, limit=LISTED)
        return show(request, page, clock, "console/customers.html", partial="console/customers_rows.html",
                    section="customers", text=text, customers=customers)

    @get(CUSTOMER)
    async def file(self, request: Request[Any, Any, Any], customer_id: FromPath[UUID], tenant: TenantDep,
                   session: SessionDep, viewer: ViewerDep) -> Template:
        """The customer's file: devices, requests, complaints, payments and the activity history."""
        staff = viewer.staff(REGISTRATIONS_READ)
        page, clock = console_page(request, tenant, viewer)
        customer = await customer_by_id(session, customer_id)
        if customer is None:
            raise NotFound("no such customer")
        devices = await customer_devices(session, customer_id)
        requests = await customer_requests(session, customer_id)
        complaints = await customer_complaints(session, customer_id)
        payments = None
        if staff.has_scope(PAYMENTS_READ):
            payments = [(p, Money(p.amount_minor, p.currency))
                        for p in await payments_of_customer(session, customer_id)]
        orders = None
        if order_access.READ_SCOPES & staff.scopes:
            orders = [(o, Money(o.total_minor, o.currency))
                      for o in await list_orders(session, staff, customer_id=customer_id, limit=LISTED)]
        activities = await customer_file(session, customer_id)
        return show(request, page, clock, "console/customer_file.html", section="customers", customer=customer,
                    devices=devices, requests=requests, complaints=complaints, payments=payments, orders=orders,
                    order_labels=OrderLabels(page.translations),
                    activities=list(reversed(activities))[:ACTIVITIES_SHOWN], activity_count=len(activities),
                    today=tenant.today())

    @get([f"{CUSTOMER}/export.json", f"{CUSTOMER}/export.csv"])
    async def export(self, request: Request[Any, Any, Any], customer_id: FromPath[UUID], session: SessionDep,
                     viewer: ViewerDep) -> Response[str]:
        """The whole file as a download: ``export.json`` or ``export.csv`` (the API's export)."""
        viewer.staff(REGISTRATIONS_READ)
        activities = await customer_file(session, customer_id)
        if request.url.path.endswith(".csv"):
            return Response(as_csv(activities), media_type="text/csv; charset=utf-8", headers={
                "Content-Disposition": f'attachment; filename="customer-{customer_id}.csv"'})
        return Response(as_json(activities), media_type="application/json", headers={
            "Content-Disposition": f'attachment; filename="customer-{customer_id}.json"'})
