"""What a dispute's parties are told through the outbox, each in their own language: the provider when a
customer opens a dispute about its booking, the customer when the other side answers and when a settlement is
proposed, both sides when it is decided (a ruling or an accepted settlement).

A customer reads their own locale (else the tenant's); a provider has none of its own, so it reads the
tenant's. A party with neither e-mail nor phone is not messaged (they read the dispute through the portal or
their API access). Sentences are the core's (catalogue ``aftersales``), rendered per reader.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.contract.text import CORE_DOMAIN, Message, messages
from aftersales.disputes.models import Dispute
from aftersales.i18n.rendering import reader_format, render
from aftersales.identity.models import Customer
from aftersales.marketplace.models import Provider
from aftersales.outbox.messages import Message as Outgoing
from aftersales.outbox.messages import enqueue
from aftersales.tenancy.current import CurrentTenant

_ = messages(CORE_DOMAIN)

GROUNDS_SAID = {
    "charged_more_than_accepted": _("charged more than the accepted price"),
    "work_without_consent": _("work done without consent"),
    "consumables_not_as_requested": _("consumables not as requested"),
    "provider_absent": _("the provider was absent at the booked time"),
    "poor_workmanship": _("poor workmanship"),
    "claim_decision": _("the warranty claim's decision"),
    "other": _("another reason"),
}
"""The grounds as a party reads them."""
TO_CUSTOMER = {
    "for_customer": _("in your favour"), "partly": _("partly in your favour"),
    "for_respondent": _("not in your favour"), "settled": _("settled on the terms you accepted"),
}
TO_PROVIDER = {
    "for_customer": _("in the customer's favour"), "partly": _("partly in the customer's favour"),
    "for_respondent": _("in your favour"), "settled": _("settled on the terms the customer accepted"),
}


async def opened(session: AsyncSession, tenant: CurrentTenant, dispute: Dispute, *, now: datetime) -> None:
    """Tell the provider of the booking that a customer disputes it, and on what grounds."""
    company = _company(tenant)
    await _to_provider(session, tenant, dispute, "opened", now, [
        _("{company}: a customer disputes one of your bookings", company=company),
        _("Grounds: {grounds}.", grounds=GROUNDS_SAID[dispute.grounds]),
        _("The customer says: {statement}", statement=dispute.statement),
        _("Answer it with your statement through your provider access."),
    ])


async def answered(session: AsyncSession, tenant: CurrentTenant, dispute: Dispute, *, now: datetime) -> None:
    """Tell the customer what the other side answered."""
    company = _company(tenant)
    who = _("the provider") if dispute.respondent == "provider" else company
    await _to_customer(session, tenant, dispute, "answered", now, [
        _("{company}: your dispute was answered", company=company),
        _("{who} answered your dispute: {answer}", who=who, answer=dispute.answer or ""),
        _("Our staff will mediate; customer service gives the final ruling."),
    ])


async def settlement_proposed(session: AsyncSession, tenant: CurrentTenant, dispute: Dispute, *,
                              now: datetime) -> None:
    """Tell the customer the settlement the mediator proposes, which they may accept or decline."""
    lines = [_("{company}: a settlement is proposed for your dispute", company=_company(tenant)),
             _("Proposed settlement: {terms}", terms=dispute.settlement or "")]
    if dispute.settlement_refund_minor:
        lines.append(_("You would be paid back {amount}.",
                       amount=Money(dispute.settlement_refund_minor, dispute.currency)))
    lines.append(_("Accept or decline it in your account."))
    await _to_customer(session, tenant, dispute, f"settlement:{dispute.settlement_proposed_at}", now, lines)


async def decided(session: AsyncSession, tenant: CurrentTenant, dispute: Dispute, *, now: datetime) -> None:
    """Tell both sides how the dispute was decided and why (the company learns it from its own staff)."""
    company, outcome = _company(tenant), dispute.outcome or ""
    reason = dispute.ruling_reason or dispute.settlement or ""
    owed = ([_("You are owed {amount} back.", amount=Money(dispute.refund_owed_minor, dispute.currency))]
            if dispute.refund_owed_minor else [])
    await _to_customer(session, tenant, dispute, "decided", now, [
        _("{company}: your dispute was decided", company=company),
        _("Customer service decided {outcome}.", outcome=TO_CUSTOMER[outcome]),
        _("The reason: {reason}", reason=reason), *owed,
    ])
    await _to_provider(session, tenant, dispute, "decided", now, [
        _("{company}: the dispute about your booking was decided", company=company),
        _("Customer service decided {outcome}.", outcome=TO_PROVIDER[outcome]),
        _("The reason: {reason}", reason=reason),
    ])


def _company(tenant: CurrentTenant) -> str:
    return str(tenant.record.branding.get("display_name") or tenant.record.name)


async def _to_customer(session: AsyncSession, tenant: CurrentTenant, dispute: Dispute, step: str, now: datetime,
                       lines: list[Message]) -> None:
    customer = await session.scalar(select(Customer).where(Customer.id == dispute.customer_id))
    assert customer is not None  # a dispute's customer is a foreign key
    await _send(session, tenant, dispute, f"customer:{step}", customer.locale, customer.email, customer.phone, now,
                lines)


async def _to_provider(session: AsyncSession, tenant: CurrentTenant, dispute: Dispute, step: str, now: datetime,
                       lines: list[Message]) -> None:
    if dispute.provider_id is None:
        return
    provider = await session.scalar(select(Provider).where(Provider.id == dispute.provider_id))
    assert provider is not None  # a dispute's provider is a foreign key
    await _send(session, tenant, dispute, f"provider:{step}", None, provider.email, provider.phone, now, lines)


async def _send(session: AsyncSession, tenant: CurrentTenant, dispute: Dispute, step: str, locale: str | None,
                email: str | None, phone: str | None, now: datetime, lines: list[Message]) -> None:
    if not (email or phone):
        return
    reader = reader_format(locale or tenant.record.default_locale,
                           irr_as_toman=bool(tenant.record.branding.get("irr_as_toman", False)))
    said = [render(line, reader) for line in lines]
    await enqueue(session, Outgoing(
        channel="email" if email else "sms", recipient=email or phone or "", event=f"dispute.{step.split(':')[1]}",
        key=f"dispute:{dispute.id}:{step}", subject=said[0], body="\n".join(said),
        payload={"dispute_id": str(dispute.id), "state": dispute.state, "outcome": dispute.outcome,
                 "refund_owed_minor": dispute.refund_owed_minor, "currency": dispute.currency},
    ), now=now)
