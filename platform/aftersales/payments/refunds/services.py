"""Refund requests: the facts the core gathers, the vertical's decision on them, and the record of both.

A request (a customer for their own payment or wallet, or staff with ``refunds:write`` for a customer) is
decided at once by ``aftersales_refund_policy`` over facts the core computes (what the payment captured and
still holds, days since the sale — the purchase date of the registered unit the refund's claim or service request
names, in the tenant's calendar — the customer's verified identity and IBAN owner).
The decision is stored with its reasons and missing requirements whatever it is: a refused request is a
record the customer can read (``refused``), not an error. A granted one waits for finance
(``awaiting_approval``) when the policy says so, else it is ``approved``. Approval, rejection and execution
are in :mod:`aftersales.payments.refunds.execution`. Every step is an event in the refund's own timeline, and
on the service request's timeline when the refund belongs to one; the customer is e-mailed through the outbox
on the decision and on execution.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.contract.text import stored_text
from aftersales.contract.values import ClaimDecision, ClaimKind, RefundDecision, RefundFacts, RefundMethod
from aftersales.errors import FieldError, InvalidInput, NotFound
from aftersales.i18n.rendering import reader_format, render_all
from aftersales.identity.models import Customer
from aftersales.identity.principals import Principal
from aftersales.outbox.events import RefundDecided, RefundExecuted
from aftersales.outbox.messages import Message, enqueue
from aftersales.outbox.webhooks import emit
from aftersales.payments import access
from aftersales.payments.ledger import services as ledger
from aftersales.payments.ledger.models import Payment
from aftersales.payments.refunds import identity as customer_identity
from aftersales.payments.refunds.models import Refund, RefundEvent
from aftersales.service.models import RequestEvent, ServiceRequest
from aftersales.tenancy.current import CurrentTenant
from aftersales.warranty.models import Claim, Registration

Source = Literal["payment", "return", "wallet_balance", "replacement_refund"]
SOURCES: tuple[str, ...] = ("payment", "return", "wallet_balance", "replacement_refund")
STATES = ("refused", "awaiting_approval", "approved", "processing", "rejected", "executed")


@dataclass(frozen=True)
class RefundAsk:
    """What a caller asks for. Amounts are minor units of the payment's (or wallet's) currency; a missing
    amount asks for everything refundable. Prices of a replacement refund are recorded by staff only."""

    source: str
    customer_id: uuid.UUID | None = None
    payment_id: uuid.UUID | None = None
    amount_minor: int | None = None
    currency: str | None = None
    method: str | None = None
    note: str = ""
    service_request_id: uuid.UUID | None = None
    claim_id: uuid.UUID | None = None
    """The warranty claim the refund comes from; by default the service request's, when it names one."""
    invoice_price_minor: int | None = None
    invoice_price_was_market_price: bool | None = None
    expert_price_minor: int | None = None


async def request_refund(session: AsyncSession, tenant: CurrentTenant, principal: Principal, ask: RefundAsk, *,
                         actor: str, now: datetime) -> Refund:
    """Ask for a refund and decide it; the request is stored whatever the decision.

    :raises InvalidInput: the ask itself is malformed (every field listed); nothing is written.
    :raises NotFound: the customer, payment or service request is not the caller's to name.
    """
    customer_id = _customer_of(principal, ask)
    payment = await _payment(session, customer_id, ask)
    origin = await refund_origin(session, customer_id, ask)
    facts = await _facts(session, tenant, principal, customer_id, payment, ask, now, origin)
    decision: RefundDecision = tenant.hooks.aftersales_refund_policy(tenant=tenant.context, refund=facts)
    method, reasons = _method(decision, facts.wanted, payment)
    granted = method is not None
    state = ("awaiting_approval" if decision.needs_finance_approval else "approved") if granted else "refused"
    refund = Refund(customer_id=customer_id, source=ask.source, payment_id=payment.id if payment else None,
                    service_request_id=ask.service_request_id, claim_id=origin.claim.id if origin.claim else None,
                    currency=facts.requested.currency,
                    requested_minor=facts.requested.amount_minor,
                    amount_minor=decision.allowed.amount_minor if granted else 0,
                    method=method.value if method else None, state=state, reasons=list(reasons),
                    requirements=list(decision.requirements), offered_methods=[m.value for m in decision.methods],
                    needs_finance_approval=decision.needs_finance_approval, facts=_facts_json(facts),
                    note=ask.note, requested_by=actor, created_at=now, updated_at=now)
    session.add(refund)
    await session.flush()
    await record(session, refund, actor, "requested", now, f"{Money(refund.requested_minor, refund.currency)} "
                 f"asked ({ask.source})" + (f": {ask.note}" if ask.note else ""))
    await record(session, refund, "policy", state, now, _summary(refund))
    await notify(session, tenant, refund, state, now)
    return refund


