"""A late delivery's compensation is given (seed 001: "late delivery: … what compensation applies"): at delivery
the amount the vertical owes for the days late (Entekhab: 0.1 % of the order's price a day, at most 5 %) is
credited to the customer's store credit through the ledger — once per order, a retry finds the entry — and the
customer is told; delivered on the promised day, or by a tenant that gives nothing, nothing is credited."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from aftersales.orders.fulfilment import moves
from aftersales.orders.fulfilment.compensation import credit_compensation, operation_id
from aftersales.orders.models import Order
from aftersales.outbox.models import OutboxMessage
from aftersales.payments.ledger import services as ledger
from aftersales.payments.ledger.models import LedgerEntry, Wallet
from support.fulfilment import TOTAL, act, add_order, add_warehouse, entekhab, local
from support.service import TEHRAN

PROMISED = date(2026, 3, 10)
TOLD = "order.compensation_credited"


async def dispatched(runtime, tenant, promised_on=PROMISED, **order):
    placed = await add_order(runtime, tenant, promised_on=promised_on, **order)
    warehouse = await add_warehouse(runtime, tenant)
    start = datetime.combine(promised_on - timedelta(days=8), datetime.min.time(), tzinfo=TEHRAN)
    await act(runtime, tenant, lambda s, t: moves.allocate(s, t, placed.order_id, warehouse, None, actor="staff:w",
                                                           now=start + timedelta(hours=9)))
    await act(runtime, tenant, lambda s, t: moves.dispatch(s, placed.order_id, actor="staff:w",
                                                           now=start + timedelta(days=1, hours=9)))
    return placed


async def deliver(runtime, tenant, placed, day):
    return await act(runtime, tenant, lambda s, t: moves.deliver(s, t, placed.order_id, sealed=True,
                                                                 actor="staff:driver", now=local(day, 23, 59)))


async def credits(runtime, tenant, customer_id):
    async with runtime.db.transaction(tenant.id) as s:
        entries = (await s.scalars(select(LedgerEntry).where(LedgerEntry.customer_id == customer_id))).all()
        balance = await ledger.wallet_balance(s, customer_id, "IRR")
        told = (await s.scalars(select(OutboxMessage).where(OutboxMessage.event == TOLD))).all()
    return entries, balance.amount_minor, told


async def test_delivered_on_the_promised_day_credits_nothing(runtime, make_tenant):
    tenant = await entekhab(make_tenant)
    placed = await dispatched(runtime, tenant)
    found = await deliver(runtime, tenant, placed, PROMISED)  # 23:59 on the promised day: not late
    assert found.fulfilment.late_compensation_minor is None
    assert await credits(runtime, tenant, placed.customer_id) == ([], 0, [])


async def test_three_days_late_credits_three_times_a_tenth_of_a_percent_to_the_wallet(runtime, make_tenant):
    tenant = await entekhab(make_tenant)
    placed = await dispatched(runtime, tenant, email=None)
    await deliver(runtime, tenant, placed, PROMISED + timedelta(days=3))
    entries, balance, told = await credits(runtime, tenant, placed.customer_id)
    owed = TOTAL * 3 * 10 // 10_000  # 0.3 % of 200,000,000 rial
    [entry] = entries
    assert (entry.kind, entry.amount_minor, entry.currency, balance) == ("wallet_credit", owed, "IRR", owed)
    assert entry.payment_id is None and entry.actor == "staff:driver"
    assert entry.reason.startswith(f"late delivery compensation for order #{placed.number}: 600000 IRR for 3 days late")
    assert entry.operation_id == f"late-delivery:{placed.order_id}"
    [sms] = told  # one message, by SMS to the customer's phone, in Persian
    assert sms.channel == "sms" and sms.payload["amount_minor"] == owed and sms.payload["days_late"] == 3
    assert "کیف پول" in sms.body and "تأخیر" in sms.body and "store credit" not in sms.body


async def test_sixty_days_late_is_capped_at_five_percent(runtime, make_tenant):
    tenant = await entekhab(make_tenant)
    placed = await dispatched(runtime, tenant)
    await deliver(runtime, tenant, placed, PROMISED + timedelta(days=60))
    _entries, balance, _told = await credits(runtime, tenant, placed.customer_id)
    assert balance == TOTAL * 500 // 10_000  # 60 × 0.1 % = 6 %, capped at 5 %


async def test_a_retried_credit_is_the_first_entry_and_the_balance_is_the_sum_of_entries(runtime, make_tenant):
    tenant = await entekhab(make_tenant)
    placed = await dispatched(runtime, tenant)
    await deliver(runtime, tenant, placed, PROMISED + timedelta(days=3))

    async def again(s, t):
        order = await s.scalar(select(Order).where(Order.id == placed.order_id))
        compensation = t.hooks.aftersales_late_delivery_compensation(
            tenant=t.context, delivery=moves.late_delivery(order, None, 3))
        return await credit_compensation(s, t, order, 3, compensation, actor="staff:driver",
                                         now=local(PROMISED + timedelta(days=3), 23, 59))

    retried = await act(runtime, tenant, again)
    entries, balance, told = await credits(runtime, tenant, placed.customer_id)
    assert [e.id for e in entries] == [retried.id] and len(told) == 1
    async with runtime.db.transaction(tenant.id) as s:
        wallet = await s.scalar(select(Wallet).where(Wallet.customer_id == placed.customer_id))
        listed = await ledger.entries(s, wallet_id=wallet.id)
    assert balance == sum(e.amount_minor if e.kind == "wallet_credit" else -e.amount_minor for e in listed)
    assert operation_id(await _order(runtime, tenant, placed)) == retried.operation_id


async def test_a_tenant_whose_compensation_is_zero_credits_nothing(runtime, make_tenant):
    tenant = await entekhab(make_tenant, late_delivery_compensation_bps_per_day=0)
    placed = await dispatched(runtime, tenant)
    found = await deliver(runtime, tenant, placed, PROMISED + timedelta(days=3))
    assert found.fulfilment.late_compensation_minor == 0
    assert await credits(runtime, tenant, placed.customer_id) == ([], 0, [])


async def test_the_wallet_shows_the_credit_as_store_credit_with_its_reason(client, runtime, make_tenant, staff_token,
                                                                           customer_token):
    tenant = await entekhab(make_tenant)
    other = await entekhab(make_tenant, slug="other-shop")
    finance, admin = await staff_token(tenant, "finance"), await staff_token(tenant, "admin")
    today = datetime.now(TEHRAN).date()
    placed = await dispatched(runtime, tenant, promised_on=today - timedelta(days=3))
    delivered = await client.post(f"/api/v1/orders/{placed.order_id}/delivery", headers=admin,
                                  json={"box_sealed": True})
    assert delivered.status_code == 200, delivered.text
    wallet = await client.get(f"/api/v1/customers/{placed.customer_id}/wallet", headers=finance)
    assert wallet.status_code == 200, wallet.text
    owed = TOTAL * 30 // 10_000
    assert (wallet.json()["balance_minor"], wallet.json()["currency"]) == (owed, "IRR")
    [entry] = wallet.json()["entries"]
    assert (entry["kind"], entry["amount_minor"], entry["payment_id"]) == ("wallet_credit", owed, None)
    assert entry["reason"].startswith(f"late delivery compensation for order #{placed.number}: ")
    assert "for 3 days late: 0.1% of the order's price for each day late, at most 5%" in entry["reason"]
    again = await client.post(f"/api/v1/orders/{placed.order_id}/delivery", headers=admin, json={"box_sealed": True})
    assert again.status_code == 409  # delivered once
    assert (await client.get(f"/api/v1/customers/{placed.customer_id}/wallet",
                             headers=finance)).json()["balance_minor"] == owed
    _, me = await customer_token(tenant, placed.customer_id)  # the customer reads it in their own wallet
    assert (await client.get(f"/api/v1/customers/{placed.customer_id}/wallet", headers=me)).json()["entries"] == [entry]
    foreign = await client.get(f"/api/v1/customers/{placed.customer_id}/wallet",
                               headers=await staff_token(other, "finance"))
    assert foreign.status_code == 404


async def _order(runtime, tenant, placed):
    async with runtime.db.transaction(tenant.id) as s:
        return await s.scalar(select(Order).where(Order.id == placed.order_id))
