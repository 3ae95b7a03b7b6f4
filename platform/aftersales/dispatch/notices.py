"""What the fixed plan tells people, through the outbox: each technician their visits of the day in route order
(e-mail, in the tenant's language), and each customer their visit's day and window (SMS to their phone, else
e-mail, in their own language and calendar, the window in their digits). Each notice has its own outbox key,
so fixing twice queues one message. Sentences are the core's (catalogue ``aftersales``)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.text import CORE_DOMAIN, messages
from aftersales.dispatch.models import Technician, Visit
from aftersales.i18n.rendering import reader_format, render
from aftersales.identity.models import Customer, StaffUser
from aftersales.marketplace.models import Booking, Provider
from aftersales.outbox.messages import Message as Outgoing
from aftersales.outbox.messages import enqueue
from aftersales.service.models import ServiceRequest
from aftersales.tenancy.current import CurrentTenant

_ = messages(CORE_DOMAIN)


async def technician_address(session: AsyncSession, technician: Technician) -> str | None:
    """Where the technician's plan is sent: their own address, else their staff user's or provider's."""
    if technician.email:
        return technician.email
    if technician.staff_user_id is not None:
        return await session.scalar(select(StaffUser.email).where(StaffUser.id == technician.staff_user_id))
    return await session.scalar(select(Provider.email).where(Provider.id == technician.provider_id))


async def customer_of(session: AsyncSession, visit: Visit) -> Customer:
    """The customer of the visit's request or booking."""
    source = (select(ServiceRequest.customer_id).where(ServiceRequest.id == visit.request_id)
              if visit.request_id is not None else select(Booking.customer_id).where(Booking.id == visit.booking_id))
    customer = await session.scalar(select(Customer).where(Customer.id == source.scalar_subquery()))
    assert customer is not None  # a request's and a booking's customer are foreign keys
    return customer


async def tell_technician(session: AsyncSession, tenant: CurrentTenant, technician: Technician,
                          visits: Sequence[Visit], *, now: datetime) -> bool:
    """E-mail the technician their fixed visits of the day, in route order. False when they have no address."""
    recipient = await technician_address(session, technician)
    if not recipient or not visits:
        return False
    locale = tenant.record.default_locale
    reader = reader_format(locale)
    day = visits[0].day
    lines = [_("{company}: your visits on {day}", company=_company(tenant), day=day)]
    lines += [_("{order}. {window}: {address}", order=visit.route_order or index + 1,
                window=reader.digits(_window(visit)), address=visit.address)
              for index, visit in enumerate(visits)]
    said = [render(line, reader) for line in lines]
    digest = hashlib.sha256(",".join(sorted(str(v.id) for v in visits)).encode()).hexdigest()[:16]
    await enqueue(session, Outgoing(
        channel="email", recipient=recipient, event="dispatch.plan_fixed", key=f"plan:{technician.id}:{day}:{digest}",
        subject=said[0], body="\n".join(said),
        payload={"technician_id": str(technician.id), "day": day.isoformat(), "locale": locale,
                 "visit_ids": [str(v.id) for v in visits]}), now=now)
    return True


async def tell_customer(session: AsyncSession, tenant: CurrentTenant, visit: Visit, *, now: datetime) -> bool:
    """Tell the visit's customer its day and window (SMS, else e-mail). False when they have neither."""
    customer = await customer_of(session, visit)
    channel, recipient = ("sms", customer.phone) if customer.phone else ("email", customer.email)
    if not recipient:
        return False
    locale = customer.locale if customer.locale in tenant.record.locales else tenant.record.default_locale
    reader = reader_format(locale, irr_as_toman=bool(tenant.record.branding.get("irr_as_toman", False)))
    window = reader.digits(_window(visit))
    said = [render(line, reader) for line in (
        _("{company}: our technician visits you on {day}", company=_company(tenant), day=visit.day),
        _("Our technician will come on {day} between {window} to {address}. Please make sure someone is there.",
          day=visit.day, window=window, address=visit.address),
    )]
    await enqueue(session, Outgoing(
        channel=channel, recipient=recipient, event="dispatch.visit_fixed",
        key=f"visit:{visit.id}:{visit.day}:{_window(visit)}", subject=said[0], body="\n".join(said),
        payload={"visit_id": str(visit.id), "day": visit.day.isoformat(), "window_start": f"{visit.window_start:%H:%M}",
                 "window_end": f"{visit.window_end:%H:%M}", "locale": locale}), now=now)
    return True


def _window(visit: Visit) -> str:
    return f"{visit.window_start:%H:%M}–{visit.window_end:%H:%M}"


def _company(tenant: CurrentTenant) -> str:
    return str(tenant.record.branding.get("display_name") or tenant.record.name)
