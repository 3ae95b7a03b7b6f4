"""Warehouse and order-fulfilment endpoints: staff move an order from funded to installed; the customer reads
their order's delivery and asks for delivery changes."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody

from aftersales.db.base import utcnow
from aftersales.http.context import TOKEN_TENANT, SessionDep, TenantDep
from aftersales.identity.guards import actor, current_principal, requires_any_scope, requires_scope
from aftersales.identity.scopes import (
    CUSTOMER_SELF,
    FULFILMENT_READ,
    FULFILMENT_WRITE,
    INSTALLATIONS_CONFIRM,
    PROVIDER_WORK,
    WAREHOUSES_MANAGE,
)
from aftersales.orders.fulfilment import cards, changes, installation, moves, warehouses
from aftersales.orders.fulfilment.schemas import (
    AllocationIn,
    DeliveryChangeIn,
    DeliveryChangeOut,
    DeliveryIn,
    FestivalCardIn,
    FestivalCardOut,
    FulfilmentOut,
    InstallationIn,
    InstalledIn,
    InstalledOut,
    WarehouseIn,
    WarehouseOut,
    card_out,
    change_out,
    fulfilment_out,
    warehouse_out,
)

READERS = (FULFILMENT_READ, CUSTOMER_SELF)


class WarehouseController(Controller):
    """The tenant's warehouses: central ones ship anywhere, a regional one within its province."""

    path = "/api/v1/warehouses"
    tags = ("orders",)
    dependencies = TOKEN_TENANT

    @post("/", operation_id="createWarehouse", guards=[requires_scope(WAREHOUSES_MANAGE)])
    async def create(self, data: JSONBody[WarehouseIn], session: SessionDep, tenant: TenantDep) -> WarehouseOut:
        """Add a warehouse (422 names every bad field, e.g. an unknown province; 409 when the code is taken)."""
        warehouse = await warehouses.create_warehouse(session, tenant, warehouses.NewWarehouse(
            code=data.code, name=data.name, kind=data.kind, province=data.province))
        return warehouse_out(warehouse)

    @get("/", operation_id="listWarehouses", guards=[requires_scope(FULFILMENT_READ)])
    async def list_all(self, session: SessionDep) -> list[WarehouseOut]:
        """Every warehouse of the tenant, by code."""
        return [warehouse_out(w) for w in await warehouses.list_warehouses(session)]

    @get("/{warehouse_id:uuid}", operation_id="getWarehouse", guards=[requires_scope(FULFILMENT_READ)])
    async def get_one(self, warehouse_id: FromPath[UUID], session: SessionDep) -> WarehouseOut:
        """One warehouse (404 when the tenant has none with this id)."""
        return warehouse_out(await warehouses.get_warehouse(session, warehouse_id))


