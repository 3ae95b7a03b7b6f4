"""Bodies and answers of the warehouse and order-fulfilment endpoints."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from aftersales.http.bodies import limited_text
from aftersales.http.language import Said
from aftersales.marketplace.bookings.services import Site
from aftersales.orders.fulfilment import cards, changes, warehouses
from aftersales.orders.fulfilment.models import DeliveryChange, FestivalCard, Warehouse
from aftersales.orders.fulfilment.moves import OrderFulfilment


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WarehouseIn(_Body):
    code: limited_text(warehouses.MAX_CODE)  # type: ignore[valid-type]
    name: limited_text(warehouses.MAX_NAME)  # type: ignore[valid-type]
    kind: Literal["central", "regional"] = Field(description="A regional warehouse ships within its province only.")
    province: str = Field(max_length=20, description="ISO 3166-2 subdivision code of the tenant's country, e.g. IR-23.")


class WarehouseOut(BaseModel):
    id: UUID
    code: str
    name: str
    kind: str
    province: str
    active: bool


class AllocationIn(_Body):
    warehouse_id: UUID
    production_on: date | None = Field(default=None, description="When the products were (or are to be) produced: "
                                                                  "told to the customer if the delivery is late.")


class DeliveryIn(_Body):
    box_sealed: bool = Field(description="Whether the box was sealed on delivery: damage found at installation is "
                                         "covered only then (Entekhab).")


class SiteIn(_Body):
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)


class InstallationIn(_Body):
    serials: list[Annotated[str, Field(max_length=200)]] = Field(
        max_length=100, description="The serial of each unit delivered: each is registered to the order's customer.")
    provider_id: UUID = Field(description="The technician: an in-warranty installation goes only to one authorised "
                                          "by the company on the day.")
    offering_id: UUID = Field(description="The installation offering of the tenant's service catalogue.")
    starts_at: datetime = Field(description="The start, with its UTC offset, on the 15-minute grid.")
    site: SiteIn | None = None

    def site_value(self) -> Site | None:
        return Site(self.site.latitude, self.site.longitude) if self.site else None


class InstalledIn(_Body):
    installed_on: date
    invoice_date: date = Field(description="The purchase date as the invoice shows it, read by the technician: it "
                                           "decides each festival card owed.")


class DeliveryChangeIn(_Body):
    delivery_address: limited_text(changes.MAX_ADDRESS) | None = None  # type: ignore[valid-type]
    delivery_phone: str | None = Field(default=None, max_length=40)
    province: str | None = Field(default=None, max_length=20, description="ISO 3166-2 subdivision code.")


class DeliveryChangeOut(BaseModel):
    id: UUID
    order_id: UUID
    state: str = Field(description="applied, or refused (after dispatch; a regional warehouse's order leaving its "
                                   "province) with the reason.")
    reason: Said
    delivery_address: str | None
    delivery_phone: str | None
    province: str | None
    previous: dict[str, str | None]
    requested_by: str
    requested_at: datetime


class FestivalCardIn(_Body):
    festival: limited_text(cards.MAX_FESTIVAL)  # type: ignore[valid-type]
    purchases_from: date
    purchases_until: date


class FestivalCardOut(BaseModel):
    id: UUID
    order_id: UUID
    festival: str
    purchases_from: date
    purchases_until: date
    state: str = Field(description="owed, issued or refused.")
    reason: Said
    invoice_date: date | None
    promised_by: str
    promised_at: datetime
    decided_at: datetime | None


class FulfilmentOut(BaseModel):
    order_id: UUID
    number: int
    state: str
    province: str | None
    promised_delivery_on: date | None
    warehouse: WarehouseOut | None
    production_on: date | None
    allocated_at: datetime | None
    dispatched_at: datetime | None
    delivered_at: datetime | None
    delivered_sealed: bool | None
    installation_booking_id: UUID | None
    registration_ids: list[UUID]
    installed_on: date | None
    invoice_date: date | None
    late_notice_at: datetime | None
    late_compensation_minor: int | None
    late_compensation_reason: Said | None
    currency: str


class InstalledOut(BaseModel):
    fulfilment: FulfilmentOut
    cards: list[FestivalCardOut] = Field(description="The cards decided by the invoice's date.")


def warehouse_out(warehouse: Warehouse) -> WarehouseOut:
    return WarehouseOut(id=warehouse.id, code=warehouse.code, name=warehouse.name, kind=warehouse.kind,
                        province=warehouse.province, active=warehouse.active)


def fulfilment_out(found: OrderFulfilment) -> FulfilmentOut:
    order, f = found.order, found.fulfilment
    return FulfilmentOut(
        order_id=order.id, number=order.number, state=order.state, province=order.province,
        promised_delivery_on=order.promised_delivery_on,
        warehouse=warehouse_out(found.warehouse) if found.warehouse else None,
        production_on=f.production_on if f else None, allocated_at=f.allocated_at if f else None,
        dispatched_at=f.dispatched_at if f else None, delivered_at=f.delivered_at if f else None,
        delivered_sealed=f.delivered_sealed if f else None,
        installation_booking_id=f.installation_booking_id if f else None,
        registration_ids=[UUID(text) for text in f.registration_ids] if f else [],
        installed_on=f.installed_on if f else None, invoice_date=f.invoice_date if f else None,
        late_notice_at=f.late_notice_at if f else None,
        late_compensation_minor=f.late_compensation_minor if f else None,
        late_compensation_reason=f.late_compensation_reason if f else None, currency=order.currency)


def change_out(change: DeliveryChange) -> DeliveryChangeOut:
    return DeliveryChangeOut(id=change.id, order_id=change.order_id, state=change.state, reason=change.reason,
                             delivery_address=change.delivery_address, delivery_phone=change.delivery_phone,
                             province=change.province, previous=change.previous, requested_by=change.requested_by,
                             requested_at=change.created_at)


def card_out(card: FestivalCard) -> FestivalCardOut:
    return FestivalCardOut(id=card.id, order_id=card.order_id, festival=card.festival,
                           purchases_from=card.purchases_from, purchases_until=card.purchases_until, state=card.state,
                           reason=card.reason, invoice_date=card.invoice_date, promised_by=card.promised_by,
                           promised_at=card.created_at, decided_at=card.decided_at)
