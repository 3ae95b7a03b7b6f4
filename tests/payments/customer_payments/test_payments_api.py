"""Starting and reading payments over the API: finance records offline money, customers see only their own,
bad input is refused with the field and nothing written, another tenant's payment does not exist."""

from __future__ import annotations

from aftersales.payments.ledger.models import LedgerEntry, Payment
from support.payments import add_payment, count_rows

API = "/api/v1/payments"


async def test_finance_records_cash_and_it_is_captured_with_its_entries(runtime, client, make_tenant, staff_token,
                                                                         customer_token):
    acme = await make_tenant("acme")
    finance = await staff_token(acme, "finance")
    customer_id, _ = await customer_token(acme)
    answer = await client.post(API, headers=finance, json={
        "customer_id": str(customer_id), "purpose": "repair", "amount_minor": 120_00, "currency": "eur",
        "provider": "offline", "method": "cash"})
    assert answer.status_code == 201, answer.text
    paid = answer.json()
    assert (paid["state"], paid["currency"], paid["amount"]) == ("captured", "EUR", "120.00 EUR")
    assert (paid["captured_minor"], paid["refunded_minor"], paid["refundable_minor"]) == (120_00, 0, 120_00)
    assert [(e["kind"], e["amount_minor"]) for e in paid["entries"]] == [("charge", 120_00), ("capture", 120_00)]
    assert all(e["actor"].startswith("staff:") for e in paid["entries"])
    one = (await client.get(f"{API}/{paid['id']}", headers=finance)).json()
    assert one["entries"] == paid["entries"]


async def test_a_bank_transfer_needs_its_reference_and_bad_input_writes_nothing(runtime, client, make_tenant,
                                                                                staff_token, customer_token):
    acme = await make_tenant("acme")
    finance = await staff_token(acme, "finance")
    customer_id, _ = await customer_token(acme)
    bad = await client.post(API, headers=finance, json={
        "customer_id": str(customer_id), "purpose": "lunch", "amount_minor": 0, "currency": "XXY",
        "provider": "offline", "method": "bank_transfer"})
    assert bad.status_code == 422, bad.text
    fields = {e["field"]: e["reason"] for e in bad.json()["errors"]}
    assert set(fields) == {"purpose", "amount_minor", "currency", "reference"}
    assert "bank reference" in fields["reference"]
    assert await count_rows(runtime, acme, Payment) == 0
    assert await count_rows(runtime, acme, LedgerEntry) == 0


async def test_a_method_the_provider_cannot_take_is_refused_naming_the_provider(runtime, client, make_tenant,
                                                                               staff_token, customer_token):
    acme = await make_tenant("acme")
    finance = await staff_token(acme, "finance")
    customer_id, _ = await customer_token(acme)
    refused = await client.post(API, headers=finance, json={
        "customer_id": str(customer_id), "purpose": "repair", "amount_minor": 10_00, "currency": "EUR",
        "provider": "offline", "method": "card"})
    assert refused.status_code == 422, refused.text
    [error] = refused.json()["errors"]
    assert error["field"] == "provider" and "cash, bank_transfer, cheque" in error["reason"]
    assert await count_rows(runtime, acme, Payment) == 0


async def test_customers_see_only_their_own_payments_and_cannot_record_cash(runtime, client, make_tenant,
                                                                           customer_token):
    acme = await make_tenant("acme")
    sara, sara_token = await customer_token(acme)
    omid, _ = await customer_token(acme)
    hers = await add_payment(runtime, acme, sara, 10_00)
    his = await add_payment(runtime, acme, omid, 20_00)
    listed = (await client.get(API, headers=sara_token)).json()
    assert [p["id"] for p in listed["items"]] == [str(hers)]
    assert (await client.get(f"{API}/{his}", headers=sara_token)).status_code == 404
    assert (await client.get(API, headers=sara_token, params={"customer_id": str(omid)})).json()["items"] == []
    cash = await client.post(API, headers=sara_token, json={
        "purpose": "repair", "amount_minor": 10_00, "currency": "EUR", "provider": "offline", "method": "cash"})
    assert cash.status_code == 403
    for_him = await client.post(API, headers=sara_token, json={
        "customer_id": str(omid), "purpose": "repair", "amount_minor": 1_00, "currency": "EUR",
        "provider": "wallet", "method": "wallet"})
    assert for_him.status_code == 404
    assert await count_rows(runtime, acme, Payment) == 2


