"""``make demo``'s order desk and disputes: Entekhab's orders in every state (seeded through the real services,
so the pro-forma is open, the unfunded one on the follow-up list, the cheque escalated, the late one noticed),
shown in the console's order list and in the demo customer's "My orders"; Carmax's and Yizhongyi's demo customer
with a dispute in mediation and one ruled. Seeding again adds nothing."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from sqlalchemy import select

from aftersales.db.base import utcnow
from aftersales.demo.disputes import seed_demo_disputes
from aftersales.demo.orders import NATIONAL_IDS, seed_demo_orders
from aftersales.demo.seed import seed_demo
from aftersales.demo.units import seed_demo_units
from aftersales.disputes.models import Dispute
from aftersales.identity.models import Customer
from aftersales.onboarding.manifest import read_manifest_file
from aftersales.onboarding.services import onboard
from aftersales.orders import followup
from aftersales.orders.fulfilment.models import DeliveryChange, FestivalCard, Fulfilment, Warehouse
from aftersales.orders.models import Order, ProForma
from aftersales.outbox.models import OutboxMessage
from aftersales.payments.refunds.identity import CustomerIdentity, national_id_problem
from aftersales.service.models import Complaint
from aftersales.settings import REPO_ROOT
from aftersales.tenancy.current import bind_tenant
from aftersales.tenancy.models import Tenant
from aftersales.warranty.models import ProductModel
from support.service import TEHRAN, tehran

EVERY_STATE = {"awaiting_payment", "funded", "allocated", "dispatched", "delivered", "installed"}


async def _tenants(runtime):
    async with runtime.db.platform_session() as s:
        return {t.slug: t for t in await s.scalars(select(Tenant))}


async def _entekhab_at(runtime, entekhab, now):
    """Check Entekhab's demo orders as they stand at ``now``; returns the orders and the demo customer."""
    async with runtime.db.transaction(entekhab.id) as s:
        placed = list(await s.scalars(select(Order).order_by(Order.number)))
        states = Counter(order.state for order in placed)
        due = [o.id for o in await followup.followup_list(s, bind_tenant(entekhab, runtime.plugins), now)]
        escalated = [o.id for o in await followup.open_escalations(s)]
        open_proformas = list(await s.scalars(select(ProForma).where(ProForma.state == "open")))
        late = list(await s.scalars(select(Fulfilment).where(Fulfilment.late_notice_at.is_not(None))))
        notices = list(await s.scalars(select(OutboxMessage).where(OutboxMessage.event == "order.delivery_late")))
        refused = list(await s.scalars(select(DeliveryChange).where(DeliveryChange.state == "refused")))
        violations = list(await s.scalars(select(Complaint).where(Complaint.subject == "store_violation")))
        issued = list(await s.scalars(select(FestivalCard).where(FestivalCard.state == "issued")))
        stock = {m.sku: m.in_stock for m in await s.scalars(select(ProductModel).where(
            ProductModel.list_price_minor.is_not(None)))}
        stores = {(w.kind, w.province) for w in await s.scalars(select(Warehouse))}
        ids = set(await s.scalars(select(CustomerIdentity.national_id)))
        demo = await s.scalar(select(Customer).where(Customer.email == "customer@entekhab-demo.com"))
        emails = {c.email for c in await s.scalars(select(Customer).where(Customer.id.in_(
            [o.customer_id for o in placed])))}
    assert set(states) == EVERY_STATE
    assert states == {"awaiting_payment": 4, "funded": 1, "allocated": 2, "dispatched": 1, "delivered": 1,
                      "installed": 1}
    by_id = {o.id: o for o in placed}
    today = now.astimezone(TEHRAN).date()
    assert len(due) == 1 and (now - by_id[due[0]].created_at).days > 30
    assert len(escalated) == 1 and by_id[escalated[0]].payment_plan == "cheque"
    assert len(open_proformas) == 1 and open_proformas[0].valid_until > now
    assert len(late) == 1 and by_id[late[0].order_id].promised_delivery_on < today
    assert notices and {n.payload["order_id"] for n in notices} == {str(late[0].order_id)}
    assert len(refused) == 1 and by_id[refused[0].order_id].state == "dispatched" and "dispatched" in refused[0].reason
    assert len(violations) == 1 and by_id[violations[0].order_id].state == "awaiting_payment"
    assert len(issued) == 1 and by_id[issued[0].order_id].state == "installed"
    assert sorted(stock.values()) == [False, True, True, True, True]
    assert stores == {("central", "IR-23"), ("regional", "IR-10")}
    assert ids == set(NATIONAL_IDS) and all(national_id_problem(code) is None for code in ids)
    assert all(e.endswith(".example") or e == "customer@entekhab-demo.com" for e in emails)
    assert demo is not None
    return placed, demo


