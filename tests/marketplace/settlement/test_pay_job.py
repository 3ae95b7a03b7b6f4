"""Paying a completed marketplace job: exactly the charge, once while a payment is live, split into the
provider's payout and the platform's fee on capture; a provider reads only its own payouts; a job counts as paid
for ratings only once its payment is captured."""

from __future__ import annotations

import uuid

from sqlalchemy import select, update

from aftersales.marketplace.models import JobCharge, Provider
from aftersales.marketplace.ratings.services import job_paid
from aftersales.payments.ledger.models import LedgerEntry, Payment
from support.marketplace import add_booking, add_provider
from support.payments import authorised_job_payment, count_rows

API = "/api/v1/marketplace"
CHARGE, FEE = 230_00, 23_00


async def charged_job(runtime, tenant, customer_id, *, provider=None, charged: bool = True):
    """A completed job of a provider (payout account ``acct_1``), charged 230.00 EUR with a 23.00 fee."""
    setup = provider or await add_provider(runtime, tenant)
    booking_id = await add_booking(runtime, tenant, setup, customer_id, state="completed")
    async with runtime.db.transaction(tenant.id) as s:
        await s.execute(update(Provider).where(Provider.id == setup.provider_id).values(payout_account="acct_1"))
        if charged:
            s.add(JobCharge(booking_id=booking_id, outcome="created", amount_minor=CHARGE, cap_minor=CHARGE,
                            currency="EUR", platform_fee_minor=FEE, provider_payout_minor=CHARGE - FEE,
                            requested_by="test"))
    return setup, booking_id


async def split_of(runtime, tenant, payment_id) -> list[tuple[str, int]]:
    async with runtime.db.transaction(tenant.id) as s:
        rows = (await s.scalars(select(LedgerEntry).where(LedgerEntry.payment_id == uuid.UUID(str(payment_id)),
                                                          LedgerEntry.provider_id.is_not(None))
                                .order_by(LedgerEntry.kind))).all()
    return [(e.kind, e.amount_minor) for e in rows]


async def test_finance_records_the_jobs_cash_for_exactly_the_charge_and_it_splits(runtime, client, make_tenant,
                                                                                  staff_token, customer_token):
    acme = await make_tenant("acme")
    finance = await staff_token(acme, "finance")
    customer_id, _ = await customer_token(acme)
    _, booking_id = await charged_job(runtime, acme, customer_id)
    paid = await client.post(f"{API}/bookings/{booking_id}/payment", headers=finance,
                             json={"provider": "offline", "method": "cash"})
    assert paid.status_code == 201, paid.text
    body = paid.json()
    assert (body["purpose"], body["subject_type"], body["subject_id"]) == ("job", "booking", str(booking_id))
    assert (body["amount_minor"], body["captured_minor"], body["state"]) == (CHARGE, CHARGE, "captured")
    assert await split_of(runtime, acme, body["id"]) == [("platform_fee", FEE), ("provider_payout", CHARGE - FEE)]


async def test_a_second_payment_of_a_job_is_refused_while_one_is_live(runtime, client, make_tenant, staff_token,
                                                                      customer_token):
    acme = await make_tenant("acme")
    finance = await staff_token(acme, "finance")
    customer_id, _ = await customer_token(acme)
    _, booking_id = await charged_job(runtime, acme, customer_id)
    url = f"{API}/bookings/{booking_id}/payment"
    first = await client.post(url, headers=finance, json={"provider": "offline", "method": "bank_transfer",
                                                          "reference": "TR-1"})
    assert first.status_code == 201
    second = await client.post(url, headers=finance, json={"provider": "offline", "method": "cash"})
    assert second.status_code == 409 and "captured" in second.json()["detail"]
    assert await count_rows(runtime, acme, Payment) == 1


async def test_a_job_not_charged_yet_has_nothing_to_pay(runtime, client, make_tenant, staff_token, customer_token):
    acme = await make_tenant("acme")
    finance = await staff_token(acme, "finance")
    customer_id, _ = await customer_token(acme)
    _, booking_id = await charged_job(runtime, acme, customer_id, charged=False)
    answer = await client.post(f"{API}/bookings/{booking_id}/payment", headers=finance,
                               json={"provider": "offline", "method": "cash"})
    assert answer.status_code == 409 and "not been charged" in answer.json()["detail"]
    cheque = await client.post(f"{API}/bookings/{booking_id}/payment", headers=finance,
                               json={"provider": "offline", "method": "cheque", "reference": "C-9"})
    assert cheque.status_code == 409  # no charge is checked before the method
    assert await count_rows(runtime, acme, Payment) == 0


