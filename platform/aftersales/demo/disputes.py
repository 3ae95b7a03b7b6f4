"""Demo data for disputes (issue 19 §2.7): the demo customer of each marketplace tenant (Carmax, Yizhongyi) has a
dispute in mediation with a provider — about the finished job the marketplace demo charged, the provider's
answer heard and a mediator's note kept — and one customer service ruled on — about the open repair request on
the demo unit, answered by the company and decided with the reason both sides read.

Both go through the disputes service (so the moves, notices and webhook events are the real ones). Run after
the marketplace and service demos, whose bookings and request they are about. Idempotent: a tenant with disputes
is left alone.
"""

from __future__ import annotations

from sqlalchemy import select

from aftersales.db.base import utcnow
from aftersales.disputes import services as disputes
from aftersales.disputes.models import Dispute
from aftersales.identity.models import Customer
from aftersales.identity.principals import Principal
from aftersales.marketplace.models import Booking
from aftersales.runtime import Runtime
from aftersales.service.models import ServiceRequest
from aftersales.tenancy.current import bind_tenant
from aftersales.tenancy.models import Tenant

DEMO_TENANTS = ("carmax", "yizhongyi")
MEDIATED = ("charged_more_than_accepted",
            "The invoice is higher than the quote I accepted; nobody told me about the difference.")
"""The booking dispute's grounds and the customer's statement."""
PROVIDER_ANSWER = "The price rose because a part had to be ordered in; we said so on the phone."
MEDIATOR_NOTE = "Called both sides: the call is not in the provider's records. Asking for the parts invoice."
RULED = ("other", "I was asked three times for the purchase invoice I had already sent.")
"""The request dispute's grounds and the customer's statement."""
COMPANY_ANSWER = "The first copy was unreadable; we asked again, but should have said why."
RULING = disputes.Ruling(outcome="partly", reason="The invoice was asked for again with cause, but the customer was "
                                                  "not told why; the repair's clock is not paused for those days.")


async def seed_demo_disputes(runtime: Runtime, tenant: Tenant) -> int:
    """Give ``tenant``'s demo customer a dispute in mediation and one ruled; returns how many were opened (0 when
    the tenant is not in :data:`DEMO_TENANTS`, has no demo customer, booking or request, or has disputes)."""
    if tenant.slug not in DEMO_TENANTS:
        return 0
    current = bind_tenant(tenant, runtime.plugins)
    async with runtime.db.transaction(tenant.id) as session:
        if await session.scalar(select(Dispute.id).limit(1)) is not None:
            return 0
        customer = await session.scalar(select(Customer).where(Customer.email == f"customer@{tenant.slug}-demo.com"))
        if customer is None:
            return 0
        done = await session.scalar(select(Booking).where(Booking.customer_id == customer.id,
                                                          Booking.state == "completed").limit(1))
        request = await session.scalar(select(ServiceRequest).where(ServiceRequest.customer_id == customer.id)
                                       .order_by(ServiceRequest.opened_at).limit(1))
        if done is None or request is None:
            return 0
        me = Principal(kind="customer", subject=str(customer.id), tenant_id=tenant.id, customer_id=customer.id)
        staff = Principal(kind="staff", subject="demo-mediator", tenant_id=tenant.id)
        works = Principal(kind="staff", subject="demo-provider", tenant_id=tenant.id, provider_id=done.provider_id)
        now = utcnow()
        mediated = await disputes.open_dispute(session, current, me, disputes.NewDispute("booking", done.id, *MEDIATED),
                                               actor=f"customer:{customer.id}", now=now)
        await disputes.answer(session, current, works, mediated.id, PROVIDER_ANSWER, actor="staff:demo-provider",
                              now=now)
        await disputes.start_mediation(session, mediated.id, staff=staff, actor="staff:demo-mediator", now=now)
        await disputes.add_note(session, mediated.id, MEDIATOR_NOTE, staff=staff, actor="staff:demo-mediator",
                                now=now)
        ruled = await disputes.open_dispute(session, current, me, disputes.NewDispute("request", request.id, *RULED),
                                            actor=f"customer:{customer.id}", now=now)
        await disputes.answer(session, current, staff, ruled.id, COMPANY_ANSWER, actor="staff:demo-mediator", now=now)
        await disputes.rule(session, current, ruled.id, RULING, staff=staff, actor="staff:demo-mediator", now=now)
    return 2

