"""Taking an order and reading it: the customer (with their national ID when the vertical asks for it), the
lines from the catalogue, the payment plan and a credit order's instalment schedule; and the moves the orders
domain owns: funded, cancelled.

A customer token reaches only that customer's orders; another's is answered 404, as a missing one is.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pycountry
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.errors import Conflict, FieldError, InvalidInput, NotFound
from aftersales.http.bodies import beyond_cap
from aftersales.identity.customers import CustomerDetails, find_or_create_customer_id, validate_customer
from aftersales.identity.models import Customer
from aftersales.identity.principals import Principal
from aftersales.orders.models import (
    Order,
    OrderCounter,
    OrderInstalment,
    OrderLine,
    OrderState,
    PaymentPlan,
    ProForma,
    ProFormaState,
)
from aftersales.orders.terms import order_terms
from aftersales.outbox.events import OrderCancelled, OrderCreated, OrderFunded
from aftersales.outbox.webhooks import emit
from aftersales.payments.refunds import identity
from aftersales.tenancy.current import CurrentTenant
from aftersales.warranty.models import ProductModel

PLANS: tuple[str, ...] = tuple(plan.value for plan in PaymentPlan)
CHANNELS = ("agent", "portal")
MAX_LINES = 50
MAX_QUANTITY = 1000
MAX_INSTALMENTS = 60
MAX_TEXT = 500
MAX_STORE = 200
MAX_SCHEDULE_YEARS = 10
"""A credit schedule runs at most this many years from the order."""


@dataclass(frozen=True)
class NewLine:
    """A product ordered by its SKU; the unit price is the catalogue's list price unless staff give one."""

    sku: str
    quantity: int
    unit_price_minor: int | None = None


@dataclass(frozen=True)
class NewInstalment:
    """One instalment of a credit order: the day it is due and how much."""

    due_on: date
    amount_minor: int


@dataclass(frozen=True)
class NewOrder:
    """An order as an agent or the customer gives it."""

    payment_plan: str
    lines: tuple[NewLine, ...]
    customer_id: uuid.UUID | None = None
    customer: CustomerDetails | None = None
    national_id: str | None = None
    instalments: tuple[NewInstalment, ...] = ()
    store: str | None = None
    delivery_address: str = ""
    delivery_phone: str | None = None
    province: str | None = None
    promised_delivery_on: date | None = None


@dataclass
class _Checked:
    errors: list[FieldError] = field(default_factory=list)
    lines: list[tuple[ProductModel, int, int]] = field(default_factory=list)


def province_problem(code: str, country: str) -> str | None:
    """Why ``code`` is not an ISO 3166-2 subdivision of ``country`` (pycountry's list), or None."""
    subdivision = pycountry.subdivisions.get(code=code.upper())
    if subdivision is None:
        return "is not an ISO 3166-2 subdivision code (e.g. IR-10)"
    if subdivision.country_code != country.upper():
        return f"is not a subdivision of {country.upper()}"
    return None


