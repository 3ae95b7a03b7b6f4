"""An order's moves from ``funded``: allocated to a warehouse, dispatched, delivered (with the sealed-box flag).

Each move is allowed from one state only, and refused from any other with the state it found
(:class:`~aftersales.errors.Conflict`, code ``fulfilment.wrong_state``); installation is :mod:`.installation`.
A regional warehouse ships within its own province only. A late order's compensation is decided by the vertical
again at delivery, for the days it was late, stored, and credited to the customer's store credit
(:mod:`.compensation`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.contract.values import LateDelivery
from aftersales.errors import Conflict, FieldError, InvalidInput, NotFound
from aftersales.http.date_windows import window_problems
from aftersales.orders.fulfilment.compensation import credit_compensation
from aftersales.orders.fulfilment.models import Fulfilment, Warehouse, WarehouseKind
from aftersales.orders.models import Order, OrderState
from aftersales.outbox.events import OrderDelivered, OrderDispatched
from aftersales.outbox.webhooks import emit
from aftersales.tenancy.current import CurrentTenant

PRODUCTION_WINDOW = timedelta(days=3 * 366)
"""A production date is at most about three years before or after the allocation (typed dates beyond are typos)."""


@dataclass(frozen=True)
class OrderFulfilment:
    """An order with its fulfilment record (None before anything happened to it) and warehouse."""

    order: Order
    fulfilment: Fulfilment | None
    warehouse: Warehouse | None


async def get_order(session: AsyncSession, order_id: uuid.UUID, *, customer_id: uuid.UUID | None = None,
                    lock: bool = False) -> Order:
    """The order, when the session's tenant has it and, for a customer, it is theirs; ``lock`` holds its row
    until commit (PostgreSQL), so two moves of one order take turns and the second sees the first's state.

    :raises NotFound:
    """
    statement = select(Order).where(Order.id == order_id)
    order = await session.scalar(statement.with_for_update() if lock else statement)
    if order is None or (customer_id is not None and order.customer_id != customer_id):
        raise NotFound("no such order")
    return order


async def order_fulfilment(session: AsyncSession, order_id: uuid.UUID, *, customer_id: uuid.UUID | None = None,
                           lock: bool = False) -> OrderFulfilment:
    """The order (as :func:`get_order`) with its fulfilment and warehouse."""
    order = await get_order(session, order_id, customer_id=customer_id, lock=lock)
    fulfilment = await session.scalar(select(Fulfilment).where(Fulfilment.order_id == order.id))
    warehouse = None
    if fulfilment is not None and fulfilment.warehouse_id is not None:
        warehouse = await session.scalar(select(Warehouse).where(Warehouse.id == fulfilment.warehouse_id))
    return OrderFulfilment(order, fulfilment, warehouse)


async def fulfilment_row(session: AsyncSession, order: Order) -> Fulfilment:
    """The order's fulfilment record, made on first use."""
    fulfilment = await session.scalar(select(Fulfilment).where(Fulfilment.order_id == order.id))
    if fulfilment is None:
        fulfilment = Fulfilment(order_id=order.id)
        session.add(fulfilment)
        await session.flush()
    return fulfilment


def require_state(order: Order, expected: OrderState, move: str) -> None:
    """:raises Conflict: ``order`` is not in ``expected`` (the answer names the state it is in)."""
    if order.state != expected.value:
        raise Conflict(f"order #{order.number} is {order.state}: only a {expected.value} order can be {move}",
                       code="fulfilment.wrong_state",
                       params={"number": order.number, "state": order.state, "expected": expected.value})


