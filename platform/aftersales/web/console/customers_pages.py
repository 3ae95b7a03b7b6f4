"""Customers in the console: find one by name, phone or e-mail (``/console/customers``), and their file
(``/console/customers/{id}``): devices and their coverage, requests, complaints, payments, and every activity
oldest first, downloadable as JSON or CSV through the same customer-file export as the API. Staff need
``registrations:read`` (contact details), as on the API; payments show with ``payments:read``."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Request, Response, get
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy import and_, func, or_, select

from aftersales.errors import FieldError, NotFound
from aftersales.identity.customers import normalise_contacts
from aftersales.identity.models import Customer
from aftersales.identity.scopes import PAYMENTS_READ, REGISTRATIONS_READ
from aftersales.contract.money import Money
from aftersales.payments.ledger.models import Payment
from aftersales.service.customers.services import as_csv, as_json, customer_file
from aftersales.service.models import Complaint, ServiceRequest
from aftersales.warranty.models import Coverage, ProductModel, Registration, Serial
from aftersales.web.console.console_pages import console_page, show
from aftersales.http.context import SessionDep, TenantDep
from aftersales.web.page_auth import ViewerDep
from aftersales.web.page_controller import PageController

CUSTOMER = "/console/customers/{customer_id:uuid}"
LISTED = 50
ACTIVITIES_SHOWN = 200
"""The file page shows the latest activities; the export has them all."""


def _search(text: str, country: str) -> Any:
    """The condition for ``text``: the exact phone or e-mail when it reads as one, else part of the name."""
    errors: list[FieldError] = []
    if "@" in text:
        email = normalise_contacts(None, text, country, "", errors)[1]
        return Customer.email == email if email else Customer.email == text.lower()
    if sum(c.isdigit() for c in text) >= 6:
        phone = normalise_contacts(text, None, country, "", errors)[0]
        if phone:
            return or_(Customer.phone == phone, Customer.phone.contains(text.strip(), autoescape=True))
    return func.lower(Customer.name).contains(text.strip().lower(), autoescape=True)


class ConsoleCustomerController(PageController):
    """Customer search and the customer file in the staff console."""

    @get("/console/customers")
    async def search(self, request: Request[Any, Any, Any], tenant: TenantDep, session: SessionDep,
                     viewer: ViewerDep) -> Template:
        """Customers matching the search, newest first (the newest customers when nothing is typed)."""
        viewer.staff(REGISTRATIONS_READ)
        page, clock = console_page(request, tenant, viewer)
        text = str(request.query_params.get("q") or "").strip()[:200]
        query = select(Customer).order_by(Customer.created_at.desc(), Customer.id.desc()).limit(LISTED)
        if text:
            query = query.where(_search(text, tenant.context.country))
        customers = list(await session.scalars(query))
        return show(request, page, clock, "console/customers.html", partial="console/customers_rows.html",
                    section="customers", text=text, customers=customers)

    @get(CUSTOMER)
    async def file(self, request: Request[Any, Any, Any], customer_id: FromPath[UUID], tenant: TenantDep,
                   session: SessionDep, viewer: ViewerDep) -> Template:
        """The customer's file: devices, requests, complaints, payments and the activity history."""
        staff = viewer.staff(REGISTRATIONS_READ)
        page, clock = console_page(request, tenant, viewer)
        customer = await session.scalar(select(Customer).where(Customer.id == customer_id))
        if customer is None:
            raise NotFound("no such customer")
        devices = (await session.execute(
            select(Registration, Serial.serial, ProductModel.name, Coverage.warranty_end)
            .join(Serial, and_(Serial.tenant_id == Registration.tenant_id, Serial.id == Registration.serial_id))
            .join(ProductModel, and_(ProductModel.tenant_id == Serial.tenant_id, ProductModel.id == Serial.model_id))
            .outerjoin(Coverage, and_(Coverage.tenant_id == Registration.tenant_id,
                                      Coverage.registration_id == Registration.id, Coverage.superseded_at.is_(None)))
            .where(Registration.customer_id == customer_id).order_by(Registration.created_at))).all()
        requests = list(await session.scalars(select(ServiceRequest).where(ServiceRequest.customer_id == customer_id)
                                              .order_by(ServiceRequest.opened_at.desc())))
        complaints = (await session.execute(
            select(Complaint, ServiceRequest.number, ServiceRequest.state)
            .join(ServiceRequest, and_(ServiceRequest.tenant_id == Complaint.tenant_id,
                                       ServiceRequest.id == Complaint.request_id))
            .where(ServiceRequest.customer_id == customer_id).order_by(Complaint.created_at.desc()))).all()
        payments = None
        if staff.has_scope(PAYMENTS_READ):
            payments = [(p, Money(p.amount_minor, p.currency)) for p in await session.scalars(
                select(Payment).where(Payment.customer_id == customer_id).order_by(Payment.created_at.desc()))]
        activities = await customer_file(session, customer_id)
        return show(request, page, clock, "console/customer_file.html", section="customers", customer=customer,
                    devices=devices, requests=requests, complaints=complaints, payments=payments,
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