async def create_order(session: AsyncSession, tenant: CurrentTenant, principal: Principal, new: NewOrder, *,
                       actor: str, now: datetime) -> Order:
    """Take an order: staff for any customer (found or created from the details), a customer for themselves
    (list prices only). Every bad field is reported at once and nothing is written.

    :raises InvalidInput: a bad field (unknown SKU, a price a customer may not set, a schedule that does not add
        up, a national ID that fails its check or differs from the one on file, …).
    :raises NotFound: no such customer.
    """
    is_customer = principal.customer_id is not None
    checked = _Checked()
    errors = checked.errors
    if new.payment_plan not in PLANS:
        errors.append(FieldError("payment_plan", f"must be one of {', '.join(PLANS)}"))
    customer_id = await _customer(session, tenant, principal, new, errors)
    await _check_lines(session, new.lines, is_customer, checked)
    total = sum(price * quantity for _, quantity, price in checked.lines)
    currency = tenant.record.currency
    if checked.lines:
        errors += beyond_cap("lines", Money(total, currency), "the order's total")
    today = now.astimezone(ZoneInfo(tenant.record.time_zone)).date()
    _check_schedule(new, total, today, errors)
    _check_delivery(new, tenant.record.country, today, errors)
    terms = order_terms(tenant)
    national_id = await _national_id(session, customer_id, new.national_id, terms.national_id_required, errors)
    if errors:
        raise InvalidInput("the order cannot be taken", errors)
    assert customer_id is not None
    if national_id is not None:
        await identity.record_by_staff(session, customer_id, actor=actor, now=now, national_id=national_id)
    order = Order(
        number=await _next_number(session, tenant.record.id), customer_id=customer_id, created_by=actor,
        channel="portal" if is_customer else "agent", payment_plan=new.payment_plan, currency=currency,
        total_minor=total, state=OrderState.AWAITING_PAYMENT.value, state_reason="", store=clean_text(new.store),
        delivery_address=new.delivery_address.strip(), delivery_phone=clean_text(new.delivery_phone),
        province=new.province.upper() if new.province else None, promised_delivery_on=new.promised_delivery_on,
        cheque_escalation_note="", created_at=now, updated_at=now)
    session.add(order)
    await session.flush()
    for line_no, (model, quantity, price) in enumerate(checked.lines, start=1):
        session.add(OrderLine(order_id=order.id, line_no=line_no, product_model_id=model.id, quantity=quantity,
                              unit_price_minor=price, created_at=now))
    for seq, instalment in enumerate(sorted(new.instalments, key=lambda i: i.due_on), start=1):
        session.add(OrderInstalment(order_id=order.id, seq=seq, due_on=instalment.due_on,
                                    amount_minor=instalment.amount_minor, created_at=now))
    await session.flush()
    await emit(session, OrderCreated(order_id=order.id, number=order.number, customer_id=customer_id,
                                     channel=order.channel, payment_plan=order.payment_plan,
                                     total_minor=total, currency=currency, created_at=now), key=order.id, now=now)
    return order


def clean_text(value: str | None) -> str | None:
    """``value`` with its runs of white space made one space; None when nothing is left."""
    return " ".join(value.split()) or None if value is not None else None


async def _customer(session: AsyncSession, tenant: CurrentTenant, principal: Principal, new: NewOrder,
                    errors: list[FieldError]) -> uuid.UUID | None:
    if principal.customer_id is not None:
        if new.customer_id not in (None, principal.customer_id) or new.customer is not None:
            errors.append(FieldError("customer_id", "a customer orders for themselves"))
        return principal.customer_id
    if (new.customer_id is None) == (new.customer is None):
        errors.append(FieldError("customer_id", "give the customer's id or their details, not both"))
        return None
    if new.customer_id is not None:
        if await session.scalar(select(Customer.id).where(Customer.id == new.customer_id)) is None:
            errors.append(FieldError("customer_id", "no such customer"))
            return None
        return new.customer_id
    assert new.customer is not None
    details, problems = validate_customer(new.customer, tenant.record.country, "customer")
    if problems:
        errors.extend(problems)
        return None
    return await find_or_create_customer_id(session, details)


async def _national_id(session: AsyncSession, customer_id: uuid.UUID | None, given: str | None, required: bool,
                       errors: list[FieldError]) -> str | None:
    """The national ID to record (None when nothing new is to be recorded)."""
    on_file = (await identity.identity_of(session, customer_id)) if customer_id is not None else None
    known = on_file.national_id if on_file is not None else None
    if given is None:
        if required and known is None and customer_id is not None:
            errors.append(FieldError("national_id", "the customer's national ID is required to order"))
        return None
    code = identity.normalise_national_id(given)
    if (problem := identity.national_id_problem(code)) is not None:
        errors.append(FieldError("national_id", problem))
        return None
    if known is not None and known != code:
        errors.append(FieldError("national_id", "differs from the national ID on file for this customer"))
        return None
    return None if known == code else code