async def decision_for(session: AsyncSession, tenant: CurrentTenant, principal: Principal, ask: RefundAsk, *,
                       now: datetime) -> RefundDecision:
    """The decision ``ask`` would get now, recording nothing: the portal's refund form asks for what the
    policy requires (identity, IBAN) before the customer sends it. Raises as :func:`request_refund`."""
    customer_id = _customer_of(principal, ask)
    payment = await _payment(session, customer_id, ask)
    facts = await _facts(session, tenant, principal, customer_id, payment, ask, now,
                         await refund_origin(session, customer_id, ask))
    decision: RefundDecision = tenant.hooks.aftersales_refund_policy(tenant=tenant.context, refund=facts)
    return decision


def _customer_of(principal: Principal, ask: RefundAsk) -> uuid.UUID:
    errors = []
    if ask.source not in SOURCES:
        errors.append(FieldError("source", f"must be one of {', '.join(SOURCES)}"))
    if ask.method is not None and ask.method not in {m.value for m in RefundMethod}:
        errors.append(FieldError("method", f"must be one of {', '.join(m.value for m in RefundMethod)}"))
    if ask.amount_minor is not None and ask.amount_minor <= 0:
        errors.append(FieldError("amount_minor", "must be a positive whole number of minor units"))
    if ask.source in ("payment", "return") and ask.payment_id is None:
        errors.append(FieldError("payment_id", f"a {ask.source} refund names the payment"))
    if ask.source == "wallet_balance" and ask.payment_id is not None:
        errors.append(FieldError("payment_id", "a wallet balance refund names no payment"))
    priced = (ask.invoice_price_minor, ask.invoice_price_was_market_price, ask.expert_price_minor)
    if access.acts_for_customer(principal):
        errors += [FieldError(name, "recorded by staff, not by the customer")
                   for name, value in zip(("invoice_price_minor", "invoice_price_was_market_price",
                                           "expert_price_minor"), priced, strict=True) if value is not None]
    for name in ("invoice_price_minor", "expert_price_minor"):
        value = getattr(ask, name)
        if value is not None and value <= 0:
            errors.append(FieldError(name, "must be a positive whole number of minor units"))
    if not access.acts_for_customer(principal) and ask.customer_id is None:
        errors.append(FieldError("customer_id", "staff name the customer the refund is for"))
    if errors:
        raise InvalidInput("the refund request is invalid", errors)
    if access.acts_for_customer(principal):
        if ask.customer_id not in (None, principal.customer_id):
            raise NotFound("no such customer")
        return principal.customer_id
    assert ask.customer_id is not None
    return ask.customer_id


async def _payment(session: AsyncSession, customer_id: uuid.UUID, ask: RefundAsk) -> Payment | None:
    if await session.scalar(select(Customer.id).where(Customer.id == customer_id)) is None:
        raise NotFound("no such customer")
    if ask.payment_id is None:
        return None
    payment = await session.scalar(select(Payment).where(Payment.id == ask.payment_id))
    if payment is None or payment.customer_id != customer_id:
        raise NotFound("no such payment")
    return payment