async def test_another_tenants_payment_does_not_exist(runtime, client, make_tenant, staff_token, customer_token):
    acme, globex = await make_tenant("acme"), await make_tenant("globex")
    theirs = await add_payment(runtime, globex, (await customer_token(globex))[0], 10_00, captured_minor=0)
    finance = await staff_token(acme, "finance")
    assert (await client.get(f"{API}/{theirs}", headers=finance)).status_code == 404
    assert (await client.get(API, headers=finance)).json()["items"] == []
    for action in ("capture", "cancel", "cheque/clear", "cheque/bounce", "cheque/represent"):
        answer = await client.post(f"{API}/{theirs}/{action}", headers=finance, json={} if action != "capture" else None)
        assert answer.status_code == 404, (action, answer.text)
    foreign_customer = (await customer_token(globex))[0]
    started = await client.post(API, headers=finance, json={
        "customer_id": str(foreign_customer), "purpose": "repair", "amount_minor": 1_00, "currency": "EUR",
        "provider": "offline", "method": "cash"})
    assert started.status_code == 404
    assert await count_rows(runtime, acme, Payment) == 0


async def test_the_list_filters_and_pages_newest_first(runtime, client, make_tenant, staff_token, customer_token):
    acme = await make_tenant("acme")
    reader = await staff_token(acme, "agent")
    customer_id, _ = await customer_token(acme)
    ids = [await add_payment(runtime, acme, customer_id, (i + 1) * 1_00, purpose="order" if i % 2 else "repair")
           for i in range(5)]
    await add_payment(runtime, acme, customer_id, 9_00, captured_minor=0)
    first = (await client.get(API, headers=reader, params={"state": "captured", "limit": 2})).json()
    second = (await client.get(API, headers=reader, params={"state": "captured", "limit": 2,
                                                             "cursor": first["next_cursor"]})).json()
    third = (await client.get(API, headers=reader, params={"state": "captured", "limit": 2,
                                                            "cursor": second["next_cursor"]})).json()
    seen = [p["id"] for p in first["items"] + second["items"] + third["items"]]
    assert seen == [str(i) for i in reversed(ids)] and third["next_cursor"] is None
    orders = (await client.get(API, headers=reader, params={"purpose": "order"})).json()["items"]
    assert {p["id"] for p in orders} == {str(ids[1]), str(ids[3])}
    bad = await client.get(API, headers=reader, params={"state": "paid", "purpose": "gift"})
    assert bad.status_code == 422 and {e["field"] for e in bad.json()["errors"]} == {"state", "purpose"}
    assert (await client.post(API, headers=reader, json={})).status_code == 403  # agents read, finance writes


async def test_a_pending_payment_is_canceled_and_a_captured_one_is_not(runtime, client, make_tenant, staff_token,
                                                                      customer_token):
    acme = await make_tenant("acme")
    finance = await staff_token(acme, "finance")
    customer_id, _ = await customer_token(acme)
    pending = await add_payment(runtime, acme, customer_id, 10_00, captured_minor=0)
    captured = await add_payment(runtime, acme, customer_id, 10_00)
    canceled = await client.post(f"{API}/{pending}/cancel", headers=finance, json={"reason": "customer changed mind"})
    assert canceled.status_code == 200, canceled.text
    assert (canceled.json()["state"], canceled.json()["state_reason"]) == ("canceled", "customer changed mind")
    refused = await client.post(f"{API}/{captured}/cancel", headers=finance, json={})
    assert refused.status_code == 409 and "captured" in refused.json()["detail"]
    again = await client.post(f"{API}/{pending}/capture", headers=finance)
    assert again.status_code == 409


async def test_a_retry_with_the_same_idempotency_key_pays_once(runtime, client, make_tenant, staff_token,
                                                             customer_token):
    acme = await make_tenant("acme")
    finance = await staff_token(acme, "finance")
    customer_id, _ = await customer_token(acme)
    other_id, _ = await customer_token(acme)
    body = {"customer_id": str(customer_id), "purpose": "repair", "amount_minor": 80_00, "currency": "EUR",
            "provider": "offline", "method": "cash"}
    keyed = {**finance, "Idempotency-Key": "till-7:receipt-118"}
    first = await client.post(API, headers=keyed, json=body)
    again = await client.post(API, headers=keyed, json=body)
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"] and again.json()["entries"] == first.json()["entries"]
    different = await client.post(API, headers=keyed, json={**body, "amount_minor": 81_00})
    assert different.status_code == 409 and first.json()["id"] in different.json()["detail"]
    someone_else = await client.post(API, headers=keyed, json={**body, "customer_id": str(other_id)})
    assert someone_else.status_code == 201 and someone_else.json()["id"] != first.json()["id"]
    assert await count_rows(runtime, acme, Payment) == 2
    assert await count_rows(runtime, acme, LedgerEntry) == 4
    bad_key = await client.post(API, headers={**finance, "Idempotency-Key": "no spaces"}, json=body)
    assert bad_key.status_code in (400, 422)