async def test_capturing_an_authorised_job_payment_posts_the_split(runtime, client, make_tenant, staff_token,
                                                                  customer_token):
    acme = await make_tenant("acme")
    finance = await staff_token(acme, "finance")
    customer_id, _ = await customer_token(acme)
    setup, booking_id = await charged_job(runtime, acme, customer_id)
    payment = await authorised_job_payment(runtime, acme, booking_id, customer_id, CHARGE,
                                           provider_id=setup.provider_id, fee_minor=FEE)
    assert await split_of(runtime, acme, payment) == []
    again = await client.post(f"{API}/bookings/{booking_id}/payment", headers=finance,
                              json={"provider": "offline", "method": "cash"})
    assert again.status_code == 409 and "authorized" in again.json()["detail"]
    captured = await client.post(f"/api/v1/payments/{payment}/capture", headers=finance)
    assert captured.status_code == 200, captured.text
    assert (captured.json()["state"], captured.json()["captured_minor"]) == ("captured", CHARGE)
    assert await split_of(runtime, acme, payment) == [("platform_fee", FEE), ("provider_payout", CHARGE - FEE)]
    assert (await client.post(f"/api/v1/payments/{payment}/capture", headers=finance)).status_code == 409


async def test_a_provider_reads_only_its_own_payouts(runtime, client, make_tenant, staff_token, customer_token,
                                                     provider_token):
    acme = await make_tenant("acme")
    finance = await staff_token(acme, "finance")
    customer_id, customer = await customer_token(acme)
    setup, booking_id = await charged_job(runtime, acme, customer_id)
    other = await add_provider(runtime, acme, name="Garage Two")
    await client.post(f"{API}/bookings/{booking_id}/payment", headers=finance,
                      json={"provider": "offline", "method": "cash"})
    own = await provider_token(acme, setup.provider_id)
    statement = (await client.get(f"{API}/providers/{setup.provider_id}/payouts", headers=own)).json()
    assert statement["totals"] == [{"currency": "EUR", "paid_out_minor": CHARGE - FEE, "reversed_minor": 0,
                                    "net_minor": CHARGE - FEE}]
    assert [e["kind"] for e in statement["entries"]] == ["provider_payout"]
    assert (await client.get(f"{API}/providers/{setup.provider_id}/payouts", headers=finance)).status_code == 200
    theirs = await provider_token(acme, other.provider_id)
    assert (await client.get(f"{API}/providers/{setup.provider_id}/payouts", headers=theirs)).status_code == 404
    assert (await client.get(f"{API}/providers/{setup.provider_id}/payouts", headers=customer)).status_code == 403


async def test_another_tenants_job_and_provider_do_not_exist(runtime, client, make_tenant, staff_token,
                                                             customer_token):
    acme, globex = await make_tenant("acme"), await make_tenant("globex")
    foreign_customer, _ = await customer_token(globex)
    setup, booking_id = await charged_job(runtime, globex, foreign_customer)
    finance = await staff_token(acme, "finance")
    paid = await client.post(f"{API}/bookings/{booking_id}/payment", headers=finance,
                             json={"provider": "offline", "method": "cash"})
    assert paid.status_code == 404
    assert (await client.get(f"{API}/providers/{setup.provider_id}/payouts", headers=finance)).status_code == 404
    assert await count_rows(runtime, globex, Payment) == 0


async def test_a_customer_pays_only_their_own_job_and_only_by_card(runtime, client, make_tenant, customer_token):
    acme = await make_tenant("acme")
    sara, sara_token = await customer_token(acme)
    omid, _ = await customer_token(acme)
    _, hers = await charged_job(runtime, acme, sara)
    _, his = await charged_job(runtime, acme, omid)
    cash = await client.post(f"{API}/bookings/{hers}/payment", headers=sara_token,
                             json={"provider": "offline", "method": "cash"})
    assert cash.status_code == 403
    assert (await client.post(f"{API}/bookings/{his}/payment", headers=sara_token,
                              json={"provider": "stripe", "method": "card"})).status_code == 404


async def test_a_job_is_paid_for_ratings_only_once_its_payment_is_captured(runtime, client, make_tenant,
                                                                          staff_token, customer_token):
    acme = await make_tenant("acme")
    finance = await staff_token(acme, "finance")
    customer_id, _ = await customer_token(acme)
    setup, booking_id = await charged_job(runtime, acme, customer_id)
    async with runtime.db.transaction(acme.id) as s:
        assert not await job_paid(s, booking_id)  # a created charge is not money received
    payment = await authorised_job_payment(runtime, acme, booking_id, customer_id, CHARGE,
                                           provider_id=setup.provider_id, fee_minor=FEE)
    async with runtime.db.transaction(acme.id) as s:
        assert not await job_paid(s, booking_id)  # authorised, not captured
    await client.post(f"/api/v1/payments/{payment}/capture", headers=finance)
    async with runtime.db.transaction(acme.id) as s:
        assert await job_paid(s, booking_id)