@dataclass(frozen=True)
class RefundOrigin:
    """What a refund comes from beyond the payment: the warranty claim and the registered unit, if any."""

    claim: Claim | None = None
    registration: Registration | None = None

    def facts(self) -> dict[str, object]:
        """The :class:`RefundFacts` fields they give: the unit's installation state and the claim's decision."""
        registration, claim = self.registration, self.claim
        installed = None
        if registration is not None:
            installed = registration.installed_on is not None or registration.training_signed_off_on is not None
        return {"installed": installed,
                "claim_kind": ClaimKind(claim.kind) if claim else None,
                "claim_decision": ClaimDecision(claim.decision) if claim else None,
                "claim_component": claim.facts.get("component") if claim else None}


async def refund_origin(session: AsyncSession, customer_id: uuid.UUID, ask: RefundAsk) -> RefundOrigin:
    """The claim and unit ``ask`` is about: the claim it names, else its service request's; the unit of that
    claim, else of the service request. Another customer's (or tenant's) claim or request is not found; a
    claim that is not the service request's is refused.

    :raises NotFound: the claim or service request is not the customer's. :raises InvalidInput: they disagree.
    """
    request = None
    if ask.service_request_id is not None:
        request = await session.scalar(select(ServiceRequest).where(ServiceRequest.id == ask.service_request_id))
        if request is None or request.customer_id != customer_id:
            raise NotFound("no such service request")
    claim_id = ask.claim_id if ask.claim_id is not None else (request.claim_id if request else None)
    claim = registration = None
    if claim_id is not None:
        found = (await session.execute(select(Claim, Registration).join(
            Registration, (Registration.tenant_id == Claim.tenant_id) & (Registration.id == Claim.registration_id))
            .where(Claim.id == claim_id))).first()
        if found is None or found[1].customer_id != customer_id:
            raise NotFound("no such claim")
        claim, registration = found
        if request is not None and request.claim_id not in (None, claim.id):
            raise InvalidInput("the refund request is invalid", [FieldError(
                "claim_id", "is not the claim of the service request named", code="refund.claim_not_of_request")])
    elif request is not None and request.registration_id is not None:
        registration = await session.scalar(select(Registration).where(Registration.id == request.registration_id))
    return RefundOrigin(claim, registration)


async def _facts(session: AsyncSession, tenant: CurrentTenant, principal: Principal, customer_id: uuid.UUID,
                 payment: Payment | None, ask: RefundAsk, now: datetime, origin: RefundOrigin) -> RefundFacts:
    identity = await customer_identity.identity_of(session, customer_id)
    currency = payment.currency if payment else (ask.currency or tenant.record.currency)
    try:
        Money(0, currency)
    except ValueError:
        raise InvalidInput("the refund request is invalid", [FieldError("currency", "unknown currency")]) from None
    if payment is not None and ask.currency not in (None, payment.currency):
        raise InvalidInput("the refund request is invalid",
                           [FieldError("currency", f"the payment is in {payment.currency}")])
    paid = balance = None
    paid_in_full = True
    if payment is not None:
        totals = await ledger.payment_totals(session, payment.id)
        paid, paid_in_full = totals.refundable, totals.captured >= totals.amount
    days = None  # the sale is the registered unit's purchase, never the payment: unknown without a unit
    if origin.registration is not None:
        today = now.astimezone(ZoneInfo(tenant.record.time_zone)).date()
        days = (today - origin.registration.purchased_on).days
    if ask.source == "wallet_balance":
        balance = await ledger.wallet_balance(session, customer_id, currency)
    invoice = Money(ask.invoice_price_minor, currency) if ask.invoice_price_minor is not None else None
    expert = Money(ask.expert_price_minor, currency) if ask.expert_price_minor is not None else None
    default = balance or paid or invoice or Money(0, currency)
    requested = Money(ask.amount_minor, currency) if ask.amount_minor is not None else default
    if requested.amount_minor <= 0:
        field = "amount_minor" if ask.source == "replacement_refund" else ("payment_id" if payment else "currency")
        raise InvalidInput("the refund request is invalid", [FieldError(field, "there is nothing to refund")])
    return RefundFacts(
        source=ask.source,  # type: ignore[arg-type]
        requested=requested, paid=paid, paid_in_full=paid_in_full,
        identity_verified=customer_identity.identity_verified(identity),
        iban_owner_matches_national_id=customer_identity.iban_owner_matches(identity), days_since_sale=days,
        invoice_price=invoice, invoice_price_was_market_price=ask.invoice_price_was_market_price,
        expert_price=expert, wanted=RefundMethod(ask.method) if ask.method else None,
        iban_on_file=identity is not None and identity.iban is not None, wallet_balance=balance,
        purpose=payment.purpose if payment else None, **origin.facts())  # type: ignore[arg-type]