async def allocate(session: AsyncSession, tenant: CurrentTenant, order_id: uuid.UUID, warehouse_id: uuid.UUID,
                   production_on: date | None, *, actor: str, now: datetime) -> OrderFulfilment:
    """Allocate a funded order to a warehouse, with its products' production date when known.

    :raises InvalidInput: no such active warehouse, a regional one of another province, a production date out
        of range (nothing written). :raises Conflict: the order is not funded.
    """
    order = await get_order(session, order_id, lock=True)
    require_state(order, OrderState.FUNDED, "allocated")
    errors: list[FieldError] = []
    warehouse = await session.scalar(select(Warehouse).where(Warehouse.id == warehouse_id))
    if warehouse is None or not warehouse.active:
        errors.append(FieldError("warehouse_id", "no such active warehouse", code="fulfilment.unknown_warehouse"))
    elif warehouse.kind == WarehouseKind.REGIONAL and warehouse.province != (order.province or "").upper():
        errors.append(FieldError(
            "warehouse_id", f"the regional warehouse {warehouse.code} ships within {warehouse.province} only, and "
                            f"the order goes to {order.province or 'no province yet'}",
            code="fulfilment.regional_province",
            params={"warehouse": warehouse.code, "province": warehouse.province, "order_province": order.province}))
    today = local_day(tenant, now)
    if production_on is not None:
        errors += window_problems(production_on, "production_on", today - PRODUCTION_WINDOW,
                                  today + PRODUCTION_WINDOW)
    if errors or warehouse is None:
        raise InvalidInput("the order cannot be allocated", errors)
    fulfilment = await fulfilment_row(session, order)
    fulfilment.warehouse_id, fulfilment.production_on = warehouse.id, production_on
    fulfilment.allocated_at, fulfilment.allocated_by = now, actor
    _move(order, OrderState.ALLOCATED, now)
    await session.flush()
    return OrderFulfilment(order, fulfilment, warehouse)


async def dispatch(session: AsyncSession, order_id: uuid.UUID, *, actor: str, now: datetime) -> OrderFulfilment:
    """The allocated order leaves its warehouse; its address, phone and province are fixed from now on.

    :raises Conflict: the order is not allocated.
    """
    found = await order_fulfilment(session, order_id, lock=True)
    order, fulfilment = found.order, found.fulfilment
    require_state(order, OrderState.ALLOCATED, "dispatched")
    assert fulfilment is not None and fulfilment.warehouse_id is not None  # allocation made both
    fulfilment.dispatched_at, fulfilment.dispatched_by = now, actor
    _move(order, OrderState.DISPATCHED, now)
    await session.flush()
    await emit(session, OrderDispatched(order_id=order.id, number=order.number, warehouse_id=fulfilment.warehouse_id,
                                        dispatched_at=now), key=order.id, now=now)
    return found


async def deliver(session: AsyncSession, tenant: CurrentTenant, order_id: uuid.UUID, *, sealed: bool, actor: str,
                  now: datetime) -> OrderFulfilment:
    """The dispatched order reached the customer; whether its box was sealed is recorded (it decides the cover of
    damage found at installation). A late order's compensation for its days late is stored and credited to the
    customer's wallet, and the customer told.

    :raises Conflict: the order is not dispatched.
    """
    found = await order_fulfilment(session, order_id, lock=True)
    order, fulfilment = found.order, found.fulfilment
    require_state(order, OrderState.DISPATCHED, "delivered")
    assert fulfilment is not None
    fulfilment.delivered_at, fulfilment.delivered_by, fulfilment.delivered_sealed = now, actor, sealed
    late = days_late(order, local_day(tenant, now))
    compensation = None
    if late > 0:
        compensation = tenant.hooks.aftersales_late_delivery_compensation(
            tenant=tenant.context, delivery=late_delivery(order, fulfilment, late))
        fulfilment.late_compensation_minor = compensation.amount.amount_minor
        fulfilment.late_compensation_reason = compensation.reason
    _move(order, OrderState.DELIVERED, now)
    await session.flush()
    if compensation is not None:
        await credit_compensation(session, tenant, order, late, compensation, actor=actor, now=now)
    await emit(session, OrderDelivered(
        order_id=order.id, number=order.number, delivered_sealed=sealed, days_late=late,
        compensation_minor=fulfilment.late_compensation_minor if late > 0 else None, currency=order.currency,
        delivered_at=now), key=order.id, now=now)
    return found


def local_day(tenant: CurrentTenant, now: datetime) -> date:
    """``now``'s date in the tenant's time zone."""
    return now.astimezone(tenant.calendar.zone).date()


def days_late(order: Order, day: date) -> int:
    """Tenant-local days from the promised delivery date to ``day`` (0 when not past it, or none was promised)."""
    if order.promised_delivery_on is None:
        return 0
    return max((day - order.promised_delivery_on).days, 0)


def late_delivery(order: Order, fulfilment: Fulfilment | None, late: int) -> LateDelivery:
    """What the vertical's compensation rule sees of a late order."""
    assert order.promised_delivery_on is not None
    return LateDelivery(order_number=order.number, total=Money(order.total_minor, order.currency),
                        promised_on=order.promised_delivery_on, days_late=late,
                        production_on=fulfilment.production_on if fulfilment is not None else None)


def _move(order: Order, state: OrderState, now: datetime) -> None:
    order.state, order.state_reason, order.updated_at = state.value, "", now
