"""Cheques: pending until cleared or bounced; after a bounce the customer waits the days the tenant's vertical
gives (Entekhab: two weeks, a tenant's own setting otherwise), counted in days of the tenant's time zone, and is
told the day by the outbox."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from aftersales.errors import Conflict
from aftersales.outbox.models import OutboxMessage
from aftersales.payments.customer_payments import cheques
from aftersales.payments.customer_payments import services as service
from aftersales.payments.ledger import services as ledger
from aftersales.payments.ledger.services import EntryKind
from aftersales.tenancy.current import bind_tenant
from support.marketplace import add_customer
from support.payments import staff

BERLIN = ZoneInfo("Europe/Berlin")
API = "/api/v1/payments"


def berlin(day: int, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in March 2026 in the test tenant's zone, as UTC."""
    return datetime(2026, 3, day, hour, minute, tzinfo=BERLIN).astimezone(UTC)


async def cheque(runtime, tenant, customer, amount: int = 400_00, now: datetime | None = None):
    async with runtime.db.transaction(tenant.id) as s:
        started = await service.start_payment(s, runtime.settings, service.NewPayment(
            customer_id=customer, purpose="order", amount_minor=amount, currency="EUR", provider="offline",
            method="cheque", reference="CHQ-0042"), actor="staff:finance-1", now=now or berlin(2, 9))
        return started.payment.id


async def act(runtime, tenant, action, payment_id, now: datetime):
    async with runtime.db.transaction(tenant.id) as s:
        current = bind_tenant(tenant, runtime.plugins)
        if action == "clear":
            return await cheques.clear_cheque(s, staff(tenant), payment_id, actor="staff:finance-1", now=now)
        if action == "bounce":
            return await cheques.bounce_cheque(s, current, staff(tenant), payment_id, reason="insufficient funds",
                                               actor="staff:finance-1", now=now)
        return await cheques.represent_cheque(s, current, staff(tenant), payment_id, actor="staff:finance-1",
                                              now=now)


async def entries(runtime, tenant, payment_id):
    async with runtime.db.transaction(tenant.id) as s:
        found = await ledger.entries(s, payment_id=payment_id)
        return [(e.kind, e.amount_minor) for e in found], await ledger.payment_totals(s, payment_id)


async def test_a_cheque_waits_and_clearing_captures_it(runtime, make_tenant):
    acme = await make_tenant("acme", vertical="appliances")
    payment = await cheque(runtime, acme, await add_customer(runtime, acme))
    kinds, totals = await entries(runtime, acme, payment)
    assert kinds == [(EntryKind.CHARGE, 400_00)] and totals.captured.amount_minor == 0
    assert (await act(runtime, acme, "clear", payment, berlin(4, 10))).state == "captured"
    kinds, totals = await entries(runtime, acme, payment)
    assert kinds[-1] == (EntryKind.CAPTURE, 400_00) and totals.captured.amount_minor == 400_00
    with pytest.raises(Conflict, match="captured"):
        await act(runtime, acme, "clear", payment, berlin(4, 11))


async def test_a_cleared_cheque_that_bounces_has_its_capture_reversed(runtime, make_tenant):
    acme = await make_tenant("acme", vertical="appliances")
    payment = await cheque(runtime, acme, await add_customer(runtime, acme))
    await act(runtime, acme, "clear", payment, berlin(3, 10))
    bounced = await act(runtime, acme, "bounce", payment, berlin(5, 10))
    assert (bounced.state, bounced.state_reason) == ("bounced", "insufficient funds")
    kinds, totals = await entries(runtime, acme, payment)
    assert kinds[-1] == (EntryKind.CAPTURE_REVERSAL, 400_00) and totals.captured.amount_minor == 0


async def test_re_presenting_on_day_13_is_refused_with_the_day_and_day_14_is_allowed(runtime, make_tenant):
    acme = await make_tenant("acme", vertical="appliances")  # Europe/Berlin
    payment = await cheque(runtime, acme, await add_customer(runtime, acme))
    bounced = await act(runtime, acme, "bounce", payment, berlin(2, 23, 30))  # 22:30 UTC, still the 2nd locally
    assert (bounced.details["bounced_on"], bounced.details["representable_on"]) == ("2026-03-02", "2026-03-16")
    with pytest.raises(Conflict, match="presented again from 2026-03-16"):
        await act(runtime, acme, "represent", payment, berlin(15, 23, 59))  # day 13 ends at local midnight
    again = await act(runtime, acme, "represent", payment, berlin(16, 0, 0))  # day 14, though 15 March in UTC
    assert again.state == "pending" and again.details["presentation"] == 2
    await act(runtime, acme, "clear", payment, berlin(17, 9))
    kinds, totals = await entries(runtime, acme, payment)
    assert [k for k, _ in kinds] == [EntryKind.CHARGE, EntryKind.CAPTURE]  # bounced before it ever cleared
    assert totals.captured.amount_minor == 400_00


async def test_a_cheque_bounces_clears_bounces_and_clears_again_with_one_entry_each(runtime, make_tenant):
    acme = await make_tenant("acme", vertical="appliances")
    payment = await cheque(runtime, acme, await add_customer(runtime, acme))
    await act(runtime, acme, "clear", payment, berlin(3, 9))
    await act(runtime, acme, "bounce", payment, berlin(4, 9))
    await act(runtime, acme, "represent", payment, berlin(18, 9))
    await act(runtime, acme, "clear", payment, berlin(19, 9))
    kinds, totals = await entries(runtime, acme, payment)
    assert [k for k, _ in kinds] == [EntryKind.CHARGE, EntryKind.CAPTURE, EntryKind.CAPTURE_REVERSAL,
                                     EntryKind.CAPTURE]
    assert totals.captured.amount_minor == 400_00


