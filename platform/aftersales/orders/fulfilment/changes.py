"""Delivery changes: a customer (or an agent for them) asks to change an order's address, phone or province.

Every ask is a ticket, recorded with who asked and when, whatever the answer (seed 001: "address/phone change
allowed only before dispatch, as a ticket, never after dispatch; no province change for orders from regional
warehouses"). Before dispatch it is applied to the order at once; from dispatch on it is refused with the
reason, as is moving an order allocated to a regional warehouse out of that warehouse's province. A refusal is
a decision, not bad input: the ticket is stored and answered (201) with ``state: refused`` and the reason.
Bad input (an unknown province, a phone that is not one) is refused with 422 and nothing is written.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.text import CORE_DOMAIN, messages
from aftersales.errors import FieldError, InvalidInput
from aftersales.identity.customers import normalise_contacts
from aftersales.orders.fulfilment.models import ChangeState, DeliveryChange, WarehouseKind
from aftersales.orders.fulfilment.moves import OrderFulfilment, get_order, local_day, order_fulfilment
from aftersales.orders.fulfilment.provinces import province_errors
from aftersales.orders.models import OrderState
from aftersales.tenancy.current import CurrentTenant

_ = messages(CORE_DOMAIN)
MAX_ADDRESS = 1000
PAST_DISPATCH = (OrderState.DISPATCHED, OrderState.DELIVERED, OrderState.INSTALLED)


@dataclass(frozen=True)
class AskedChange:
    """What a ticket asks to change; None leaves a field as it is."""

    delivery_address: str | None = None
    delivery_phone: str | None = None
    province: str | None = None


async def ask_change(session: AsyncSession, tenant: CurrentTenant, order_id: uuid.UUID, asked: AskedChange, *,
                     customer_id: uuid.UUID | None, actor: str, now: datetime) -> DeliveryChange:
    """Record the ticket and apply it, or refuse it with the reason.

    :raises InvalidInput: nothing asked, or a bad address, phone or province (nothing written).
    :raises NotFound: no such order (of this customer, for a customer).
    """
    found = await order_fulfilment(session, order_id, customer_id=customer_id, lock=True)
    order = found.order
    wanted = _validated(asked, tenant.context.country)
    previous = {"delivery_address": order.delivery_address, "delivery_phone": order.delivery_phone,
                "province": order.province}
    reason = _refusal(tenant, found, wanted)
    change = DeliveryChange(order_id=order.id, requested_by=actor, created_at=now, **wanted,
                            previous={name: previous[name] for name, value in wanted.items() if value is not None},
                            state=ChangeState.REFUSED.value if reason else ChangeState.APPLIED.value,
                            reason=reason or "")
    if reason is None:
        for name, value in wanted.items():
            if value is not None:
                setattr(order, name, value)
        order.updated_at = now
    session.add(change)
    await session.flush()
    return change


async def changes_of(session: AsyncSession, order_id: uuid.UUID, *,
                     customer_id: uuid.UUID | None = None) -> list[DeliveryChange]:
    """The order's delivery-change tickets, oldest first."""
    order = await get_order(session, order_id, customer_id=customer_id)
    return list(await session.scalars(select(DeliveryChange).where(DeliveryChange.order_id == order.id)
                                      .order_by(DeliveryChange.created_at, DeliveryChange.id)))


def _validated(asked: AskedChange, country: str) -> dict[str, Any]:
    errors: list[FieldError] = []
    address = asked.delivery_address.strip() if asked.delivery_address is not None else None
    if address is not None and not address:
        errors.append(FieldError("delivery_address", "must not be empty", code="delivery_change.empty"))
    elif address is not None and len(address) > MAX_ADDRESS:
        errors.append(FieldError("delivery_address", f"must be at most {MAX_ADDRESS} characters",
                                 code="delivery_change.too_long", params={"limit": MAX_ADDRESS}))
    phone = None
    if asked.delivery_phone is not None:
        if not asked.delivery_phone.strip():
            errors.append(FieldError("delivery_phone", "must not be empty", code="delivery_change.empty"))
        else:
            phone, _email = normalise_contacts(asked.delivery_phone.strip(), None, country, "delivery_", errors)
    province = asked.province.strip().upper() if asked.province is not None else None
    if province is not None:
        errors += province_errors(province, "province", country)
    if address is None and asked.delivery_phone is None and province is None:
        errors.append(FieldError("delivery_address", "ask for a new address, phone or province",
                                 code="delivery_change.nothing_asked"))
    if errors:
        raise InvalidInput("the delivery change cannot be asked", errors)
    return {"delivery_address": address, "delivery_phone": phone, "province": province}


def _refusal(tenant: CurrentTenant, found: OrderFulfilment, wanted: dict[str, Any]) -> str | None:
    """Why the change cannot be made, in words the customer reads; None when it can."""
    fulfilment, warehouse, order = found.fulfilment, found.warehouse, found.order
    if order.state in PAST_DISPATCH:
        assert fulfilment is not None and fulfilment.dispatched_at is not None  # dispatch recorded both
        return _("the order was dispatched on {dispatched_on}: its address, phone and province can no longer change",
                 dispatched_on=local_day(tenant, fulfilment.dispatched_at))
    if order.state == OrderState.CANCELLED:
        return _("the order is cancelled")
    moving = wanted["province"] is not None and wanted["province"] != (order.province or "").upper()
    if moving and warehouse is not None and warehouse.kind == WarehouseKind.REGIONAL:
        return _("the order is allocated to the regional warehouse {warehouse} of {province}: it cannot move to "
                 "another province", warehouse=warehouse.name, province=warehouse.province)
    return None