class FulfilmentController(Controller):
    """An order's way from funded to installed, its delivery changes and its festival cards."""

    path = "/api/v1/orders/{order_id:uuid}"
    tags = ("orders",)
    dependencies = TOKEN_TENANT

    @get("/fulfilment", operation_id="getOrderFulfilment", guards=[requires_any_scope(*READERS)])
    async def read(self, request: Request[Any, Any, Any], order_id: FromPath[UUID],
                   session: SessionDep) -> FulfilmentOut:
        """The order's warehouse, dispatch, delivery, installation and late notice (a customer: their own only)."""
        customer = current_principal(request).customer_id
        return fulfilment_out(await moves.order_fulfilment(session, order_id, customer_id=customer))

    @post("/allocation", operation_id="allocateOrder", status_code=200, guards=[requires_scope(FULFILMENT_WRITE)])
    async def allocate(self, request: Request[Any, Any, Any], order_id: FromPath[UUID], data: JSONBody[AllocationIn],
                       session: SessionDep, tenant: TenantDep) -> FulfilmentOut:
        """Allocate a funded order to a warehouse (409 from any other state; 422 for a regional warehouse of
        another province)."""
        found = await moves.allocate(session, tenant, order_id, data.warehouse_id, data.production_on,
                                     actor=actor(request), now=utcnow())
        return fulfilment_out(found)

    @post("/dispatch", operation_id="dispatchOrder", status_code=200, guards=[requires_scope(FULFILMENT_WRITE)])
    async def dispatch(self, request: Request[Any, Any, Any], order_id: FromPath[UUID],
                       session: SessionDep) -> FulfilmentOut:
        """The allocated order leaves its warehouse (409 from any other state)."""
        return fulfilment_out(await moves.dispatch(session, order_id, actor=actor(request), now=utcnow()))

    @post("/delivery", operation_id="deliverOrder", status_code=200, guards=[requires_scope(FULFILMENT_WRITE)])
    async def deliver(self, request: Request[Any, Any, Any], order_id: FromPath[UUID], data: JSONBody[DeliveryIn],
                      session: SessionDep, tenant: TenantDep) -> FulfilmentOut:
        """The dispatched order reached the customer, with whether its box was sealed (409 from any other state)."""
        found = await moves.deliver(session, tenant, order_id, sealed=data.box_sealed, actor=actor(request),
                                    now=utcnow())
        return fulfilment_out(found)

    @post("/installation", operation_id="bookOrderInstallation", status_code=200,
          guards=[requires_scope(FULFILMENT_WRITE)])
    async def book_installation(self, request: Request[Any, Any, Any], order_id: FromPath[UUID],
                                data: JSONBody[InstallationIn], session: SessionDep,
                                tenant: TenantDep) -> FulfilmentOut:
        """Register the delivered units to the customer and book an authorised technician to install them
        (422 names each refused serial and the marketplace's refusal; 409 unless delivered and not yet booked)."""
        ask = installation.InstallationAsk(serials=data.serials, provider_id=data.provider_id,
                                           offering_id=data.offering_id, starts_at=data.starts_at,
                                           site=data.site_value())
        found = await installation.book_installation(session, tenant, order_id, ask, actor=actor(request),
                                                     now=utcnow())
        return fulfilment_out(found)

    @post("/installation/confirmation", operation_id="confirmOrderInstallation", status_code=200,
          guards=[requires_any_scope(INSTALLATIONS_CONFIRM, PROVIDER_WORK)])
    async def confirm_installation(self, request: Request[Any, Any, Any], order_id: FromPath[UUID],
                                   data: JSONBody[InstalledIn], session: SessionDep,
                                   tenant: TenantDep) -> InstalledOut:
        """The technician (staff, or the booked provider's own user) confirms the installation and the invoice's
        date: the order is installed and each festival card owed is issued or refused with the reason."""
        found, decided = await installation.confirm_installation(
            session, tenant, order_id, installed_on=data.installed_on, invoice_date=data.invoice_date,
            actor=actor(request), now=utcnow(), provider_id=current_principal(request).provider_id)
        return InstalledOut(fulfilment=fulfilment_out(found), cards=[card_out(card) for card in decided])

    @post("/delivery-changes", operation_id="askDeliveryChange", guards=[requires_any_scope(FULFILMENT_WRITE,
                                                                                              CUSTOMER_SELF)])
    async def ask_change(self, request: Request[Any, Any, Any], order_id: FromPath[UUID],
                         data: JSONBody[DeliveryChangeIn], session: SessionDep,
                         tenant: TenantDep) -> DeliveryChangeOut:
        """Ask to change the delivery address, phone or province: the ticket is recorded and applied before
        dispatch, or refused with the reason (``state: refused``) after it or for a regional warehouse's order
        leaving its province."""
        principal = current_principal(request)
        asked = changes.AskedChange(delivery_address=data.delivery_address, delivery_phone=data.delivery_phone,
                                    province=data.province)
        change = await changes.ask_change(session, tenant, order_id, asked, customer_id=principal.customer_id,
                                          actor=actor(request), now=utcnow())
        return change_out(change)

    @get("/delivery-changes", operation_id="listDeliveryChanges", guards=[requires_any_scope(*READERS)])
    async def list_changes(self, request: Request[Any, Any, Any], order_id: FromPath[UUID],
                           session: SessionDep) -> list[DeliveryChangeOut]:
        """The order's delivery-change tickets, oldest first."""
        customer = current_principal(request).customer_id
        return [change_out(c) for c in await changes.changes_of(session, order_id, customer_id=customer)]

    @post("/festival-cards", operation_id="promiseFestivalCard", guards=[requires_scope(FULFILMENT_WRITE)])
    async def promise_card(self, request: Request[Any, Any, Any], order_id: FromPath[UUID],
                           data: JSONBody[FestivalCardIn], session: SessionDep, tenant: TenantDep) -> FestivalCardOut:
        """Record a festival card promised at sale: owed until the installation decides it."""
        card = await cards.promise_card(session, tenant, order_id, data.festival, data.purchases_from,
                                        data.purchases_until, actor=actor(request), now=utcnow())
        return card_out(card)

    @get("/festival-cards", operation_id="listFestivalCards", guards=[requires_any_scope(*READERS)])
    async def list_cards(self, request: Request[Any, Any, Any], order_id: FromPath[UUID],
                         session: SessionDep) -> list[FestivalCardOut]:
        """The order's festival cards: owed, issued or refused with the reason."""
        order = await moves.get_order(session, order_id, customer_id=current_principal(request).customer_id)
        return [card_out(card) for card in await cards.cards_of(session, order.id)]
