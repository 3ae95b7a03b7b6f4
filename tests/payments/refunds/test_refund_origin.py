"""What a refund comes from: the warranty claim (named on the refund or on its service request) and whether the
unit is installed are facts of the refund policy. Entekhab (seed 001) sends a fault of an installed unit to
after-sales for repair instead of refunding its return. Another tenant's or customer's claim is not found."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from aftersales.payments.refunds.models import Refund
from support.payments import add_payment
from support.refunds import entekhab, record_identity
from support.warranty import add_unit
from support.warranty import tenant_today as today

FRIDGE, OTHER_FRIDGE = "FRIDGE0001", "FRIDGE0002"


async def owner_with_claim(client, runtime, tenant, agent, customer_token, serial=FRIDGE, name="Sara Ahmadi"):
    """A registered fridge, a warranty claim on it, and its owner's id and token."""
    await add_unit(runtime, tenant, serial, sku="RF-1")
    registered = await client.post("/api/v1/registrations/", headers=agent, json={
        "serial": serial, "purchased_on": (today() - timedelta(days=20)).isoformat(),
        "owner": {"name": name, "phone": f"0912{abs(hash(serial)) % 10_000_000:07d}"}})
    assert registered.status_code == 201, registered.text
    registration = registered.json()
    claimed = await client.post("/api/v1/claims/", headers=agent, json={
        "registration_id": registration["id"], "kind": "warranty_repair", "reported_on": today().isoformat(),
        "defect": "functional", "installed_by_authorised_technician": True})
    assert claimed.status_code == 201, claimed.text
    customer_id, customer = await customer_token(tenant, uuid.UUID(registration["owner"]["id"]))
    return registration, claimed.json(), customer_id, customer


async def return_refund(client, headers, payment, **origin):
    return await client.post("/api/v1/refunds", headers=headers, json={
        "source": "return", "payment_id": str(payment), **{k: str(v) for k, v in origin.items()}})


async def stored_facts(runtime, tenant, refund_id):
    async with runtime.db.transaction(tenant.id) as s:
        return (await s.scalar(select(Refund).where(Refund.id == uuid.UUID(refund_id)))).facts


async def test_the_return_of_an_installed_unit_is_refused_and_sent_to_after_sales(runtime, client, make_tenant,
                                                                                 staff_token, customer_token):
    tenant = await entekhab(make_tenant)
    agent = await staff_token(tenant, "agent")
    registration, claim, customer_id, customer = await owner_with_claim(client, runtime, tenant, agent,
                                                                        customer_token)
    assert (await record_identity(client, agent, customer_id)).status_code == 200
    payment = await add_payment(runtime, tenant, customer_id, 10_000_000, currency="IRR")

    before = await return_refund(client, customer, payment, claim_id=claim["id"])
    assert before.status_code == 201, before.text
    assert before.json()["state"] == "awaiting_approval" and before.json()["claim_id"] == claim["id"]
    facts = await stored_facts(runtime, tenant, before.json()["id"])
    assert (facts["installed"], facts["claim_kind"], facts["claim_decision"]) == (
        False, "warranty_repair", claim["decision"])

    installed = await client.put(f"/api/v1/registrations/{registration['id']}/installation", headers=agent,
                                 json={"installed_on": today().isoformat()})
    assert installed.status_code == 200, installed.text
    after = await return_refund(client, customer, payment, claim_id=claim["id"])
    assert after.status_code == 201, after.text
    refused = after.json()
    assert (refused["state"], refused["amount_minor"]) == ("refused", 0)
    assert "repaired by after-sales" in refused["reasons"][0]
    assert (await stored_facts(runtime, tenant, refused["id"]))["installed"] is True


async def test_a_refund_for_a_service_request_gets_the_request_s_claim_and_unit(runtime, client, make_tenant,
                                                                              staff_token, customer_token):
    tenant = await entekhab(make_tenant)
    agent = await staff_token(tenant, "agent")
    registration, claim, customer_id, customer = await owner_with_claim(client, runtime, tenant, agent,
                                                                        customer_token)
    opened = await client.post("/api/v1/requests/", headers=agent, json={
        "kind": "repair", "channel": "phone", "summary": "the fridge does not cool",
        "registration_id": registration["id"], "claim_id": claim["id"]})
    assert opened.status_code == 201, opened.text
    payment = await add_payment(runtime, tenant, customer_id, 1_000_000, currency="IRR")
    asked = await return_refund(client, customer, payment, service_request_id=opened.json()["id"])
    assert asked.status_code == 201, asked.text
    assert asked.json()["claim_id"] == claim["id"]
    facts = await stored_facts(runtime, tenant, asked.json()["id"])
    assert (facts["installed"], facts["claim_decision"]) == (False, claim["decision"])

    plain = await client.post("/api/v1/requests/", headers=agent, json={
        "kind": "repair", "channel": "phone", "summary": "the door squeaks", "registration_id": registration["id"]})
    unit_only = await return_refund(client, customer, payment, service_request_id=plain.json()["id"])
    facts = await stored_facts(runtime, tenant, unit_only.json()["id"])
    assert (unit_only.json()["claim_id"], facts["installed"], facts["claim_decision"]) == (None, False, None)
    named = await return_refund(client, customer, payment, service_request_id=plain.json()["id"],
                                claim_id=claim["id"])
    assert named.status_code == 201 and named.json()["claim_id"] == claim["id"]  # the request names no claim


