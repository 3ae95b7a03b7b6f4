"""Demo data for the order desk (seed 001, Entekhab): a catalogue with list prices (one model out of stock), a
central warehouse in Tehran and a regional one in Isfahan, an authorised installer, and orders in every state the
desk shows — awaiting payment with an open pro-forma, unfunded for over a month (on the follow-up list), a cheque
order escalated to finance, funded, allocated, dispatched (with an address change refused after dispatch),
delivered, installed with its festival card issued, late with its notice, and one whose pro-forma did not match
it (a store violation complaint).

Everything goes through the order desk's own services, each step at the instant it happened relative to the
demo's "now", so the rules hold (a pro-forma's validity, the follow-up period, the cheque's business days, the
promised day of the late order) whenever ``make demo`` runs. The demo customer (``customer@{slug}-demo.com``)
owns three of the orders, so "My orders" on the portal has something to show. People, addresses and numbers are
invented: ``.example`` e-mail, all-zero phone numbers, national IDs that pass the check digit but are made up.
Idempotent: a tenant with orders or warehouses is left alone.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.db.base import utcnow
from aftersales.identity.customers import CustomerDetails, find_or_create_customer_id, validate_customer
from aftersales.identity.principals import Principal
from aftersales.marketplace.availability import schedules
from aftersales.marketplace.availability.slots import day_slots
from aftersales.marketplace.models import Offering
from aftersales.marketplace.providers import locations, prices
from aftersales.marketplace.providers import services as providers
from aftersales.orders import followup, proformas
from aftersales.orders import services as orders
from aftersales.orders.fulfilment import cards, changes, installation, moves, warehouses
from aftersales.orders.fulfilment.late import send_late_delivery_notices
from aftersales.orders.fulfilment.models import Warehouse
from aftersales.orders.models import Order
from aftersales.orders.terms import business_days_later, order_terms
from aftersales.runtime import Runtime
from aftersales.settings import Settings
from aftersales.tenancy.current import CurrentTenant, bind_tenant
from aftersales.tenancy.models import Tenant
from aftersales.warranty.catalog import ModelDescription, save_model
from aftersales.warranty.models import Serial

ACTOR = "demo:seed"
DEMO_TENANTS = ("entekhab",)
"""The tenants that get the order desk's demo (seed 001 is the one that sells through an order desk)."""


@dataclass(frozen=True)
class DemoModel:
    """A catalogue entry: SKU, name, category, list price (rials), in stock."""

    sku: str
    name: str
    category: str
    list_price_minor: int
    in_stock: bool = True


CATALOGUE = (
    DemoModel("ENT-RF-500", "یخچال فریزر انتخاب RF-500", "refrigerator", 950_000_000),
    DemoModel("ENT-WM-800", "ماشین لباسشویی انتخاب WM-800", "washing_machine", 420_000_000),
    DemoModel("ENT-DW-300", "ماشین ظرفشویی انتخاب DW-300", "dishwasher", 380_000_000, in_stock=False),
    DemoModel("ENT-AC-240", "کولر گازی انتخاب AC-240", "air_conditioner", 310_000_000),
    DemoModel("ENT-CK-100", "اجاق گاز انتخاب CK-100", "cooker", 180_000_000),
)
OUT_OF_STOCK = "ENT-DW-300"
WAREHOUSES = (
    warehouses.NewWarehouse(code="THR-CENTRAL", name="انبار مرکزی تهران", kind="central", province="IR-23"),
    warehouses.NewWarehouse(code="ISF-REGIONAL", name="انبار منطقه‌ای اصفهان", kind="regional", province="IR-10"),
)
PEOPLE = (
    CustomerDetails(name="مریم نمونه", phone="+989120000001", email="maryam@entekhab.example"),
    CustomerDetails(name="علی آزمایشی", phone="+989120000002", email="ali@entekhab.example"),
    CustomerDetails(name="زهرا نمونه", phone="+989120000003", email="zahra@entekhab.example"),
    CustomerDetails(name="رضا آزمایشی", phone="+989120000004", email="reza@entekhab.example"),
)
"""Invented customers; the demo customer (``customer@{slug}-demo.com``, made by the demo units or found here) is
the fifth."""
NATIONAL_IDS = ("0012345679", "0023456787", "0034567895", "0045678911", "0056789122")
"""Invented Iranian national codes (a counting body and its check digit): one per person, the demo customer last."""
PHONES = tuple(f"+98912000000{n}" for n in range(1, 6))
"""All-zero mobile numbers but the last digit, one per person, the demo customer last."""
TEHRAN = ("IR-23", "خیابان نمونه، کوچه صفر، پلاک ۰، تهران")
ISFAHAN = ("IR-10", "خیابان آزمایشی، کوچه صفر، پلاک ۰، اصفهان")
STORE_TEHRAN = "فروشگاه انتخاب ونک (نمونه)"
STORE_ISFAHAN = "فروشگاه انتخاب اصفهان (نمونه)"
INSTALLER = {"name": "نصاب مجاز انتخاب (نمونه)", "kind": "workshop", "skills": ["installation"],
             "phone": "021 0000 0000", "email": "installer@entekhab.example"}