async def _check_lines(session: AsyncSession, lines: tuple[NewLine, ...], is_customer: bool,
                       checked: _Checked) -> None:
    errors = checked.errors
    if not lines:
        errors.append(FieldError("lines", "order at least one product"))
        return
    if len(lines) > MAX_LINES:
        errors.append(FieldError("lines", f"at most {MAX_LINES} lines"))
        return
    skus = {line.sku.strip() for line in lines}
    found = {m.sku: m for m in await session.scalars(select(ProductModel).where(ProductModel.sku.in_(skus)))}
    for i, line in enumerate(lines):
        model = found.get(line.sku.strip())
        if model is None or not model.active:
            errors.append(FieldError(f"lines.{i}.sku", "no such product in the catalogue"))
            continue
        if not 1 <= line.quantity <= MAX_QUANTITY:
            errors.append(FieldError(f"lines.{i}.quantity", f"must be between 1 and {MAX_QUANTITY}"))
            continue
        price = line.unit_price_minor
        if price is not None and is_customer:
            errors.append(FieldError(f"lines.{i}.unit_price_minor", "a customer orders at the list price"))
            continue
        price = model.list_price_minor if price is None else price
        if price is None:
            errors.append(FieldError(f"lines.{i}.unit_price_minor", "the product has no list price: give one"))
            continue
        if price < 0:
            errors.append(FieldError(f"lines.{i}.unit_price_minor", "must not be negative"))
            continue
        checked.lines.append((model, line.quantity, price))


def _check_schedule(new: NewOrder, total: int, today: date, errors: list[FieldError]) -> None:
    if new.payment_plan != PaymentPlan.CREDIT.value:
        if new.instalments:
            errors.append(FieldError("instalments", "only a credit order has an instalment schedule"))
        return
    if not new.instalments:
        errors.append(FieldError("instalments", "a credit order needs its instalment schedule"))
        return
    if len(new.instalments) > MAX_INSTALMENTS:
        errors.append(FieldError("instalments", f"at most {MAX_INSTALMENTS} instalments"))
        return
    last = today + timedelta(days=366 * MAX_SCHEDULE_YEARS)
    bad = False
    for i, instalment in enumerate(new.instalments):
        if instalment.amount_minor <= 0:
            errors.append(FieldError(f"instalments.{i}.amount_minor", "must be positive"))
            bad = True
        if not today <= instalment.due_on <= last:
            errors.append(FieldError(f"instalments.{i}.due_on",
                                     f"must be between today and {MAX_SCHEDULE_YEARS} years from now"))
            bad = True
    if len({i.due_on for i in new.instalments}) != len(new.instalments):
        errors.append(FieldError("instalments", "two instalments are due on the same day"))
    elif not bad and sum(i.amount_minor for i in new.instalments) != total:
        errors.append(FieldError("instalments", f"the instalments must add up to the order's total ({total})"))


def _check_delivery(new: NewOrder, country: str, today: date, errors: list[FieldError]) -> None:
    if len(new.delivery_address) > MAX_TEXT:
        errors.append(FieldError("delivery_address", f"must be at most {MAX_TEXT} characters"))
    if new.store is not None and len(new.store) > MAX_STORE:
        errors.append(FieldError("store", f"must be at most {MAX_STORE} characters"))
    if new.delivery_phone is not None and len(new.delivery_phone) > 32:
        errors.append(FieldError("delivery_phone", "must be at most 32 characters"))
    if new.province is not None and (problem := province_problem(new.province, country)) is not None:
        errors.append(FieldError("province", problem))
    if new.promised_delivery_on is not None and not (
            today <= new.promised_delivery_on <= today + timedelta(days=366 * MAX_SCHEDULE_YEARS)):
        errors.append(FieldError("promised_delivery_on", "must be between today and ten years from now"))


_BUMP = {
    "sqlite": sqlite_insert,
    "postgresql": postgresql_insert,
}


async def _next_number(session: AsyncSession, tenant_id: uuid.UUID) -> int:
    """Bump the tenant's order counter (started at 1) and return it; the row stays locked until the transaction
    ends, so concurrent orders of one tenant take numbers in turn (as request numbers do)."""
    insert = _BUMP[session.get_bind().dialect.name]
    statement = (insert(OrderCounter.__table__).values(tenant_id=tenant_id, last_number=1)
                 .on_conflict_do_update(index_elements=[OrderCounter.tenant_id],
                                        set_={"last_number": OrderCounter.__table__.c.last_number + 1})
                 .returning(OrderCounter.__table__.c.last_number))
    return int((await session.execute(statement)).scalar_one())


async def get_order(session: AsyncSession, principal: Principal, order_id: uuid.UUID, *,
                    lock: bool = False) -> Order:
    """One order the caller may see (a customer: only their own). :raises NotFound: none such for them."""
    query = select(Order).where(Order.id == order_id)
    if principal.customer_id is not None:
        query = query.where(Order.customer_id == principal.customer_id)
    if lock:
        query = query.with_for_update()
    order = await session.scalar(query)
    if order is None:
        raise NotFound("no such order")
    return order