async def test_demo_entekhab_has_an_order_in_every_state_shown_in_the_console_and_my_orders(
        pages, runtime, sign_in_staff, sign_in_customer):
    await seed_demo(runtime, password="demo-password-1")
    tenants = await _tenants(runtime)
    entekhab = tenants["entekhab"]
    placed, demo = await _entekhab_at(runtime, entekhab, utcnow())

    # Seeding again adds nothing.
    assert await seed_demo_orders(runtime, entekhab) == 0
    for slug in ("carmax", "yizhongyi"):
        assert await seed_demo_disputes(runtime, tenants[slug]) == 0

    # The console's order list shows every state; the demo customer's "My orders" shows their three.
    await sign_in_staff(pages, entekhab, "agent")
    desk = await pages.get("/t/entekhab/console/orders")
    assert desk.status_code == 200
    assert set(re.findall(r'<tr data-order="\d+" data-state="([a-z_]+)"', desk.text)) == EVERY_STATE
    await sign_in_customer(pages, entekhab, demo.id)
    mine = await pages.get("/t/entekhab/my/orders")
    assert mine.status_code == 200
    shown = dict(re.findall(r'data-order="([0-9a-f-]+)" data-state="([a-z_]+)"', mine.text))
    assert shown == {str(o.id): o.state for o in placed if o.customer_id == demo.id}
    assert sorted(shown.values()) == ["awaiting_payment", "dispatched", "installed"]


async def test_demo_marketplace_tenants_have_a_dispute_in_mediation_and_one_ruled(
        pages, runtime, sign_in_staff, sign_in_customer):
    await seed_demo(runtime, password="demo-password-1")
    tenants = await _tenants(runtime)
    for slug, tenant in tenants.items():
        async with runtime.db.transaction(tenant.id) as s:
            found = {(d.subject, d.state, d.respondent) for d in await s.scalars(select(Dispute))}
            ruled = await s.scalar(select(Dispute).where(Dispute.state == "ruled"))
            demo = await s.scalar(select(Customer.id).where(Customer.email == f"customer@{slug}-demo.com"))
        if slug not in ("carmax", "yizhongyi"):
            assert found == set(), slug
            continue
        assert found == {("booking", "mediation", "provider"), ("request", "ruled", "company")}, slug
        assert ruled is not None and ruled.outcome == "partly" and ruled.ruling_reason
        await sign_in_staff(pages, tenant, "admin")
        console = await pages.get(f"/t/{slug}/console/disputes?state=all")
        assert sorted(re.findall(r'<tr data-dispute="[0-9a-f-]+" data-state="([a-z_]+)"', console.text)) == [
            "mediation", "ruled"], slug
        await sign_in_customer(pages, tenant, demo)
        mine = await pages.get(f"/t/{slug}/my/disputes")
        assert sorted(re.findall(r'data-dispute="[0-9a-f-]+" data-state="([a-z_]+)"', mine.text)) == [
            "mediation", "ruled"], slug


@pytest.mark.parametrize("now", [
    tehran("2026-03-24", 12),  # inside Nowruz: the cheque's three business days lie before the holidays
    tehran("2026-05-29", 9),  # a Friday, two days after Eid al-Adha
    tehran("2026-12-01", 0, 30),  # just after local midnight, when the UTC date is still the day before
])
async def test_the_demo_orders_hold_their_states_whenever_the_demo_runs(runtime, now):
    """Seeded as on days that could trip relative times (a holiday week, a weekend, the local evening), the demo
    still has every state: the registrations' own checks keep ``now`` in the past, as the real demo's is."""
    async with runtime.db.transaction(None) as s:
        entekhab, _ = await onboard(s, runtime.plugins, read_manifest_file(REPO_ROOT / "tenants" / "entekhab.toml"))
    await seed_demo_units(runtime, entekhab)
    assert await seed_demo_orders(runtime, entekhab, now=now) == 10
    await _entekhab_at(runtime, entekhab, now)
