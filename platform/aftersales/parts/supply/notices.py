"""What a service request's customer is told about the parts their repair waits for, in their own language and
calendar (a Persian reader gets the Jalali date): a back-order delays the repair until its expected date, and the
part has arrived.

One message per notice, by SMS when the customer has a phone, else by e-mail (none without either); each has its
own outbox key, so telling twice queues one message; the request's timeline notes that the customer was told.
Sentences are the core's (catalogue ``aftersales``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.text import CORE_DOMAIN, Message, messages
from aftersales.i18n.rendering import reader_format, render
from aftersales.identity.models import Customer
from aftersales.outbox.messages import Message as Outgoing
from aftersales.outbox.messages import enqueue
from aftersales.parts.supply.catalogue import part_name
from aftersales.parts.supply.models import Backorder
from aftersales.service.models import RequestEvent, ServiceRequest
from aftersales.service.quotes.models import PartPrice
from aftersales.tenancy.current import CurrentTenant

_ = messages(CORE_DOMAIN)


async def repair_delayed(session: AsyncSession, tenant: CurrentTenant, request: ServiceRequest, backorder: Backorder,
                         part: PartPrice, *, now: datetime) -> bool:
    """Tell the customer their repair waits for a part ordered from the supplier, expected on a day."""
    company = _company(tenant)
    return await _tell(session, tenant, request, backorder, part, event="parts.backordered", now=now, lines=lambda name: [
        _("{company}: your repair #{number} is waiting for a part", company=company, number=request.number),
        _("Your repair #{number} needs a part we have ordered ({part}). We expect it on {expected}; we will tell "
          "you when it arrives.", number=request.number, part=name, expected=backorder.expected_on),
    ])


async def part_arrived(session: AsyncSession, tenant: CurrentTenant, request: ServiceRequest, backorder: Backorder,
                       part: PartPrice, *, now: datetime) -> bool:
    """Tell the customer the part their repair waited for has arrived."""
    company = _company(tenant)
    return await _tell(session, tenant, request, backorder, part, event="parts.arrived", now=now, lines=lambda name: [
        _("{company}: the part for your repair #{number} has arrived", company=company, number=request.number),
        _("The part your repair #{number} was waiting for ({part}) has arrived; the repair goes on.",
          number=request.number, part=name),
    ])


async def _tell(session: AsyncSession, tenant: CurrentTenant, request: ServiceRequest, backorder: Backorder,
                part: PartPrice, *,
                event: str, lines: Callable[[str], list[Message]], now: datetime) -> bool:
    """Queue the message ``lines`` gives for the part's name in the customer's language, and note it on the
    request's timeline."""
    customer = await session.scalar(select(Customer).where(Customer.id == request.customer_id))
    assert customer is not None  # a request's customer is a foreign key
    channel, recipient = ("sms", customer.phone) if customer.phone else ("email", customer.email)
    if not recipient:
        return False
    locale = customer.locale if customer.locale in tenant.record.locales else tenant.record.default_locale
    reader = reader_format(locale, irr_as_toman=bool(tenant.record.branding.get("irr_as_toman", False)))
    said = [render(line, reader) for line in lines(part_name(part, locale))]
    await enqueue(session, Outgoing(
        channel=channel, recipient=recipient, event=event, key=f"backorder:{backorder.id}:{event}", subject=said[0],
        body="\n".join(said), payload={"request_id": str(request.id), "number": request.number,
                                       "backorder_id": str(backorder.id), "locale": locale,
                                       "expected_on": backorder.expected_on.isoformat()}), now=now)
    session.add(RequestEvent(request_id=request.id, occurred_at=now, actor="system", kind="note",
                             note=_("the customer was told ({channel})", channel=channel)))
    return True


def _company(tenant: CurrentTenant) -> str:
    return str(tenant.record.branding.get("display_name") or tenant.record.name)