def _method(decision: RefundDecision, wanted: RefundMethod | None,
            payment: Payment | None) -> tuple[RefundMethod | None, tuple[str, ...]]:
    """The method the refund is paid by (None: refused) and the reasons to store."""
    reasons = decision.reasons
    if not decision.granted:
        return None, reasons
    usable = [m for m in decision.methods if m is not RefundMethod.ORIGINAL_PAYMENT or payment is not None]
    if wanted is not None and wanted not in usable:
        offered = ", ".join(m.value for m in usable) or "nothing"
        return None, (*reasons, f"{wanted.value} is not offered for this refund; offered: {offered}")
    if not usable:
        return None, (*reasons, "there is no payment to refund it to")
    return wanted or usable[0], reasons


def _facts_json(facts: RefundFacts) -> dict[str, object]:
    def plain(value: object) -> object:
        if isinstance(value, Money):
            return str(value)
        return value.value if isinstance(value, RefundMethod | ClaimKind | ClaimDecision) else value

    return {f.name: plain(getattr(facts, f.name)) for f in fields(facts)}


def _summary(refund: Refund) -> str:
    amount = Money(refund.amount_minor, refund.currency)
    head = {"refused": "refused", "awaiting_approval": f"{amount} by {refund.method}, awaiting finance approval",
            "approved": f"{amount} by {refund.method}, approved"}[refund.state]
    parts = [head, *refund.reasons]
    if refund.requirements:
        parts.append("missing: " + ", ".join(refund.requirements))
    return "; ".join(parts)


async def record(session: AsyncSession, refund: Refund, actor: str, kind: str, now: datetime, note: str) -> None:
    """Add a step to the refund's timeline (and the service request's, when it belongs to one)."""
    session.add(RefundEvent(refund_id=refund.id, occurred_at=now, actor=actor, kind=kind, note=note))
    if refund.service_request_id is not None:
        session.add(RequestEvent(request_id=refund.service_request_id, occurred_at=now, actor=actor, kind="refund",
                                 note=f"refund {refund.id} {kind.replace('_', ' ')}: {note}"))
    await session.flush()


SUBJECTS = {
    "refused": "your refund request was refused",
    "awaiting_approval": "your refund request is with our finance team",
    "approved": "your refund was approved",
    "rejected": "your refund was rejected",
    "processing": "your refund is on its way",
    "executed": "your refund was paid",
}


DECISIONS = frozenset({"refused", "awaiting_approval", "approved", "rejected"})
"""The steps that decide a refund (``refund.decided``); ``executed`` pays it (``refund.executed``)."""


