"""Order desk tables: orders and their lines, credit instalment schedules, pro-forma invoices, and the
per-tenant order counter.

The orders domain owns an order's life up to ``funded`` (or ``cancelled``); the fulfilment domain owns the states
from ``funded`` on and keeps its own tables.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from aftersales.db.base import Base, TenantOwned, utcnow


class OrderState(enum.StrEnum):
    AWAITING_PAYMENT = "awaiting_payment"
    FUNDED = "funded"
    ALLOCATED = "allocated"
    DISPATCHED = "dispatched"
    DELIVERED = "delivered"
    INSTALLED = "installed"
    CANCELLED = "cancelled"


class PaymentPlan(enum.StrEnum):
    CASH = "cash"
    CHEQUE = "cheque"
    CREDIT = "credit"
    """Instalments on a schedule (``order_instalments``)."""


class ProFormaState(enum.StrEnum):
    OPEN = "open"
    PAID = "paid"
    EXPIRED = "expired"
    VOID = "void"


class Order(TenantOwned, Base):
    """A customer's order for catalogue products, taken by an agent or by the customer on the portal.

    While ``awaiting_payment`` it is asked for by pro-formas; paying a valid one records the funding payment
    (``payment_id``): cash funds the order at once, a cheque once it clears, credit once the first instalment is
    paid. A cheque not cleared within the vertical's standard time is escalated to finance
    (``cheque_escalated_at``); an order is never cancelled automatically while that escalation is open.
    """

    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("tenant_id", "number"),
        ForeignKeyConstraint(["tenant_id", "customer_id"], ["customers.tenant_id", "customers.id"]),
        ForeignKeyConstraint(["tenant_id", "payment_id"], ["payments.tenant_id", "payments.id"]),
        Index("ix_orders_state", "tenant_id", "state", "created_at"),
        Index("ix_orders_customer", "tenant_id", "customer_id", "created_at"),
        CheckConstraint("total_minor >= 0", name="total_not_negative"),
    )

    number: Mapped[int] = mapped_column(Integer)
    """Per-tenant running number, what a customer reads out on the phone."""
    customer_id: Mapped[uuid.UUID] = mapped_column()
    created_by: Mapped[str] = mapped_column(String(120))
    """The actor who took the order (a staff actor, or the customer's own on the portal)."""
    channel: Mapped[str] = mapped_column(String(10))
    """``agent`` or ``portal``."""
    payment_plan: Mapped[str] = mapped_column(String(10))
    """``cash``, ``cheque`` or ``credit``."""
    currency: Mapped[str] = mapped_column(String(3))
    total_minor: Mapped[int] = mapped_column(BigInteger)
    state: Mapped[str] = mapped_column(String(20), default=OrderState.AWAITING_PAYMENT.value)
    state_reason: Mapped[str] = mapped_column(Text, default="")
    store: Mapped[str | None] = mapped_column(String(200))
    """The store that sold it, by name (a store violation complaint is against it)."""
    delivery_address: Mapped[str] = mapped_column(Text, default="")
    delivery_phone: Mapped[str | None] = mapped_column(String(32))
    province: Mapped[str | None] = mapped_column(String(6))
    """ISO 3166-2 subdivision code of the delivery address, e.g. ``IR-10`` (Isfahan)."""
    promised_delivery_on: Mapped[date | None] = mapped_column(Date)
    payment_id: Mapped[uuid.UUID | None] = mapped_column()
    """The payment that funds (or is to fund) the order: cash, the cheque, or credit's first instalment."""
    funded_at: Mapped[datetime | None] = mapped_column()
    cancelled_at: Mapped[datetime | None] = mapped_column()
    cheque_escalated_at: Mapped[datetime | None] = mapped_column()
    """When the uncleared cheque was escalated to finance; open until ``cheque_escalation_closed_at``."""
    cheque_escalation_closed_at: Mapped[datetime | None] = mapped_column()
    cheque_escalation_closed_by: Mapped[str | None] = mapped_column(String(120))
    cheque_escalation_note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class OrderLine(TenantOwned, Base):
    """One product of an order, at the unit price agreed when the order was taken."""

    __tablename__ = "order_lines"
    __table_args__ = (
        UniqueConstraint("tenant_id", "order_id", "line_no"),
        ForeignKeyConstraint(["tenant_id", "order_id"], ["orders.tenant_id", "orders.id"]),
        ForeignKeyConstraint(["tenant_id", "product_model_id"], ["product_models.tenant_id", "product_models.id"]),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price_minor >= 0", name="unit_price_not_negative"),
    )

    order_id: Mapped[uuid.UUID] = mapped_column()
    line_no: Mapped[int] = mapped_column(Integer)
    product_model_id: Mapped[uuid.UUID] = mapped_column()
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_minor: Mapped[int] = mapped_column(BigInteger)


class OrderInstalment(TenantOwned, Base):
    """One instalment of a credit order's schedule: what is due on which day, and when it was paid."""

    __tablename__ = "order_instalments"
    __table_args__ = (
        UniqueConstraint("tenant_id", "order_id", "seq"),
        ForeignKeyConstraint(["tenant_id", "order_id"], ["orders.tenant_id", "orders.id"]),
        ForeignKeyConstraint(["tenant_id", "payment_id"], ["payments.tenant_id", "payments.id"]),
        CheckConstraint("amount_minor > 0", name="amount_positive"),
    )

    order_id: Mapped[uuid.UUID] = mapped_column()
    seq: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[date] = mapped_column(Date)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    payment_id: Mapped[uuid.UUID | None] = mapped_column()
    paid_at: Mapped[datetime | None] = mapped_column()


class ProForma(TenantOwned, Base):
    """A pro-forma invoice asking for an order's money, valid until the end of the last business day the
    vertical gives (``valid_until``, an instant in the tenant's calendar). ``lines`` is what it listed, as
    issued (product model id, SKU, quantity, unit price): a listed product the order does not have, or one out
    of stock, is a store violation (``violation_complaint_id``)."""

    __tablename__ = "proformas"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "order_id"], ["orders.tenant_id", "orders.id"]),
        ForeignKeyConstraint(["tenant_id", "payment_id"], ["payments.tenant_id", "payments.id"]),
        ForeignKeyConstraint(["tenant_id", "violation_complaint_id"], ["complaints.tenant_id", "complaints.id"]),
        Index("ix_proformas_order", "tenant_id", "order_id", "issued_at"),
    )

    order_id: Mapped[uuid.UUID] = mapped_column()
    issued_at: Mapped[datetime] = mapped_column()
    issued_by: Mapped[str] = mapped_column(String(120))
    store: Mapped[str | None] = mapped_column(String(200))
    """The store that issued it."""
    valid_until: Mapped[datetime] = mapped_column()
    state: Mapped[str] = mapped_column(String(10), default=ProFormaState.OPEN.value)
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    total_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    payment_id: Mapped[uuid.UUID | None] = mapped_column()
    paid_at: Mapped[datetime | None] = mapped_column()
    violation_complaint_id: Mapped[uuid.UUID | None] = mapped_column()


class OrderCounter(TenantOwned, Base):
    """The last order number a tenant gave out: one row per tenant, bumped in the transaction that takes an
    order (as :class:`aftersales.service.models.RequestCounter`)."""

    __tablename__ = "order_counters"

    id = None  # type: ignore[assignment]  # one row per tenant: tenant_id alone is the key
    created_at = None  # type: ignore[assignment]
    last_number: Mapped[int] = mapped_column(Integer)
