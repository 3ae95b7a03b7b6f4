"""Bodies and answers of the order desk's endpoints. Rules (catalogue SKUs, quantities, schedules, national IDs,
provinces) are checked by the services, so every broken field is reported together (422)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from aftersales.http.bodies import AmountMinor, OptionalAmountMinor, limited_text
from aftersales.identity.customers import CustomerDetails
from aftersales.orders import services
from aftersales.orders.models import Order, OrderInstalment, OrderLine, ProForma
from aftersales.orders.proformas import ListedLine
from aftersales.service.models import Complaint
from aftersales.warranty.models import ProductModel

Text = limited_text(services.MAX_TEXT)
Store = limited_text(services.MAX_STORE)


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CustomerIn(_Body):
    name: limited_text(200)  # type: ignore[valid-type]
    phone: limited_text(40) | None = None  # type: ignore[valid-type]
    email: limited_text(254) | None = None  # type: ignore[valid-type]


class LineIn(_Body):
    sku: limited_text(80)  # type: ignore[valid-type]
    quantity: int = Field(description=f"1 to {services.MAX_QUANTITY}.")
    unit_price_minor: OptionalAmountMinor = Field(
        default=None, description="Staff only; omitted: the catalogue's list price.")


class InstalmentIn(_Body):
    due_on: date
    amount_minor: AmountMinor


class OrderIn(_Body):
    payment_plan: Literal["cash", "cheque", "credit"]
    lines: list[LineIn] = Field(description=f"1 to {services.MAX_LINES} products.")
    customer_id: UUID | None = Field(default=None, description="Staff: an existing customer (or give `customer`).")
    customer: CustomerIn | None = Field(default=None, description="Staff: found or registered by phone or e-mail.")
    national_id: limited_text(20) | None = Field(  # type: ignore[valid-type]
        default=None, description="The customer's national ID (Iranian national code, check digit verified); "
                                  "recorded on their file. Required when the vertical says so and none is on file.")
    instalments: list[InstalmentIn] = Field(default_factory=list,
                                            description="A credit order's schedule, adding up to the total.")
    store: Store | None = None  # type: ignore[valid-type]
    delivery_address: Text = ""  # type: ignore[valid-type]
    delivery_phone: limited_text(32) | None = None  # type: ignore[valid-type]
    province: limited_text(10) | None = Field(  # type: ignore[valid-type]
        default=None, description="ISO 3166-2 subdivision of the tenant's country, e.g. IR-10.")
    promised_delivery_on: date | None = None

    def new(self) -> services.NewOrder:
        return services.NewOrder(
            payment_plan=self.payment_plan, customer_id=self.customer_id,
            customer=CustomerDetails(**self.customer.model_dump()) if self.customer else None,
            national_id=self.national_id, store=self.store, delivery_address=self.delivery_address,
            delivery_phone=self.delivery_phone, province=self.province,
            promised_delivery_on=self.promised_delivery_on,
            lines=tuple(services.NewLine(line.sku, line.quantity, line.unit_price_minor) for line in self.lines),
            instalments=tuple(services.NewInstalment(i.due_on, i.amount_minor) for i in self.instalments))


class ListedLineIn(_Body):
    sku: limited_text(80)  # type: ignore[valid-type]
    quantity: int
    unit_price_minor: AmountMinor


class ProFormaIn(_Body):
    store: Store | None = Field(default=None, description="The issuing store (default: the order's).")  # type: ignore[valid-type]
    lines: list[ListedLineIn] | None = Field(
        default=None, description="What the store lists (default: the order's lines). A product not ordered, or "
                                  "one out of stock, makes the pro-forma a store violation.")

    def listed(self) -> tuple[ListedLine, ...] | None:
        if self.lines is None:
            return None
        return tuple(ListedLine(line.sku, line.quantity, line.unit_price_minor) for line in self.lines)


class PayIn(_Body):
    method: Literal["cash", "bank_transfer", "cheque"]
    reference: limited_text(120) | None = Field(  # type: ignore[valid-type]
        default=None, description="The cheque's number, or the bank reference of a transfer.")


class CancelIn(_Body):
    reason: Text  # type: ignore[valid-type]


class EscalationCloseIn(_Body):
    note: limited_text(2000)  # type: ignore[valid-type]


class LineOut(BaseModel):
    line_no: int
    product_model_id: UUID
    sku: str
    name: str
    quantity: int
    unit_price_minor: int


class InstalmentOut(BaseModel):
    seq: int
    due_on: date
    amount_minor: int
    payment_id: UUID | None
    paid_at: datetime | None


class ProFormaOut(BaseModel):
    id: UUID
    order_id: UUID
    issued_at: datetime
    issued_by: str
    store: str | None
    valid_until: datetime = Field(description="The end (local midnight) of the last valid business day.")
    state: str
    payable: bool = Field(description="Open and not yet past valid_until.")
    lines: list[dict[str, object]]
    total_minor: int
    currency: str
    payment_id: UUID | None
    paid_at: datetime | None
    violation_complaint_id: UUID | None


class ViolationOut(BaseModel):
    complaint_id: UUID
    request_id: UUID
    contractor: str | None


class OrderOut(BaseModel):
    id: UUID
    number: int
    customer_id: UUID
    created_by: str
    channel: str
    payment_plan: str
    currency: str
    total_minor: int
    state: str
    state_reason: str
    store: str | None
    delivery_address: str
    delivery_phone: str | None
    province: str | None
    promised_delivery_on: date | None
    payment_id: UUID | None
    funded_at: datetime | None
    cancelled_at: datetime | None
    cheque_escalated_at: datetime | None
    cheque_escalation_closed_at: datetime | None
    cheque_escalation_note: str
    created_at: datetime
    updated_at: datetime
    lines: list[LineOut] = Field(default_factory=list)
    instalments: list[InstalmentOut] = Field(default_factory=list)
    proformas: list[ProFormaOut] = Field(default_factory=list)
    violations: list[ViolationOut] = Field(default_factory=list)


def proforma_out(p: ProForma, now: datetime) -> ProFormaOut:
    return ProFormaOut(id=p.id, order_id=p.order_id, issued_at=p.issued_at, issued_by=p.issued_by, store=p.store,
                       valid_until=p.valid_until, state=p.state, payable=p.state == "open" and now < p.valid_until,
                       lines=p.lines, total_minor=p.total_minor, currency=p.currency, payment_id=p.payment_id,
                       paid_at=p.paid_at, violation_complaint_id=p.violation_complaint_id)


def order_out(o: Order, now: datetime, lines: list[tuple[OrderLine, ProductModel]] | None = None,
              instalments: list[OrderInstalment] | None = None, proformas: list[ProForma] | None = None,
              violations: list[Complaint] | None = None) -> OrderOut:
    return OrderOut(
        id=o.id, number=o.number, customer_id=o.customer_id, created_by=o.created_by, channel=o.channel,
        payment_plan=o.payment_plan, currency=o.currency, total_minor=o.total_minor, state=o.state,
        state_reason=o.state_reason, store=o.store, delivery_address=o.delivery_address,
        delivery_phone=o.delivery_phone, province=o.province, promised_delivery_on=o.promised_delivery_on,
        payment_id=o.payment_id, funded_at=o.funded_at, cancelled_at=o.cancelled_at,
        cheque_escalated_at=o.cheque_escalated_at, cheque_escalation_closed_at=o.cheque_escalation_closed_at,
        cheque_escalation_note=o.cheque_escalation_note, created_at=o.created_at, updated_at=o.updated_at,
        lines=[LineOut(line_no=line.line_no, product_model_id=line.product_model_id, sku=model.sku, name=model.name,
                       quantity=line.quantity, unit_price_minor=line.unit_price_minor)
               for line, model in lines or []],
        instalments=[InstalmentOut(seq=i.seq, due_on=i.due_on, amount_minor=i.amount_minor, payment_id=i.payment_id,
                                   paid_at=i.paid_at) for i in instalments or []],
        proformas=[proforma_out(p, now) for p in proformas or []],
        violations=[ViolationOut(complaint_id=c.id, request_id=c.request_id, contractor=c.contractor)
                    for c in violations or []])
