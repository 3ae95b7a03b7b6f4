"""Money has a ceiling: no amount the API takes and no balance the ledger makes passes ``Money.cap`` of its currency
(10^12 major units), so nothing overflows a 64-bit column; past it the answer is a 4xx naming the field and
nothing is written. Unknown currencies are refused where a currency is taken."""

from __future__ import annotations

import pytest

from aftersales.contract.money import MAX_MINOR_UNITS, Money
from aftersales.db.base import utcnow
from aftersales.errors import InvalidInput
from aftersales.marketplace.models import Quote
from aftersales.payments.ledger import services as ledger
from aftersales.payments.ledger.models import LedgerEntry, Payment
from aftersales.payments.ledger.services import LedgerRefused, Posting
from aftersales.service.quotes.models import PartPrice
from support.marketplace import add_customer
from support.payments import count_rows
from support.quotes import PRICE_LIST, new_job, set_state
from support.quotes import garage as garage_tenant

EUR_CAP = Money.cap("EUR").amount_minor
INT64_PAST = 2**63


def wallet_url(customer_id) -> str:
    return f"/api/v1/customers/{customer_id}/wallet"


def top_up_body(amount_minor: int, currency: str = "EUR") -> dict:
    return {"amount_minor": amount_minor, "currency": currency, "provider": "offline", "method": "cash"}


def names(response) -> list[str]:
    return [e["field"] for e in response.json().get("errors", [])]


def test_the_cap_is_a_trillion_major_units_of_the_currency():
    assert (Money.cap("EUR"), Money.cap("IRR")) == (Money(10**14, "EUR"), Money(10**12, "IRR"))
    assert MAX_MINOR_UNITS == 10**16 and MAX_MINOR_UNITS * 900 < 2**63
    assert not Money(EUR_CAP, "EUR").beyond_cap and Money(EUR_CAP + 1, "EUR").beyond_cap
    with pytest.raises(ValueError, match="at most"):
        Money.parse("1000000000000.01", "EUR")


async def test_an_amount_past_64_bits_is_refused_on_payments_top_ups_and_refunds(runtime, client, make_tenant,
                                                                                 staff_token, customer_token):
    acme = await make_tenant("acme")
    finance = await staff_token(acme, "finance")
    customer_id, _ = await customer_token(acme)
    top_up = await client.post(f"{wallet_url(customer_id)}/top-ups", headers=finance, json=top_up_body(INT64_PAST))
    payment = await client.post("/api/v1/payments", headers=finance, json={
        "customer_id": str(customer_id), "purpose": "order", **top_up_body(INT64_PAST)})
    refund = await client.post("/api/v1/refunds", headers=finance, json={
        "customer_id": str(customer_id), "amount_minor": INT64_PAST, "method": "wallet"})
    for answer in (top_up, payment, refund):
        assert answer.status_code == 400, answer.text
        assert "amount_minor" in names(answer)
    assert await count_rows(runtime, acme, Payment) == 0


async def test_two_top_ups_of_2_62_leave_the_wallet_readable(runtime, client, make_tenant, staff_token,
                                                            customer_token):
    acme = await make_tenant("acme")
    finance = await staff_token(acme, "finance")
    customer_id, own = await customer_token(acme)
    for _ in range(2):
        answer = await client.post(f"{wallet_url(customer_id)}/top-ups", headers=finance, json=top_up_body(2**62))
        assert answer.status_code == 400 and names(answer) == ["amount_minor"]
    wallet = await client.get(wallet_url(customer_id), headers=own)
    assert wallet.status_code == 200 and wallet.json()["balance_minor"] == 0


async def test_a_top_up_to_the_cap_is_taken_and_one_cent_more_is_refused(runtime, client, make_tenant,
                                                                         staff_token, customer_token):
    acme = await make_tenant("acme")
    finance = await staff_token(acme, "finance")
    customer_id, own = await customer_token(acme)
    past = await client.post(f"{wallet_url(customer_id)}/top-ups", headers=finance, json=top_up_body(EUR_CAP + 1))
    assert past.status_code == 422 and past.json()["errors"][0]["code"] == "money.beyond_cap"
    assert past.json()["errors"][0]["params"] == {"cap_minor": EUR_CAP, "currency": "EUR"}
    at_cap = await client.post(f"{wallet_url(customer_id)}/top-ups", headers=finance, json=top_up_body(EUR_CAP))
    assert at_cap.status_code == 201, at_cap.text
    payments, entries = await count_rows(runtime, acme, Payment), await count_rows(runtime, acme, LedgerEntry)
    one_more = await client.post(f"{wallet_url(customer_id)}/top-ups", headers=finance, json=top_up_body(1))
    assert one_more.status_code == 409 and one_more.json()["code"] == "money.beyond_cap", one_more.text
    assert (await count_rows(runtime, acme, Payment), await count_rows(runtime, acme, LedgerEntry)) == (
        payments, entries)
    wallet = await client.get(wallet_url(customer_id), headers=own)
    assert wallet.status_code == 200 and wallet.json()["balance_minor"] == EUR_CAP