async def test_a_claim_not_of_the_service_request_is_refused(runtime, client, make_tenant, staff_token,
                                                            customer_token):
    tenant = await entekhab(make_tenant)
    agent = await staff_token(tenant, "agent")
    registration, claim, customer_id, customer = await owner_with_claim(client, runtime, tenant, agent,
                                                                        customer_token)
    second = await client.post("/api/v1/claims/", headers=agent, json={
        "registration_id": registration["id"], "kind": "paid_repair", "reported_on": today().isoformat()})
    opened = await client.post("/api/v1/requests/", headers=agent, json={
        "kind": "repair", "channel": "phone", "summary": "the fridge does not cool",
        "registration_id": registration["id"], "claim_id": claim["id"]})
    payment = await add_payment(runtime, tenant, customer_id, 1_000_000, currency="IRR")
    refused = await return_refund(client, customer, payment, service_request_id=opened.json()["id"],
                                  claim_id=second.json()["id"])
    assert refused.status_code == 422
    assert [(e["field"], e["code"]) for e in refused.json()["errors"]] == [("claim_id", "refund.claim_not_of_request")]


async def test_another_tenant_s_or_customer_s_claim_is_not_found(runtime, client, make_tenant, staff_token,
                                                                customer_token):
    tenant = await entekhab(make_tenant)
    agent = await staff_token(tenant, "agent")
    _, claim, customer_id, customer = await owner_with_claim(client, runtime, tenant, agent, customer_token)
    _, neighbours_claim, _, _ = await owner_with_claim(client, runtime, tenant, agent, customer_token,
                                                       serial=OTHER_FRIDGE, name="Reza Karimi")
    payment = await add_payment(runtime, tenant, customer_id, 1_000_000, currency="IRR")
    assert (await return_refund(client, customer, payment, claim_id=neighbours_claim["id"])).status_code == 404
    staff_ask = await client.post("/api/v1/refunds", headers=agent, json={
        "source": "return", "payment_id": str(payment), "customer_id": str(customer_id),
        "claim_id": neighbours_claim["id"]})
    assert staff_ask.status_code == 404

    rival = await entekhab(make_tenant, slug="rival-appliances")
    rival_agent = await staff_token(rival, "agent")
    _, _, rival_customer_id, _ = await owner_with_claim(client, runtime, rival, rival_agent, customer_token)
    rival_payment = await add_payment(runtime, rival, rival_customer_id, 1_000_000, currency="IRR")
    crossed = await client.post("/api/v1/refunds", headers=rival_agent, json={
        "source": "return", "payment_id": str(rival_payment), "customer_id": str(rival_customer_id),
        "claim_id": claim["id"]})
    assert crossed.status_code == 404
    async with runtime.db.transaction(tenant.id) as s:
        assert (await s.scalars(select(Refund))).all() == []


@pytest.mark.parametrize("claim_id", ["not-a-uuid", "\x00", "00000000-0000-0000-0000-00000000000\x00"])
async def test_a_hostile_claim_id_is_refused_with_a_field_error(runtime, client, make_tenant, staff_token,
                                                               customer_token, claim_id):
    tenant = await entekhab(make_tenant)
    customer_id, customer = await customer_token(tenant)
    payment = await add_payment(runtime, tenant, customer_id, 1_000_000, currency="IRR")
    response = await client.post("/api/v1/refunds", headers=customer, json={
        "source": "return", "payment_id": str(payment), "claim_id": claim_id})
    assert response.status_code in (400, 422)
    assert [e["field"] for e in response.json()["errors"]] == ["claim_id"]


async def test_finance_sees_the_claim_and_the_installation_a_refund_was_decided_on(runtime, client, pages, make_tenant,
                                                                                  staff_token, customer_token,
                                                                                  sign_in_staff):
    tenant = await entekhab(make_tenant)
    agent = await staff_token(tenant, "agent")
    _, claim, customer_id, customer = await owner_with_claim(client, runtime, tenant, agent, customer_token)
    assert (await record_identity(client, agent, customer_id)).status_code == 200
    payment = await add_payment(runtime, tenant, customer_id, 1_000_000, currency="IRR")
    asked = (await return_refund(client, customer, payment, claim_id=claim["id"])).json()
    await sign_in_staff(pages, tenant, "finance")
    desk = await pages.get(f"/t/{tenant.slug}/console/refunds", params={"state": "awaiting_approval"})
    assert desk.status_code == 200 and f'data-refund="{asked["id"]}"' in desk.text
    assert f'data-claim-decision="{claim["decision"]}"' in desk.text and 'data-installed="false"' in desk.text
