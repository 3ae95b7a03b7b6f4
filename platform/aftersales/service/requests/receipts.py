"""The intake receipt: what a customer takes home when a unit is taken in — the request number, the unit, the
date by which the company promises a result (the ``result`` clock's due time), and, once the unit is taken in,
the checklist's answers and the customer's signature (:class:`~aftersales.service.models.UnitIntake`)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.text import loaded_text
from aftersales.identity.models import Customer
from aftersales.service.models import ServicePoint, ServiceRequest, UnitIntake
from aftersales.service.requests.schemas import ReceiptIntakeOut, ReceiptItemOut, ReceiptOut
from aftersales.tenancy.current import CurrentTenant
from aftersales.warranty.registrations.services import get_registration


async def receipt_of(session: AsyncSession, tenant: CurrentTenant, request: ServiceRequest) -> ReceiptOut:
    """The receipt of ``request``; the promised date is also given as the tenant's local date."""
    customer = await session.scalar(select(Customer).where(Customer.id == request.customer_id))
    serial = model = None
    if request.registration_id is not None:
        registered = await get_registration(session, request.registration_id)
        serial, model = registered.unit.serial, registered.model.name
    branding = tenant.record.branding
    promised = request.promised_at
    return ReceiptOut(
        company=branding.get("display_name") or tenant.record.name,
        support_phone=branding.get("support_phone"), support_email=branding.get("support_email"),
        number=request.number, opened_at=request.opened_at, kind=request.kind, summary=request.summary,
        customer_name=customer.name if customer else "", serial=serial, model=model, promised_at=promised,
        promised_local_date=promised.astimezone(tenant.calendar.zone).date().isoformat() if promised else None,
        intake=await _intake(session, request),
    )


async def _intake(session: AsyncSession, request: ServiceRequest) -> ReceiptIntakeOut | None:
    intake = await session.scalar(select(UnitIntake).where(UnitIntake.request_id == request.id))
    if intake is None:
        return None
    point = await session.scalar(select(ServicePoint).where(ServicePoint.id == intake.service_point_id))
    items = []
    for item in intake.checklist:
        given = intake.answers.get(item["code"])
        photos = item["kind"] == "photos"
        items.append(ReceiptItemOut(code=item["code"], label=loaded_text(item["label"]), kind=item["kind"],
                                    answer=None if photos else given, photos=len(given or []) if photos else 0))
    return ReceiptIntakeOut(service_point_name=point.name if point else "", items=items,
                            signer_name=intake.signer_name, signed_at=intake.signed_at, signed=True)
