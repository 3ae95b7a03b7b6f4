"""Store credit: top-ups credit the wallet, spending never takes it below zero (exactly the balance spends to
zero, one minor unit more is refused naming the balance, nothing written), customers see only their own."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from aftersales.contract.money import Money
from aftersales.db.base import utcnow
from aftersales.db.session import Database
from aftersales.payments.customer_payments import services as service
from aftersales.payments.ledger import services as ledger
from aftersales.payments.ledger.models import LedgerEntry, Payment
from aftersales.payments.ledger.services import LedgerRefused
from support.marketplace import add_customer
from support.payments import count_rows

PAYMENTS = "/api/v1/payments"


def wallet_url(customer_id) -> str:
    return f"/api/v1/customers/{customer_id}/wallet"


async def top_up(client, headers, customer_id, amount_minor: int, currency: str = "EUR"):
    answer = await client.post(f"{wallet_url(customer_id)}/top-ups", headers=headers, json={
        "amount_minor": amount_minor, "currency": currency, "provider": "offline", "method": "cash"})
    assert answer.status_code == 201, answer.text
    return answer.json()


def spend(customer_id, amount_minor: int) -> dict:
    return {"customer_id": str(customer_id), "purpose": "order", "amount_minor": amount_minor, "currency": "EUR",
            "provider": "wallet", "method": "wallet"}


async def test_a_cash_top_up_credits_the_wallet_and_the_statement_shows_it(runtime, client, make_tenant,
                                                                          staff_token, customer_token):
    acme = await make_tenant("acme")
    finance = await staff_token(acme, "finance")
    customer_id, own = await customer_token(acme)
    paid = await top_up(client, finance, customer_id, 75_00)
    assert (paid["purpose"], paid["state"]) == ("wallet_top_up", "captured")
    wallet = (await client.get(wallet_url(customer_id), headers=own, params={"currency": "EUR"})).json()
    assert (wallet["balance_minor"], wallet["balance"]) == (75_00, "75.00 EUR")
    assert [(e["kind"], e["amount_minor"], e["payment_id"]) for e in wallet["entries"]] == [
        ("wallet_credit", 75_00, paid["id"])]
    other_currency = (await client.get(wallet_url(customer_id), headers=own, params={"currency": "USD"})).json()
    assert (other_currency["balance_minor"], other_currency["entries"]) == (0, [])
    bad = await client.get(wallet_url(customer_id), headers=own, params={"currency": "EURO"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "currency"


async def test_exactly_the_balance_spends_to_zero(runtime, client, make_tenant, staff_token, customer_token):
    acme = await make_tenant("acme")
    finance = await staff_token(acme, "finance")
    customer_id, own = await customer_token(acme)
    await top_up(client, finance, customer_id, 40_00)
    spent = await client.post(PAYMENTS, headers=own, json=spend(customer_id, 40_00))
    assert spent.status_code == 201, spent.text
    assert (spent.json()["state"], spent.json()["captured_minor"]) == ("captured", 40_00)
    assert [e["kind"] for e in spent.json()["entries"]] == ["charge", "wallet_debit", "capture"]
    wallet = (await client.get(wallet_url(customer_id), headers=own)).json()
    assert wallet["balance_minor"] == 0
    assert [e["kind"] for e in wallet["entries"]] == ["wallet_credit", "wallet_debit"]


async def test_one_minor_unit_more_than_the_balance_is_refused_naming_it_and_writes_nothing(
        runtime, client, make_tenant, staff_token, customer_token):
    acme = await make_tenant("acme")
    finance = await staff_token(acme, "finance")
    customer_id, own = await customer_token(acme)
    await top_up(client, finance, customer_id, 40_00)
    payments, entries = await count_rows(runtime, acme, Payment), await count_rows(runtime, acme, LedgerEntry)
    refused = await client.post(PAYMENTS, headers=own, json=spend(customer_id, 40_01))
    assert refused.status_code == 409, refused.text
    assert "holds 40.00 EUR" in refused.json()["detail"]
    assert (await count_rows(runtime, acme, Payment), await count_rows(runtime, acme, LedgerEntry)) == (
        payments, entries)
    assert (await client.get(wallet_url(customer_id), headers=own)).json()["balance_minor"] == 40_00


async def test_a_wallet_is_not_topped_up_from_itself_or_by_cheque(runtime, client, make_tenant, staff_token,
                                                                  customer_token):
    acme = await make_tenant("acme")
    finance = await staff_token(acme, "finance")
    customer_id, _ = await customer_token(acme)
    itself = await client.post(f"{wallet_url(customer_id)}/top-ups", headers=finance, json={
        "amount_minor": 10_00, "currency": "EUR", "provider": "wallet", "method": "wallet"})
    assert itself.status_code == 422 and itself.json()["errors"][0]["field"] == "provider"
    by_cheque = await client.post(f"{wallet_url(customer_id)}/top-ups", headers=finance, json={
        "amount_minor": 10_00, "currency": "EUR", "provider": "offline", "method": "cheque", "reference": "C-1"})
    assert by_cheque.status_code == 422 and by_cheque.json()["errors"][0]["field"] == "method"
    assert await count_rows(runtime, acme, Payment) == 0


async def test_a_customer_sees_only_their_own_wallet_and_tops_up_only_by_card(runtime, client, make_tenant,
                                                                             customer_token):
    acme = await make_tenant("acme")
    sara, sara_token = await customer_token(acme)
    omid, _ = await customer_token(acme)
    assert (await client.get(wallet_url(omid), headers=sara_token)).status_code == 404
    assert (await client.post(f"{wallet_url(omid)}/top-ups", headers=sara_token, json={
        "amount_minor": 1_00, "currency": "EUR", "provider": "stripe", "method": "card"})).status_code == 404
    cash = await client.post(f"{wallet_url(sara)}/top-ups", headers=sara_token, json={
        "amount_minor": 1_00, "currency": "EUR", "provider": "offline", "method": "cash"})
    assert cash.status_code == 403


async def test_another_tenants_customer_has_no_wallet_here(runtime, client, make_tenant, staff_token,
                                                           customer_token):
    acme, globex = await make_tenant("acme"), await make_tenant("globex")
    foreign, _ = await customer_token(globex)
    finance = await staff_token(acme, "finance")
    assert (await client.get(wallet_url(foreign), headers=finance)).status_code == 404
    topped = await client.post(f"{wallet_url(foreign)}/top-ups", headers=finance, json={
        "amount_minor": 1_00, "currency": "EUR", "provider": "offline", "method": "cash"})
    assert topped.status_code == 404
    spent = await client.post(PAYMENTS, headers=finance, json=spend(foreign, 1_00))
    assert spent.status_code == 404
    assert await count_rows(runtime, acme, LedgerEntry) == 0


@pytest.mark.postgres_only
async def test_twenty_concurrent_spends_never_take_a_wallet_below_zero(backend, runtime, make_tenant):
    acme = await make_tenant("acme")
    customer = await add_customer(runtime, acme)
    async with runtime.db.transaction(acme.id) as s:
        await ledger.credit_wallet(s, customer, Money(100_00, "EUR"),
                                   ledger.Posting("finance:1", "top-up", "top-up-1", utcnow()))
    db = Database(backend.app_url, pool_size=22, max_overflow=0)
    everyone_in = asyncio.Barrier(20)

    async def pay(i: int) -> str:
        try:
            async with db.transaction(acme.id) as s:
                await s.execute(text("SELECT 1"))
                await everyone_in.wait()
                await service.start_payment(s, runtime.settings, service.NewPayment(
                    customer_id=customer, purpose="order", amount_minor=15_00, currency="EUR", provider="wallet",
                    method="wallet"), actor=f"customer:{i}", now=utcnow())
            return "paid"
        except LedgerRefused:
            return "refused"

    try:
        outcomes = await asyncio.gather(*(pay(i) for i in range(20)))
    finally:
        await db.dispose()
    assert (outcomes.count("paid"), outcomes.count("refused")) == (6, 14)  # 6 × 15.00 = 90.00; a 7th passes 100
    async with runtime.db.transaction(acme.id) as s:
        assert await ledger.wallet_balance(s, customer, "EUR") == Money(10_00, "EUR")
    assert await count_rows(runtime, acme, Payment) == 6