async def notify(session: AsyncSession, tenant: CurrentTenant, refund: Refund, kind: str, now: datetime) -> None:
    """Tell subscribed endpoints about a decision or the payout (webhooks), and e-mail the customer about a
    step of their refund when they have an address."""
    if kind in DECISIONS:
        await emit(session, RefundDecided(
            refund_id=refund.id, customer_id=refund.customer_id, payment_id=refund.payment_id,
            service_request_id=refund.service_request_id, state=kind,
            decided_by="finance" if refund.decided_by else "policy", requested_minor=refund.requested_minor,
            amount_minor=0 if kind in ("refused", "rejected") else refund.amount_minor, currency=refund.currency,
            method=refund.method, decided_at=now,
        ), key=f"{refund.id}:{kind}", now=now)
    elif kind == "executed":
        await emit(session, RefundExecuted(
            refund_id=refund.id, customer_id=refund.customer_id, amount_minor=refund.amount_minor,
            currency=refund.currency, method=refund.method or "", reference=refund.reference, executed_at=now,
        ), key=refund.id, now=now)
    found = (await session.execute(select(Customer.email, Customer.locale)
                                   .where(Customer.id == refund.customer_id))).first()
    email = found.email if found else None
    if not email or kind not in SUBJECTS:
        return
    reader = reader_format(found.locale or tenant.record.default_locale,
                           irr_as_toman=bool(tenant.record.branding.get("irr_as_toman", False)))
    reasons = render_all(refund.reasons, reader)
    company = tenant.record.branding.get("display_name") or tenant.record.name
    amount = Money(refund.amount_minor or refund.requested_minor, refund.currency)
    lines = [f"{company}: {SUBJECTS[kind]} ({amount}).", *reasons]
    if refund.requirements:
        lines.append("Still needed: " + ", ".join(r.replace("_", " ") for r in refund.requirements))
    if kind == "rejected" and refund.decision_note:
        lines.append(refund.decision_note)
    await enqueue(session, Message(
        channel="email", recipient=email, event=f"refund.{kind}", key=f"refund:{refund.id}:{kind}",
        subject=f"{company}: {SUBJECTS[kind]}", body="\n".join(lines),
        payload={"refund_id": str(refund.id), "state": refund.state, "amount_minor": refund.amount_minor,
                 "currency": refund.currency, "reasons": reasons,
                 "reason_messages": [stored_text(r) for r in refund.reasons], "requirements": refund.requirements},
    ), now=now)


async def refund_state(session: AsyncSession, refund_id: uuid.UUID) -> str | None:
    """The state refund ``refund_id`` is in now, or None when there is no such refund."""
    return await session.scalar(select(Refund.state).where(Refund.id == refund_id))


async def last_events(session: AsyncSession, refund_ids: list[uuid.UUID]) -> dict[uuid.UUID, RefundEvent]:
    """The latest event of each of these refunds, by refund."""
    last: dict[uuid.UUID, RefundEvent] = {}
    if refund_ids:
        for event in await session.scalars(select(RefundEvent).where(RefundEvent.refund_id.in_(refund_ids))
                                           .order_by(RefundEvent.occurred_at, RefundEvent.id)):
            last[event.refund_id] = event
    return last


async def visible_refunds(session: AsyncSession, principal: Principal, *, state: str | None = None,
                          customer_id: uuid.UUID | None = None) -> Sequence[Refund]:
    """Refunds the caller may see, newest first: a customer only their own."""
    query = select(Refund).order_by(Refund.created_at.desc(), Refund.id.desc())
    if access.acts_for_customer(principal):
        customer_id = principal.customer_id
    if customer_id is not None:
        query = query.where(Refund.customer_id == customer_id)
    if state is not None:
        query = query.where(Refund.state == state)
    return (await session.scalars(query.limit(500))).all()


async def visible_refund(session: AsyncSession, principal: Principal, refund_id: uuid.UUID) -> Refund:
    """One refund the caller may see; another customer's (or tenant's) is not found."""
    refund = await session.scalar(select(Refund).where(Refund.id == refund_id))
    if refund is None or not access.may_see(principal, refund.customer_id):
        raise NotFound("no such refund")
    return refund


async def timeline(session: AsyncSession, refund_id: uuid.UUID) -> Sequence[RefundEvent]:
    """The refund's steps, oldest first."""
    return (await session.scalars(select(RefundEvent).where(RefundEvent.refund_id == refund_id)
                                  .order_by(RefundEvent.occurred_at, RefundEvent.id))).all()