async def test_the_ledger_refuses_an_amount_or_a_balance_past_the_cap(runtime, make_tenant):
    acme = await make_tenant("acme")
    customer_id = await add_customer(runtime, acme)

    def posting(operation: str) -> Posting:
        return Posting(actor="test", reason="cap", operation_id=operation, now=utcnow())

    with pytest.raises(InvalidInput) as too_much:
        async with runtime.db.transaction(acme.id) as session:
            await ledger.credit_wallet(session, customer_id, Money(EUR_CAP + 1, "EUR"), posting("a"))
    assert too_much.value.errors[0].code == "money.beyond_cap"
    async with runtime.db.transaction(acme.id) as session:
        await ledger.credit_wallet(session, customer_id, Money(EUR_CAP - 1, "EUR"), posting("b"))
    with pytest.raises(LedgerRefused):
        async with runtime.db.transaction(acme.id) as session:
            await ledger.credit_wallet(session, customer_id, Money(2, "EUR"), posting("c"))
    async with runtime.db.transaction(acme.id) as session:
        await ledger.credit_wallet(session, customer_id, Money(1, "EUR"), posting("d"))
        assert await ledger.wallet_balance(session, customer_id, "EUR") == Money(EUR_CAP, "EUR")


async def test_the_parts_price_list_refuses_amounts_past_the_cap_and_unknown_currencies(runtime, client,
                                                                                        make_tenant, staff_token):
    garage = await make_tenant("garage", vertical="auto_service")
    admin = await staff_token(garage, "admin")

    async def put(price_minor: int, currency: str = "EUR"):
        return await client.put("/api/v1/marketplace/parts/SEAL", headers=admin,
                                json={"name": "seal", "price_minor": price_minor, "currency": currency})

    past_64_bits = await put(INT64_PAST)
    assert past_64_bits.status_code == 400 and names(past_64_bits) == ["price_minor"]
    past_cap = await put(EUR_CAP + 1)
    assert past_cap.status_code == 422 and past_cap.json()["errors"][0]["code"] == "money.beyond_cap"
    for unknown in ("000", "XYZ"):
        answer = await put(100, unknown)
        assert answer.status_code == 400 and names(answer) == ["currency"], answer.text
    assert await count_rows(runtime, garage, PartPrice) == 0
    at_cap = await put(EUR_CAP, "eur")
    assert at_cap.status_code == 200 and (at_cap.json()["price_minor"], at_cap.json()["currency"]) == (EUR_CAP, "EUR")


async def test_unknown_currencies_are_refused_on_payments_top_ups_and_refunds(runtime, client, make_tenant,
                                                                             staff_token, customer_token):
    acme = await make_tenant("acme")
    finance = await staff_token(acme, "finance")
    customer_id, _ = await customer_token(acme)
    top_up = await client.post(f"{wallet_url(customer_id)}/top-ups", headers=finance, json=top_up_body(100, "000"))
    payment = await client.post("/api/v1/payments", headers=finance, json={
        "customer_id": str(customer_id), "purpose": "order", **top_up_body(100, "000")})
    refund = await client.post("/api/v1/refunds", headers=finance, json={
        "customer_id": str(customer_id), "currency": "000", "method": "wallet"})
    for answer in (top_up, payment):  # the payment service checks the currency with every other field
        assert answer.status_code == 422 and names(answer) == ["currency"], answer.text
    assert refund.status_code == 400 and "currency" in names(refund), refund.text
    assert await count_rows(runtime, acme, Payment) == 0


async def test_the_openapi_document_gives_every_amount_taken_its_maximum(client):
    schemas = (await client.get("/schema/openapi.json")).json()["components"]["schemas"]
    bounded = {}
    for name, schema in schemas.items():
        for field, spec in schema.get("properties", {}).items():
            if field.endswith("_minor") and name.endswith("In"):
                bounded[f"{name}.{field}"] = spec.get("maximum")
    assert len(bounded) >= 8 and set(bounded.values()) == {MAX_MINOR_UNITS}, bounded


async def test_a_quote_line_past_the_cap_is_refused_naming_its_quantity(client, runtime, make_tenant, provider_token,
                                                                       customer_token):
    tenant = await garage_tenant(runtime, make_tenant)
    job = await new_job(runtime, tenant, provider_token, customer_token)
    url = f"/api/v1/marketplace/bookings/{job.booking_id}/quotes"
    seal = PRICE_LIST["SEAL"][1]
    for quantity in (INT64_PAST, EUR_CAP // seal + 1):
        answer = await client.post(url, headers=job.provider, json={"parts": [{"code": "SEAL", "quantity": quantity}]})
        assert answer.status_code == 422, answer.text
        assert [(e["field"], e["code"]) for e in answer.json()["errors"]] == [("parts.0.quantity", "money.beyond_cap")]
    assert await count_rows(runtime, tenant, Quote) == 0
    lines = [{"code": "SEAL", "quantity": EUR_CAP // seal}] * 2  # each line at the cap, together past it
    too_much = await client.post(url, headers=job.provider, json={"parts": lines})
    assert too_much.status_code == 422 and too_much.json()["errors"][0]["code"] == "money.beyond_cap"
    at_cap = await client.post(url, headers=job.provider, json={"parts": [{"code": "SEAL", "quantity": 1000}]})
    assert at_cap.status_code == 201, at_cap.text


async def test_extra_work_past_the_cap_is_refused(client, runtime, make_tenant, provider_token, customer_token):
    tenant = await garage_tenant(runtime, make_tenant)
    job = await new_job(runtime, tenant, provider_token, customer_token)
    await set_state(runtime, job, "in_progress")
    url = f"/api/v1/marketplace/bookings/{job.booking_id}/change-requests"
    body = {"description": "new gearbox", "reason": "worn out"}
    past = await client.post(url, headers=job.provider, json={**body, "labour_minor": EUR_CAP + 1})
    assert past.status_code == 422 and past.json()["errors"][0]["code"] == "money.beyond_cap", past.text
    at_cap = await client.post(url, headers=job.provider, json={**body, "labour_minor": EUR_CAP})
    assert at_cap.status_code == 201, at_cap.text