INSTALLER_AT = ("Vanak", 35.7575, 51.4094, 30.0)
FESTIVAL = "جشنواره یلدا (نمونه)"


@dataclass
class _Desk:
    """What each demo step needs: the session, the tenant, the settings, the staff acting and the demo's now."""

    session: AsyncSession
    tenant: CurrentTenant
    settings: Settings
    now: datetime
    staff: Principal
    customers: list[uuid.UUID]

    def ago(self, days: float, hours: float = 0) -> datetime:
        return self.now - timedelta(days=days, hours=hours)

    def day(self, at: datetime) -> date:
        return moves.local_day(self.tenant, at)

    async def take(self, who: int, sku: str, plan: str, at: datetime, *, place: tuple[str, str] = TEHRAN,
                   store: str = STORE_TEHRAN, promised_after: int | None = None) -> Order:
        """An order taken by an agent at ``at`` for the ``who``-th customer (index into PEOPLE; 4: demo)."""
        province, address = place
        return await orders.create_order(self.session, self.tenant, self.staff, orders.NewOrder(
            payment_plan=plan, lines=(orders.NewLine(sku=sku, quantity=1),), customer_id=self.customers[who],
            national_id=NATIONAL_IDS[who], store=store, delivery_address=address,
            delivery_phone=PHONES[who], province=province,
            promised_delivery_on=None if promised_after is None else self.day(at) + timedelta(days=promised_after),
        ), actor=ACTOR, now=at)

    async def issue(self, order: Order, at: datetime, **listed: object) -> proformas.Issued:
        return await proformas.issue_proforma(self.session, self.tenant, order, actor=ACTOR, now=at, **listed)

    async def funded(self, order: Order, at: datetime) -> Order:
        """Pro-forma issued and paid in cash at ``at``: the order is funded."""
        issued = await self.issue(order, at)
        await proformas.pay_proforma(self.session, self.settings, order, issued.proforma.id,
                                     proformas.Payment("cash"), actor=ACTOR, now=at + timedelta(minutes=30))
        return order

    async def allocated(self, order: Order, warehouse: Warehouse, at: datetime) -> Order:
        """Allocated at ``at``, its products made a month before."""
        await moves.allocate(self.session, self.tenant, order.id, warehouse.id, self.day(at) - timedelta(days=30),
                             actor=ACTOR, now=at)
        return order

    async def dispatched(self, order: Order, at: datetime) -> Order:
        await moves.dispatch(self.session, order.id, actor=ACTOR, now=at)
        return order

    async def delivered(self, order: Order, at: datetime) -> Order:
        await moves.deliver(self.session, self.tenant, order.id, sealed=True, actor=ACTOR, now=at)
        return order


