"""Pro-forma invoices: issued for an order with a validity the vertical gives, paid while valid (the payment
funds the order through the payments flows), and checked against the order at issue — a pro-forma listing a
product the order does not have, or one out of stock, is a store violation: a ``store_violation`` complaint
against the store, linked to the order, and the pro-forma is void.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.errors import Conflict, FieldError, InvalidInput, NotFound
from aftersales.http.bodies import beyond_cap
from aftersales.identity.customers import CustomerDetails
from aftersales.identity.models import Customer
from aftersales.orders import notices
from aftersales.orders import services as orders
from aftersales.orders.models import Order, OrderInstalment, OrderState, PaymentPlan, ProForma, ProFormaState
from aftersales.orders.terms import order_terms, proforma_valid_until
from aftersales.payments.customer_payments import services as payments
from aftersales.service.complaints import services as complaints
from aftersales.service.models import Complaint
from aftersales.settings import Settings
from aftersales.tenancy.current import CurrentTenant
from aftersales.warranty.models import ProductModel

MAX_REFERENCE = 120
ORDER_SUBJECT = "order"
"""The payments' ``subject_type`` of an order's funding payment."""
PAY_METHODS = {PaymentPlan.CASH.value: ("cash", "bank_transfer"), PaymentPlan.CHEQUE.value: ("cheque",),
               PaymentPlan.CREDIT.value: ("cash", "bank_transfer")}
"""How each plan's pro-forma is paid: cash (or a transfer), the cheque itself, or credit's first instalment."""


@dataclass(frozen=True)
class ListedLine:
    """A line as the store lists it on the pro-forma (by default: the order's own lines)."""

    sku: str
    quantity: int
    unit_price_minor: int


@dataclass(frozen=True)
class Issued:
    """A pro-forma just issued, and the store violation it raised (None when it matches the order)."""

    proforma: ProForma
    violation: Complaint | None


async def issue_proforma(session: AsyncSession, tenant: CurrentTenant, order: Order, *, actor: str, now: datetime,
                         store: str | None = None, lines: tuple[ListedLine, ...] | None = None) -> Issued:
    """Issue a pro-forma for an order awaiting payment; earlier open ones are void. Valid until the end of the
    vertical's last business day (:func:`~aftersales.orders.terms.proforma_valid_until`). The customer is told
    its total and last day (:func:`~aftersales.orders.notices.proforma_issued`) unless it is a store violation.

    :raises Conflict: the order is not awaiting payment.
    :raises InvalidInput: a listed line with an unknown SKU or a bad quantity or price.
    """
    if order.state != OrderState.AWAITING_PAYMENT.value:
        raise Conflict(f"the order is {order.state}: a pro-forma is issued only while it awaits payment",
                       code="order.not_awaiting_payment", params={"state": order.state})
    ordered = await orders.lines_of(session, order.id)
    store_name = orders.clean_text(store) or order.store
    if store_name is not None and len(store_name) > orders.MAX_STORE:
        raise InvalidInput("the pro-forma cannot be issued",
                           [FieldError("store", f"must be at most {orders.MAX_STORE} characters")])
    if lines is None:
        listed = [(model, line.quantity, line.unit_price_minor) for line, model in ordered]
    else:
        listed = await _listed(session, lines)
    total = sum(quantity * price for _, quantity, price in listed)
    if problems := beyond_cap("lines", Money(total, order.currency), "the pro-forma's total"):
        raise InvalidInput("the pro-forma cannot be issued", problems)
    await orders.void_open_proformas(session, order.id)
    terms = order_terms(tenant)
    proforma = ProForma(
        order_id=order.id, issued_at=now, issued_by=actor, store=store_name,
        valid_until=proforma_valid_until(tenant, now, terms.proforma_valid_business_days),
        state=ProFormaState.OPEN.value, total_minor=total, currency=order.currency, created_at=now,
        lines=[{"product_model_id": str(model.id), "sku": model.sku, "quantity": quantity,
                "unit_price_minor": price, "in_stock": model.in_stock} for model, quantity, price in listed])
    session.add(proforma)
    await session.flush()
    mismatches = _mismatches(listed, {model.id for _, model in ordered})
    violation = None
    if mismatches:
        violation = await _file_violation(session, tenant, order, proforma, mismatches, actor=actor, now=now)
        proforma.state, proforma.violation_complaint_id = ProFormaState.VOID.value, violation.id
        await session.flush()
    else:
        await notices.proforma_issued(session, tenant, order, proforma, now=now)
    return Issued(proforma, violation)


async def _listed(session: AsyncSession, lines: tuple[ListedLine, ...]) -> list[tuple[ProductModel, int, int]]:
    errors: list[FieldError] = []
    if not lines or len(lines) > orders.MAX_LINES:
        raise InvalidInput("the pro-forma cannot be issued",
                           [FieldError("lines", f"list 1 to {orders.MAX_LINES} lines")])
    found = {m.sku: m for m in await session.scalars(
        select(ProductModel).where(ProductModel.sku.in_({line.sku.strip() for line in lines})))}
    listed = []
    for i, line in enumerate(lines):
        model = found.get(line.sku.strip())
        if model is None:
            errors.append(FieldError(f"lines.{i}.sku", "no such product in the catalogue"))
        if not 1 <= line.quantity <= orders.MAX_QUANTITY:
            errors.append(FieldError(f"lines.{i}.quantity", f"must be between 1 and {orders.MAX_QUANTITY}"))
        if line.unit_price_minor < 0:
            errors.append(FieldError(f"lines.{i}.unit_price_minor", "must not be negative"))
        if model is not None:
            listed.append((model, line.quantity, line.unit_price_minor))
    if errors:
        raise InvalidInput("the pro-forma cannot be issued", errors)
    return listed


def _mismatches(listed: list[tuple[ProductModel, int, int]], ordered: set[uuid.UUID]) -> list[str]:
    """What makes the pro-forma a store violation, in words for the complaint (empty when it matches)."""
    found = []
    for model, _, _ in listed:
        if model.id not in ordered:
            found.append(f"{model.sku} ({model.name}) is listed but was not ordered")
        if not model.in_stock:
            found.append(f"{model.sku} ({model.name}) was out of stock when the pro-forma was issued")
    return found


async def _file_violation(session: AsyncSession, tenant: CurrentTenant, order: Order, proforma: ProForma,
                          mismatches: list[str], *, actor: str, now: datetime) -> Complaint:
    customer = await session.scalar(select(Customer).where(Customer.id == order.customer_id))
    assert customer is not None
    store = proforma.store or "the store"
    summary = (f"Store violation on order {order.number}: the pro-forma issued by {store} does not match the order"
               f" — {'; '.join(mismatches)}.")
    complaint = await complaints.file_complaint(session, tenant, complaints.NewComplaint(
        channel="portal" if order.channel == "portal" else "phone", subject="store_violation", summary=summary,
        customer=CustomerDetails(name=customer.name, phone=customer.phone, email=customer.email),
        contractor=store), actor=actor, now=now)
    complaint.order_id = order.id
    await session.flush()
    return complaint


async def proformas_of(session: AsyncSession, order_id: uuid.UUID) -> list[ProForma]:
    """The order's pro-formas, newest first."""
    return list(await session.scalars(select(ProForma).where(ProForma.order_id == order_id)
                                      .order_by(ProForma.issued_at.desc(), ProForma.id)))


async def violations_of(session: AsyncSession, order_id: uuid.UUID) -> list[Complaint]:
    """The store violation complaints linked to the order."""
    return list(await session.scalars(select(Complaint).where(Complaint.order_id == order_id)))


def expired(proforma: ProForma, now: datetime) -> bool:
    """The pro-forma's last valid business day has ended."""
    return now >= proforma.valid_until


@dataclass(frozen=True)
class Payment:
    """How a pro-forma is paid: the method and, for a cheque or a transfer, its number or bank reference."""

    method: str
    reference: str | None = None


async def pay_proforma(session: AsyncSession, settings: Settings, order: Order, proforma_id: uuid.UUID,
                       paid: Payment, *, actor: str, now: datetime) -> ProForma:
    """Pay an open, valid pro-forma: the payment (purpose ``order``, subject the order) is recorded through the
    payments flows — cash funds the order at once, a cheque once it clears, credit once the first instalment
    (what is paid here) is captured.

    :raises Conflict: the pro-forma expired (code ``proforma.expired``, the instant in ``params``), was paid or
        void, or the order does not await payment.
    :raises InvalidInput: a method the plan does not take, or a cheque without its number.
    """
    proforma = await session.scalar(select(ProForma).where(ProForma.id == proforma_id,
                                                           ProForma.order_id == order.id).with_for_update())
    if proforma is None:
        raise NotFound("no such pro-forma")
    if order.state != OrderState.AWAITING_PAYMENT.value:
        raise Conflict(f"the order is {order.state}", code="order.not_awaiting_payment",
                       params={"state": order.state})
    if proforma.state == ProFormaState.OPEN.value and expired(proforma, now):
        proforma.state = ProFormaState.EXPIRED.value
        await session.flush()
    if proforma.state == ProFormaState.EXPIRED.value:
        raise Conflict(f"the pro-forma expired at {proforma.valid_until.isoformat()}: ask for a new one",
                       code="proforma.expired", params={"valid_until": proforma.valid_until.isoformat()})
    if proforma.state != ProFormaState.OPEN.value:
        raise Conflict(f"the pro-forma is {proforma.state}", code="proforma.not_open",
                       params={"state": proforma.state})
    methods = PAY_METHODS[order.payment_plan]
    if paid.method not in methods:
        raise InvalidInput("the pro-forma cannot be paid so", [FieldError(
            "method", f"a {order.payment_plan} order is paid by {' or '.join(methods)}")])
    if paid.reference is not None and len(paid.reference.strip()) > MAX_REFERENCE:
        raise InvalidInput("the pro-forma cannot be paid so", [FieldError(
            "reference", f"must be at most {MAX_REFERENCE} characters")])
    amount = proforma.total_minor
    first: OrderInstalment | None = None
    if order.payment_plan == PaymentPlan.CREDIT.value:
        first = (await orders.instalments_of(session, order.id) or [None])[0]
        amount = first.amount_minor if first is not None else amount
    started = await payments.start_payment(session, settings, payments.NewPayment(
        customer_id=order.customer_id, purpose="order", amount_minor=amount, currency=order.currency,
        provider="offline", method=paid.method, subject_type=ORDER_SUBJECT, subject_id=order.id,
        reference=paid.reference, description=f"order {order.number}"), actor=actor, now=now)
    payment = started.payment
    proforma.state, proforma.paid_at, proforma.payment_id = ProFormaState.PAID.value, now, payment.id
    order.payment_id, order.updated_at = payment.id, now
    if first is not None:
        first.payment_id = payment.id
    if payment.state == "captured":
        if first is not None:
            first.paid_at = now
        await orders.mark_funded(session, order, payment_id=payment.id, now=now)
    await session.flush()
    return proforma
