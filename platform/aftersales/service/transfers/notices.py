"""What a unit's owner is told as it moves (seed 000: the device goes to the central workshop and back to the
customer): when it comes back from the workshop to a service office, the customer hears where to collect it, in
their language, on each channel they have (SMS, e-mail), once per leg, and the request's timeline notes it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.text import CORE_DOMAIN, messages
from aftersales.i18n.rendering import reader_format, render
from aftersales.identity.models import Customer
from aftersales.outbox.messages import Message, enqueue
from aftersales.service.models import RequestEvent, ServicePoint, ServiceRequest, UnitTransfer
from aftersales.tenancy.current import CurrentTenant

_ = messages(CORE_DOMAIN)
BACK_AT_OFFICE = "unit.back_at_office"
"""The outbox event of the notice (a message to the customer, not a webhook event)."""


async def tell_back_at_office(session: AsyncSession, tenant: CurrentTenant, request: ServiceRequest,
                              transfer: UnitTransfer, origin: ServicePoint, point: ServicePoint,
                              now: datetime) -> None:
    """Tell the customer their unit is back at service office ``point`` from the workshop ``origin``, and note on
    the request's timeline on which channels they were told."""
    if origin.kind != "workshop" or point.kind != "office":
        return
    customer = await session.scalar(select(Customer).where(Customer.id == request.customer_id))
    assert customer is not None
    locale = customer.locale if customer.locale in tenant.record.locales else tenant.record.default_locale
    reader = reader_format(locale, irr_as_toman=bool(tenant.record.branding.get("irr_as_toman", False)))
    company = tenant.record.branding.get("display_name") or tenant.record.name
    subject = render(_("{company}: your device is back (request #{number})", company=company,
                       number=request.number), reader)
    body = render(_("Your device of request #{number} is back from the central workshop at {point}.",
                    number=request.number, point=point.name), reader)
    payload = {"request_id": str(request.id), "number": request.number, "transfer_id": str(transfer.id),
               "point_id": str(point.id), "locale": locale}
    told = [channel for channel, recipient in (("sms", customer.phone), ("email", customer.email)) if recipient]
    for channel in told:
        await enqueue(session, Message(channel=channel, recipient=customer.phone if channel == "sms" else customer.email,
                                       event=BACK_AT_OFFICE, key=f"unit-back:{transfer.id}:{channel}", subject=subject,
                                       body=body, payload=payload), now=now)
    if told:
        session.add(RequestEvent(request_id=request.id, occurred_at=now, actor="system", kind="note", note=_(
            "the customer was told the device is back at {point} ({channels})", point=point.name,
            channels=", ".join(told))))