async def test_the_customer_is_told_by_the_outbox_the_day_they_may_present_it_again(runtime, make_tenant):
    acme = await make_tenant("acme", vertical="appliances")
    payment = await cheque(runtime, acme, await add_customer(runtime, acme))
    await act(runtime, acme, "bounce", payment, berlin(2, 12))
    async with runtime.db.transaction(acme.id) as s:
        [message] = (await s.scalars(select(OutboxMessage).where(OutboxMessage.event == "payment.cheque_bounced"))).all()
    assert message.channel == "email" and message.recipient.endswith("@example.com")
    assert "March 16, 2026" in message.body and "wait 14 days" in message.body and "two weeks" not in message.body
    assert message.payload["representable_on"] == "2026-03-16"


async def test_finance_bounces_and_re_presents_over_the_api(runtime, client, make_tenant, staff_token,
                                                           customer_token):
    acme = await make_tenant("acme", vertical="appliances")
    finance = await staff_token(acme, "finance")
    customer_id, customer = await customer_token(acme)
    started = await client.post(API, headers=finance, json={
        "customer_id": str(customer_id), "purpose": "order", "amount_minor": 250_00, "currency": "EUR",
        "provider": "offline", "method": "cheque", "reference": "CHQ-7"})
    assert started.status_code == 201 and started.json()["state"] == "pending"
    payment_id = started.json()["id"]
    bounced = await client.post(f"{API}/{payment_id}/cheque/bounce", headers=finance, json={"reason": "signature"})
    assert bounced.status_code == 200, bounced.text
    cheque_facts = bounced.json()["cheque"]
    assert cheque_facts["bounces"] == 1 and cheque_facts["representable_on"] is not None
    early = await client.post(f"{API}/{payment_id}/cheque/represent", headers=finance)
    assert early.status_code == 409 and cheque_facts["representable_on"] in early.json()["detail"]
    assert (await client.post(f"{API}/{payment_id}/cheque/clear", headers=finance)).status_code == 409
    assert (await client.post(f"{API}/{payment_id}/cheque/bounce", headers=customer, json={})).status_code == 403
    cash = await client.post(API, headers=finance, json={
        "customer_id": str(customer_id), "purpose": "order", "amount_minor": 1_00, "currency": "EUR",
        "provider": "offline", "method": "cash"})
    assert (await client.post(f"{API}/{cash.json()['id']}/cheque/clear", headers=finance)).status_code == 409


async def test_the_wait_after_a_bounce_is_the_tenants_own_setting(runtime, make_tenant):
    """A tenant that sets ``bounced_cheque_wait_days`` to 10 re-presents on day 10, not 14 (the setting is read)."""
    short = await make_tenant("short-wait", vertical="appliances", settings={"appliances": {"bounced_cheque_wait_days": 10}})
    payment = await cheque(runtime, short, await add_customer(runtime, short))
    bounced = await act(runtime, short, "bounce", payment, berlin(2, 12))
    assert bounced.details["representable_on"] == "2026-03-12"
    with pytest.raises(Conflict, match="presented again from 2026-03-12"):
        await act(runtime, short, "represent", payment, berlin(11, 23, 59))  # day 9
    assert (await act(runtime, short, "represent", payment, berlin(12, 0, 0))).state == "pending"  # day 10
    async with runtime.db.transaction(short.id) as s:
        [message] = (await s.scalars(select(OutboxMessage).where(OutboxMessage.event == "payment.cheque_bounced"))).all()
    assert "wait 10 days" in message.body and "March 12, 2026" in message.body


async def test_entekhab_re_presents_on_day_14_not_13(runtime, make_tenant):
    """The default appliances wait is the seed's two weeks: day 13 refused, day 14 allowed."""
    entekhab = await make_tenant("entekhab-wait", vertical="appliances")
    payment = await cheque(runtime, entekhab, await add_customer(runtime, entekhab))
    await act(runtime, entekhab, "bounce", payment, berlin(2, 12))
    with pytest.raises(Conflict, match="2026-03-16"):
        await act(runtime, entekhab, "represent", payment, berlin(15, 12))
    assert (await act(runtime, entekhab, "represent", payment, berlin(16, 12))).state == "pending"


async def test_a_vertical_without_a_wait_re_presents_at_once(runtime, make_tenant):
    """The core default waits no day: a tenant whose vertical gives no wait may present the cheque again."""
    acme = await make_tenant("no-wait")  # electronics: no order terms of its own
    payment = await cheque(runtime, acme, await add_customer(runtime, acme))
    await act(runtime, acme, "bounce", payment, berlin(2, 12))
    assert (await act(runtime, acme, "represent", payment, berlin(2, 13))).state == "pending"


async def test_a_persian_customer_is_told_in_persian_with_the_jalali_day(runtime, make_tenant):
    """Bounced 2 March 2026 with 14 days to wait: from 16 March, 25 Esfand 1404 in the Jalali calendar."""
    from aftersales.identity.models import Customer

    entekhab = await make_tenant("entekhab-fa", vertical="appliances")
    async with runtime.db.transaction(entekhab.id) as s:
        customer = Customer(name="رضا", email="reza@example.com", locale="fa")
        s.add(customer)
        await s.flush()
        customer_id = customer.id
    payment = await cheque(runtime, entekhab, customer_id)
    await act(runtime, entekhab, "bounce", payment, berlin(2, 12))
    async with runtime.db.transaction(entekhab.id) as s:
        [message] = (await s.scalars(select(OutboxMessage).where(OutboxMessage.event == "payment.cheque_bounced"))).all()
    assert "برگشت خورد" in message.body and "۱۴" in message.body and "۲۵ اسفند ۱۴۰۴" in message.body
    assert message.subject.endswith("چک شما پرداخت نشد")
