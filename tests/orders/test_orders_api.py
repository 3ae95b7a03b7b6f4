"""The order desk over HTTP: staff take, list and read orders, issue and take payment of pro-formas, read the
follow-up list and escalations; a customer takes and reads only their own; bad input is a 422 problem naming
the field and writes nothing; another tenant's order is 404."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from aftersales.orders.models import Order
from aftersales.payments.refunds.models import CustomerIdentity
from support.marketplace import add_customer
from support.orders import FRIDGE, NATIONAL_ID, OTHER_NATIONAL_ID, OVEN, PRICES, add_catalogue, entekhab

API = "/api/v1/orders"


def _in_days(days: int) -> str:
    """A due day ``days`` from today (the API takes orders now), ISO."""
    return (date.today() + timedelta(days=days)).isoformat()


async def _setup(runtime, make_tenant, slug="entekhab"):
    tenant = await entekhab(make_tenant, slug)
    await add_catalogue(runtime, tenant)
    return tenant


async def _count(runtime, tenant, model=Order):
    async with runtime.db.transaction(tenant.id) as s:
        return await s.scalar(select(func.count()).select_from(model))


async def test_an_agent_takes_an_order_with_the_customers_national_id(runtime, client, make_tenant, staff_token):
    tenant = await _setup(runtime, make_tenant)
    headers = await staff_token(tenant, "agent")
    taken = await client.post(API, headers=headers, json={
        "payment_plan": "cash", "customer": {"name": "Reza Ahmadi", "phone": "0912 345 6789"},
        "national_id": "۰۴۹۹۳۷۰۸۹۹", "lines": [{"sku": FRIDGE, "quantity": 2}], "store": "Tehran store 12",
        "delivery_address": "Vanak Sq., Tehran", "province": "ir-23"})
    assert taken.status_code == 201, taken.text
    order = taken.json()
    assert (order["number"], order["state"], order["channel"], order["total_minor"]) == (
        1, "awaiting_payment", "agent", 2 * PRICES[FRIDGE])
    assert order["province"] == "IR-23" and order["lines"][0]["sku"] == FRIDGE
    async with runtime.db.transaction(tenant.id) as s:
        identity = await s.scalar(select(CustomerIdentity))
    assert identity.national_id == NATIONAL_ID and str(identity.customer_id) == order["customer_id"]
    again = await client.post(API, headers=headers, json={
        "payment_plan": "cash", "customer_id": order["customer_id"], "lines": [{"sku": OVEN, "quantity": 1}]})
    assert again.status_code == 201 and again.json()["number"] == 2  # the national ID on file serves
    assert [o["number"] for o in (await client.get(API, headers=headers)).json()] == [2, 1]
    read = await client.get(f"{API}/{order['id']}", headers=headers)
    assert read.status_code == 200 and read.json()["id"] == order["id"]


async def test_entekhab_refuses_an_order_without_a_national_id_or_with_a_bad_one(runtime, client, make_tenant,
                                                                               staff_token):
    tenant = await _setup(runtime, make_tenant)
    headers = await staff_token(tenant, "agent")
    customer = str(await add_customer(runtime, tenant))
    missing = await client.post(API, headers=headers, json={
        "payment_plan": "cash", "customer_id": customer, "lines": [{"sku": FRIDGE, "quantity": 1}]})
    assert missing.status_code == 422 and [e["field"] for e in missing.json()["errors"]] == ["national_id"]
    bad = await client.post(API, headers=headers, json={
        "payment_plan": "cash", "customer_id": customer, "national_id": "0499370898",
        "lines": [{"sku": FRIDGE, "quantity": 1}]})
    assert bad.status_code == 422 and bad.json()["errors"][0]["reason"] == "the check digit does not match"
    assert await _count(runtime, tenant) == 0 and await _count(runtime, tenant, CustomerIdentity) == 0


async def test_hostile_input_is_a_422_naming_each_field_and_writes_nothing(runtime, client, make_tenant,
                                                                         staff_token):
    tenant = await _setup(runtime, make_tenant)
    headers = await staff_token(tenant, "agent")
    customer = str(await add_customer(runtime, tenant))
    refused = await client.post(API, headers=headers, json={
        "payment_plan": "credit", "customer_id": customer, "national_id": NATIONAL_ID,
        "lines": [{"sku": "NOPE", "quantity": 1}, {"sku": FRIDGE, "quantity": 10**12}],
        "instalments": [{"due_on": "9999-12-31", "amount_minor": 1}, {"due_on": "0001-01-01", "amount_minor": 1}],
        "province": "XX-99", "promised_delivery_on": "9999-12-31"})
    assert refused.status_code == 422, refused.text
    fields = {e["field"] for e in refused.json()["errors"]}
    assert fields == {"lines.0.sku", "lines.1.quantity", "instalments.0.due_on", "instalments.1.due_on",
                      "province", "promised_delivery_on"}
    plan = await client.post(API, headers=headers, json={
        "payment_plan": "barter", "customer_id": customer, "lines": [{"sku": FRIDGE, "quantity": 1}]})
    assert plan.status_code == 400 and "payment_plan" in plan.text
    assert await _count(runtime, tenant) == 0


async def test_a_credit_schedule_must_add_up_to_the_total(runtime, client, make_tenant, staff_token):
    tenant = await _setup(runtime, make_tenant)
    headers = await staff_token(tenant, "agent")
    customer = str(await add_customer(runtime, tenant))
    body = {"payment_plan": "credit", "customer_id": customer, "national_id": NATIONAL_ID,
            "lines": [{"sku": OVEN, "quantity": 1}],
            "instalments": [{"due_on": _in_days(30), "amount_minor": PRICES[OVEN] - 1}]}
    short = await client.post(API, headers=headers, json=body)
    assert short.status_code == 422 and short.json()["errors"][0]["field"] == "instalments"
    body["instalments"] = [{"due_on": _in_days(30), "amount_minor": PRICES[OVEN] // 2},
                           {"due_on": _in_days(60), "amount_minor": PRICES[OVEN] // 2}]
    taken = await client.post(API, headers=headers, json=body)
    assert taken.status_code == 201, taken.text
    assert [i["amount_minor"] for i in taken.json()["instalments"]] == [PRICES[OVEN] // 2] * 2


async def test_a_customer_orders_at_list_price_and_reads_only_their_own(runtime, client, make_tenant, staff_token,
                                                                       customer_token):
    tenant = await _setup(runtime, make_tenant)
    customer_id, mine = await customer_token(tenant)
    _, theirs = await customer_token(tenant)
    priced = await client.post(API, headers=mine, json={
        "payment_plan": "cheque", "national_id": NATIONAL_ID, "lines": [{"sku": FRIDGE, "quantity": 1,
                                                                          "unit_price_minor": 1}]})
    assert priced.status_code == 422 and priced.json()["errors"][0]["field"] == "lines.0.unit_price_minor"
    taken = await client.post(API, headers=mine, json={
        "payment_plan": "cheque", "national_id": NATIONAL_ID, "lines": [{"sku": FRIDGE, "quantity": 1}]})
    assert taken.status_code == 201 and taken.json()["channel"] == "portal"
    assert taken.json()["customer_id"] == str(customer_id)
    order_id = taken.json()["id"]
    assert (await client.get(f"{API}/{order_id}", headers=mine)).status_code == 200
    assert (await client.get(f"{API}/{order_id}", headers=theirs)).status_code == 404
    assert (await client.get(API, headers=theirs)).json() == []
    assert [o["id"] for o in (await client.get(API, headers=mine)).json()] == [order_id]
    assert (await client.post(f"{API}/{order_id}/proformas", headers=mine, json={})).status_code == 403
    assert (await client.get(f"{API}/follow-up", headers=mine)).status_code == 403
    other_id = await client.post(API, headers=theirs, json={
        "payment_plan": "cash", "national_id": OTHER_NATIONAL_ID, "lines": [{"sku": FRIDGE, "quantity": 1}]})
    assert other_id.status_code == 201


async def test_staff_issue_and_take_payment_of_a_proforma_over_the_api(runtime, client, make_tenant, staff_token):
    tenant = await _setup(runtime, make_tenant)
    agent = await staff_token(tenant, "agent")
    customer = str(await add_customer(runtime, tenant))
    order = (await client.post(API, headers=agent, json={
        "payment_plan": "cash", "customer_id": customer, "national_id": NATIONAL_ID,
        "lines": [{"sku": FRIDGE, "quantity": 1}]})).json()
    issued = await client.post(f"{API}/{order['id']}/proformas", headers=agent, json={})
    assert issued.status_code == 201, issued.text
    proforma = issued.json()
    assert proforma["state"] == "open" and proforma["payable"] and proforma["total_minor"] == PRICES[FRIDGE]
    wrong = await client.post(f"{API}/{order['id']}/proformas/{proforma['id']}/pay", headers=agent,
                              json={"method": "cheque", "reference": "CHQ-1"})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "method"
    paid = await client.post(f"{API}/{order['id']}/proformas/{proforma['id']}/pay", headers=agent,
                             json={"method": "cash"})
    assert paid.status_code == 200, paid.text
    assert paid.json()["state"] == "funded" and paid.json()["proformas"][0]["state"] == "paid"
    again = await client.post(f"{API}/{order['id']}/proformas", headers=agent, json={})
    assert again.status_code == 409
    cancel = await client.post(f"{API}/{order['id']}/cancel", headers=agent, json={"reason": "changed mind"})
    assert cancel.status_code == 409


async def test_a_mismatched_proforma_over_the_api_files_the_violation(runtime, client, make_tenant, staff_token):
    tenant = await _setup(runtime, make_tenant)
    agent = await staff_token(tenant, "agent")
    customer = str(await add_customer(runtime, tenant))
    order = (await client.post(API, headers=agent, json={
        "payment_plan": "cash", "customer_id": customer, "national_id": NATIONAL_ID, "store": "Store 7",
        "lines": [{"sku": FRIDGE, "quantity": 1}]})).json()
    issued = await client.post(f"{API}/{order['id']}/proformas", headers=agent,
                               json={"lines": [{"sku": OVEN, "quantity": 1, "unit_price_minor": 5}]})
    assert issued.status_code == 201 and issued.json()["state"] == "void"
    read = (await client.get(f"{API}/{order['id']}", headers=agent)).json()
    assert read["violations"][0]["complaint_id"] == issued.json()["violation_complaint_id"]
    assert read["violations"][0]["contractor"] == "Store 7"
    complaint = await client.get(f"/api/v1/complaints/{issued.json()['violation_complaint_id']}", headers=agent)
    assert complaint.status_code == 200, complaint.text
    assert (complaint.json()["subject"], complaint.json()["order_id"]) == ("store_violation", order["id"])


async def test_the_follow_up_and_escalation_lists_answer_staff(runtime, client, make_tenant, staff_token):
    tenant = await _setup(runtime, make_tenant)
    agent = await staff_token(tenant, "agent")
    await client.post(API, headers=agent, json={
        "payment_plan": "cash", "customer_id": str(await add_customer(runtime, tenant)), "national_id": NATIONAL_ID,
        "lines": [{"sku": FRIDGE, "quantity": 1}]})
    assert (await client.get(f"{API}/follow-up", headers=agent)).json() == []  # taken just now
    assert (await client.get(f"{API}/escalations", headers=agent)).json() == []
    assert (await client.get(f"{API}/follow-up?limit=0", headers=agent)).status_code == 422


async def test_another_tenants_token_cannot_read_or_change_the_order(runtime, client, make_tenant, staff_token):
    tenant = await _setup(runtime, make_tenant)
    other = await _setup(runtime, make_tenant, "other")
    agent, intruder = await staff_token(tenant, "agent"), await staff_token(other, "admin")
    order = (await client.post(API, headers=agent, json={
        "payment_plan": "cash", "customer_id": str(await add_customer(runtime, tenant)), "national_id": NATIONAL_ID,
        "lines": [{"sku": FRIDGE, "quantity": 1}]})).json()
    proforma = (await client.post(f"{API}/{order['id']}/proformas", headers=agent, json={})).json()
    assert (await client.get(f"{API}/{order['id']}", headers=intruder)).status_code == 404
    assert (await client.get(API, headers=intruder)).json() == []
    assert (await client.post(f"{API}/{order['id']}/proformas", headers=intruder, json={})).status_code == 404
    assert (await client.post(f"{API}/{order['id']}/proformas/{proforma['id']}/pay", headers=intruder,
                              json={"method": "cash"})).status_code == 404
    assert (await client.post(f"{API}/{order['id']}/cancel", headers=intruder,
                              json={"reason": "x"})).status_code == 404
    assert (await client.post(f"{API}/{order['id']}/escalation/close", headers=intruder,
                              json={"note": "x"})).status_code == 404
    taken_there = await client.post(API, headers=intruder, json={
        "payment_plan": "cash", "customer_id": order["customer_id"], "national_id": NATIONAL_ID,
        "lines": [{"sku": FRIDGE, "quantity": 1}]})
    assert taken_there.status_code == 422 and taken_there.json()["errors"][0]["field"] == "customer_id"
    assert (await client.get(f"{API}/{order['id']}", headers=agent)).json()["state"] == "awaiting_payment"