async def seed_demo_orders(runtime: Runtime, tenant: Tenant, *, now: datetime | None = None) -> int:
    """Give ``tenant`` the order desk's demo (see the module) as it stands at ``now`` (default: this instant);
    returns how many orders were taken (0 when the tenant is not in :data:`DEMO_TENANTS` or already has orders or
    warehouses)."""
    if tenant.slug not in DEMO_TENANTS:
        return 0
    current = bind_tenant(tenant, runtime.plugins)
    now = now or utcnow()
    async with runtime.db.transaction(tenant.id) as session:
        if (await session.scalar(select(Order.id).limit(1)) is not None
                or await session.scalar(select(Warehouse.id).limit(1)) is not None):
            return 0
        demo_customer = CustomerDetails(name="Demo Customer", email=f"customer@{tenant.slug}-demo.com")
        people = [await _customer(session, current, person) for person in (*PEOPLE, demo_customer)]
        staff = Principal(kind="staff", subject="demo-seed", tenant_id=tenant.id)
        desk = _Desk(session, current, runtime.settings, now, staff, people)
        models = {spec.sku: (await save_model(session, ModelDescription(
            sku=spec.sku, name=spec.name, category=spec.category, in_stock=spec.in_stock,
            list_price_minor=spec.list_price_minor)))[0] for spec in CATALOGUE}
        central, regional = [await warehouses.create_warehouse(session, current, new) for new in WAREHOUSES]
        taken = await _orders(desk, central, regional, models["ENT-RF-500"].id)
    await send_late_delivery_notices(runtime, tenant.id, now)  # the worker's job, as its next pass would
    return taken


async def _customer(session: AsyncSession, tenant: CurrentTenant, person: CustomerDetails) -> uuid.UUID:
    """The invented person as a customer, found or registered the way an agent's order registers them."""
    details, problems = validate_customer(person, tenant.record.country, "customer")
    assert not problems, problems
    return await find_or_create_customer_id(session, details)


async def _orders(desk: _Desk, central: Warehouse, regional: Warehouse, fridge: uuid.UUID) -> int:
    """Every demo order (see the module); returns how many."""
    demo, now = 4, desk.now
    # Awaiting payment with an open pro-forma, valid for the vertical's business days (the demo customer's).
    waiting = await desk.take(demo, "ENT-AC-240", "cash", desk.ago(0, 2), promised_after=21)
    await desk.issue(waiting, desk.ago(0, 2))
    # Unfunded for 40 days: its pro-forma expired long ago, and it is on the follow-up list (over 30 days).
    unfunded = await desk.take(0, "ENT-CK-100", "cash", desk.ago(40))
    await desk.issue(unfunded, desk.ago(40))
    await followup.expire_proformas(desk.session, now)
    # A cheque handed in and never cleared: escalated to finance once the vertical's business days passed (looked
    # back from now, so a run during Nowruz's holidays still has them behind it).
    handed_in, days = desk.ago(5), order_terms(desk.tenant).cheque_approval_business_days or 0
    while business_days_later(desk.tenant, handed_in, days + 1) > now:
        handed_in -= timedelta(days=1)
    cheque = await desk.take(1, "ENT-WM-800", "cheque", handed_in)
    issued = await desk.issue(cheque, handed_in)
    await proformas.pay_proforma(desk.session, desk.settings, cheque, issued.proforma.id,
                                 proformas.Payment("cheque", "CHQ-0000-0001"), actor=ACTOR, now=handed_in)
    await followup.escalate_cheques(desk.session, desk.tenant, now)
    # Funded (paid in cash), waiting for its warehouse.
    await desk.funded(await desk.take(2, "ENT-WM-800", "cash", desk.ago(2), promised_after=14), desk.ago(2))
    # Allocated to the central warehouse in Tehran.
    allocated = await desk.funded(await desk.take(3, "ENT-AC-240", "cash", desk.ago(5), promised_after=14),
                                  desk.ago(5))
    await desk.allocated(allocated, central, desk.ago(4))
    # Dispatched from the regional warehouse in Isfahan; the demo customer's address change a day later is refused.
    dispatched = await desk.take(demo, "ENT-RF-500", "cash", desk.ago(8), place=ISFAHAN, store=STORE_ISFAHAN,
                                 promised_after=14)
    await desk.dispatched(await desk.allocated(await desk.funded(dispatched, desk.ago(8)), regional, desk.ago(7)),
                          desk.ago(2))
    await changes.ask_change(desk.session, desk.tenant, dispatched.id, changes.AskedChange(
        delivery_address="خیابان دیگر، کوچه صفر، پلاک ۰، اصفهان"), customer_id=None, actor=ACTOR, now=desk.ago(1))
    # Delivered with its box sealed, before the promised day.
    delivered = await desk.funded(await desk.take(0, "ENT-CK-100", "cash", desk.ago(12), promised_after=10),
                                  desk.ago(12))
    await desk.delivered(await desk.dispatched(await desk.allocated(delivered, central, desk.ago(11)),
                                               desk.ago(9)), desk.ago(8))
    await _installed(desk, central, fridge)
    # Late: promised ten days after it was taken 20 days ago, still at the warehouse; the notice goes after commit.
    late = await desk.funded(await desk.take(1, "ENT-RF-500", "cash", desk.ago(20), promised_after=10),
                             desk.ago(20))
    await desk.allocated(late, central, desk.ago(18))
    # A pro-forma listing the out-of-stock dishwasher for a washing machine: a store violation complaint.
    mismatched = await desk.take(2, "ENT-WM-800", "cash", desk.ago(3))
    await desk.issue(mismatched, desk.ago(3), lines=(proformas.ListedLine(OUT_OF_STOCK, 1, 380_000_000),))
    return int(await desk.session.scalar(select(func.count()).select_from(Order)) or 0)