async def lines_of(session: AsyncSession, order_id: uuid.UUID) -> list[tuple[OrderLine, ProductModel]]:
    """The order's lines with their catalogue models, in order."""
    rows = await session.execute(
        select(OrderLine, ProductModel).join(ProductModel, ProductModel.id == OrderLine.product_model_id)
        .where(OrderLine.order_id == order_id).order_by(OrderLine.line_no))
    return [(line, model) for line, model in rows]


async def instalments_of(session: AsyncSession, order_id: uuid.UUID) -> list[OrderInstalment]:
    """A credit order's schedule, earliest first (empty for cash and cheque)."""
    return list(await session.scalars(select(OrderInstalment).where(OrderInstalment.order_id == order_id)
                                      .order_by(OrderInstalment.seq)))


async def list_orders(session: AsyncSession, principal: Principal, *, state: str | None = None,
                      customer_id: uuid.UUID | None = None, limit: int = 50) -> list[Order]:
    """Orders newest first (a customer: only their own), optionally in one state or of one customer."""
    query = select(Order).order_by(Order.created_at.desc(), Order.number.desc()).limit(limit)
    if principal.customer_id is not None:
        query = query.where(Order.customer_id == principal.customer_id)
    if state is not None:
        query = query.where(Order.state == state)
    if customer_id is not None:
        query = query.where(Order.customer_id == customer_id)
    return list(await session.scalars(query))


async def mark_funded(session: AsyncSession, order: Order, *, payment_id: uuid.UUID | None, now: datetime) -> None:
    """The order's money arrived: ``funded`` (once), announced as ``order.funded``."""
    if order.state != OrderState.AWAITING_PAYMENT.value:
        return
    order.state, order.state_reason, order.funded_at, order.updated_at = OrderState.FUNDED.value, "", now, now
    if order.cheque_escalated_at is not None and order.cheque_escalation_closed_at is None:
        order.cheque_escalation_closed_at, order.cheque_escalation_closed_by = now, "cheque cleared"
    await session.flush()
    await emit(session, OrderFunded(order_id=order.id, number=order.number, customer_id=order.customer_id,
                                    payment_plan=order.payment_plan, payment_id=payment_id, funded_at=now),
               key=order.id, now=now)


def escalation_open(order: Order) -> bool:
    """The order's cheque is escalated to finance and finance has not closed it."""
    return order.cheque_escalated_at is not None and order.cheque_escalation_closed_at is None


async def cancel_order(session: AsyncSession, order: Order, *, reason: str, actor: str, now: datetime) -> Order:
    """Cancel an order not yet funded, with the reason; its open pro-formas are voided.

    :raises Conflict: it is funded or further on, or already cancelled, or its cheque escalation is open.
    :raises InvalidInput: no reason.
    """
    reason = " ".join(reason.split())
    if not reason or len(reason) > MAX_TEXT:
        raise InvalidInput("say why the order is cancelled",
                           [FieldError("reason", f"must be 1 to {MAX_TEXT} characters")])
    if order.state != OrderState.AWAITING_PAYMENT.value:
        raise Conflict(f"the order is {order.state}: only an order awaiting payment is cancelled here",
                       code="order.not_awaiting_payment", params={"state": order.state})
    if escalation_open(order):
        raise Conflict("the order's cheque is escalated to finance: close the escalation first",
                       code="order.escalation_open")
    order.state, order.state_reason, order.cancelled_at, order.updated_at = (
        OrderState.CANCELLED.value, reason, now, now)
    await void_open_proformas(session, order.id)
    await session.flush()
    await emit(session, OrderCancelled(order_id=order.id, number=order.number, customer_id=order.customer_id,
                                       reason=reason, cancelled_by=actor, cancelled_at=now), key=order.id, now=now)
    return order


async def void_open_proformas(session: AsyncSession, order_id: uuid.UUID) -> None:
    """Every open pro-forma of the order can no longer be paid (a newer one replaces it, or the order ended)."""
    for proforma in await session.scalars(select(ProForma).where(ProForma.order_id == order_id,
                                                                 ProForma.state == ProFormaState.OPEN.value)):
        proforma.state = ProFormaState.VOID.value