async def _installed(desk: _Desk, central: Warehouse, fridge: uuid.UUID) -> None:
    """The demo customer's fridge: promised a festival card at sale, delivered, installed by the authorised
    installer, the card issued from the invoice's date."""
    taken_at = desk.ago(20)
    order = await desk.take(4, "ENT-RF-500", "cash", taken_at)
    sold_on = desk.day(taken_at)
    await cards.promise_card(desk.session, desk.tenant, order.id, FESTIVAL, sold_on - timedelta(days=7),
                             sold_on + timedelta(days=7), actor=ACTOR, now=taken_at)
    await desk.funded(order, taken_at)
    await desk.delivered(await desk.dispatched(await desk.allocated(order, central, desk.ago(19)), desk.ago(17)),
                         desk.ago(16))
    serial = "ENTRF5000001"
    desk.session.add(Serial(serial=serial, model_id=fridge, batch="DEMO", seller=STORE_TEHRAN))
    await desk.session.flush()
    installer, offering = await _installer(desk)
    booked_at = desk.ago(16) + timedelta(hours=1)
    starts_at = await _next_start(desk, installer, booked_at)
    await installation.book_installation(desk.session, desk.tenant, order.id, installation.InstallationAsk(
        serials=[serial], provider_id=installer, offering_id=offering, starts_at=starts_at), actor=ACTOR,
        now=booked_at)
    await installation.confirm_installation(desk.session, desk.tenant, order.id, installed_on=desk.day(starts_at),
                                            invoice_date=sold_on, actor=ACTOR, now=starts_at + timedelta(hours=3))


async def _installer(desk: _Desk) -> tuple[uuid.UUID, uuid.UUID]:
    """An active installer authorised by the tenant, open Saturday to Thursday; returns it and its offering."""
    session, tenant = desk.session, desk.tenant
    provider = await providers.create_provider(session, tenant.record.country, dict(INSTALLER))
    await providers.change_status(session, provider.id, "active", "demo installer")
    await providers.set_authorisation(session, provider.id, authorised=True, until=None, reference="AUTH-0000-0001",
                                      today=desk.day(desk.ago(30)))
    name, latitude, longitude, radius = INSTALLER_AT
    await locations.add_location(session, provider.id, locations.LocationDetails(
        name=name, latitude=latitude, longitude=longitude, service_radius_km=radius))
    await schedules.replace_week(session, provider.id, [(day, time(8), time(17)) for day in (5, 6, 0, 1, 2, 3)])
    await prices.set_price(session, provider.id, "install_refrigerator", prices.PriceDetails(price="0"),
                           currency=tenant.record.currency)
    offering = (await session.scalars(select(Offering.id).where(Offering.code == "install_refrigerator"))).one()
    return provider.id, offering


async def _next_start(desk: _Desk, provider_id: uuid.UUID, after: datetime) -> datetime:
    """The installer's first free start from the day after ``after``."""
    day = desk.day(after)
    for _ in range(14):
        day += timedelta(days=1)
        slots = await day_slots(desk.session, desk.tenant.calendar, provider_id, "install_refrigerator", day,
                                now=after)
        if slots.starts:
            return slots.starts[0]
    raise AssertionError("the demo installer has no free time within two weeks")
