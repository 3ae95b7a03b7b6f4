"""Domain events reach webhooks end to end: a request opened through the API queues ``request.opened`` in the
same transaction, the worker delivers it signed to a real HTTP receiver, and only the tenant's subscribed
endpoints get it. A change that rolls back queues nothing. Tenants send a test event to one endpoint."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from aftersales.identity.customers import CustomerDetails
from aftersales.outbox.models import OutboxMessage
from aftersales.service.requests import services as requests
from aftersales.tenancy.current import bind_tenant
from aftersales.worker import run_once

WALK_IN = {"kind": "repair", "channel": "walk_in", "summary": "screen flickers",
           "customer": {"name": "Sara Example", "phone": "+49 30 901820"}}


async def add_endpoint(client, headers, url, events=("request.opened",)):
    response = await client.post("/api/v1/webhooks/", headers=headers, json={"url": url, "events": list(events)})
    assert response.status_code == 201, response.text
    return response.json()


async def webhook_messages(runtime, tenant_id):
    async with runtime.db.session(tenant_id) as session:
        return list(await session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "webhook")
                                          .order_by(OutboxMessage.id)))


def soon() -> datetime:
    """A pass of the worker a moment from now: every message queued by the test is due."""
    return datetime.now(UTC) + timedelta(seconds=1)


async def test_opening_a_request_through_the_api_sends_request_opened_to_the_subscribed_endpoint_signed(
        runtime, client, make_tenant, staff_token, webhook_receiver):
    mehr = await make_tenant("mehr")
    admin = await staff_token(mehr, "admin")
    subscribed = await add_endpoint(client, admin, webhook_receiver.url + "?opened")
    await add_endpoint(client, admin, webhook_receiver.url + "?breaches", events=["sla.breached"])
    webhook_receiver.secret = subscribed["secret"]

    opened = await client.post("/api/v1/requests/", json=WALK_IN, headers=admin)
    assert opened.status_code == 201, opened.text
    (queued,) = await webhook_messages(runtime, mehr.id)
    assert (queued.event, str(queued.webhook_endpoint_id), queued.status) == ("request.opened", subscribed["id"],
                                                                               "pending")

    await run_once(runtime, soon())

    (delivery,) = webhook_receiver.deliveries
    assert delivery.signature_valid
    assert delivery.headers["Aftersales-Event"] == "request.opened"
    assert delivery.headers["Idempotency-Key"] == f"request.opened:{opened.json()['id']}/{subscribed['id']}"
    request = opened.json()
    data = delivery.json["data"]
    assert delivery.json["event"] == "request.opened" and delivery.json["id"] == str(queued.id)
    assert data == {"version": 1, "request_id": request["id"], "number": request["number"], "kind": "repair",
                    "channel": "walk_in", "state": "received", "customer_id": request["customer_id"],
                    "registration_id": None, "claim_id": None, "summary": "screen flickers",
                    "promised_at": data["promised_at"], "opened_at": data["opened_at"]}
    assert datetime.fromisoformat(data["opened_at"]) == datetime.fromisoformat(request["opened_at"])
    assert (await webhook_messages(runtime, mehr.id))[0].status == "delivered"


async def test_another_tenants_endpoint_gets_nothing_of_this_tenants_events(
        runtime, client, make_tenant, staff_token, webhook_receiver):
    mehr, other = await make_tenant("mehr"), await make_tenant("other")
    mehr_admin, other_admin = await staff_token(mehr, "admin"), await staff_token(other, "admin")
    await add_endpoint(client, other_admin, webhook_receiver.url + "?other", events=["*"])
    webhook_receiver.secret = (await add_endpoint(client, mehr_admin, webhook_receiver.url + "?mehr"))["secret"]

    assert (await client.post("/api/v1/requests/", json=WALK_IN, headers=mehr_admin)).status_code == 201
    await run_once(runtime, soon())

    assert [d.headers["Aftersales-Event"] for d in webhook_receiver.deliveries] == ["request.opened"]
    assert webhook_receiver.deliveries[0].json["data"]["request_id"]
    assert await webhook_messages(runtime, other.id) == []
    assert all("?mehr" in m.recipient for m in await webhook_messages(runtime, mehr.id))


async def test_a_request_opening_that_rolls_back_queues_no_event(runtime, client, make_tenant, staff_token,
                                                                 webhook_receiver):
    mehr = await make_tenant("mehr")
    admin = await staff_token(mehr, "admin")
    await add_endpoint(client, admin, webhook_receiver.url, events=["*"])
    tenant = bind_tenant(mehr, runtime.plugins)

    class Abandoned(Exception):
        pass

    with pytest.raises(Abandoned):
        async with runtime.db.transaction(mehr.id) as session:
            await requests.open_request(session, tenant, requests.NewRequest(
                kind="repair", channel="phone", summary="never happened",
                customer=CustomerDetails(name="Sara Example", phone="+49 30 901820")),
                actor="staff:test", now=datetime.now(UTC))
            assert await session.scalar(select(func.count()).select_from(OutboxMessage)) == 1  # queued inside
            raise Abandoned
    assert await webhook_messages(runtime, mehr.id) == []
    await run_once(runtime, soon())
    assert webhook_receiver.deliveries == []


async def test_a_move_and_the_end_of_a_request_are_announced_once_each(runtime, client, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    admin = await staff_token(mehr, "admin")
    await add_endpoint(client, admin, "http://127.0.0.1:9/hooks", events=["request.moved", "request.closed"])
    opened = (await client.post("/api/v1/requests/", json=WALK_IN, headers=admin)).json()
    for to in ("diagnosing", "closed"):
        moved = await client.post(f"/api/v1/requests/{opened['id']}/moves", json={"to": to, "note": ""},
                                  headers=admin)
        assert moved.status_code == 200, moved.text
    refused = await client.post(f"/api/v1/requests/{opened['id']}/moves", json={"to": "diagnosing", "note": ""},
                                headers=admin)
    assert refused.status_code == 409

    queued = await webhook_messages(runtime, mehr.id)
    assert [(m.event, m.payload.get("to_state") or m.payload.get("outcome")) for m in queued] == [
        ("request.moved", "diagnosing"), ("request.moved", "closed"), ("request.closed", "closed")]
    assert len({m.idempotency_key for m in queued}) == 3


async def test_a_tenant_sends_a_test_event_to_one_endpoint_and_the_worker_delivers_it(
        runtime, client, make_tenant, staff_token, webhook_receiver):
    mehr = await make_tenant("mehr")
    admin = await staff_token(mehr, "admin")
    endpoint = await add_endpoint(client, admin, webhook_receiver.url, events=["sla.breached"])
    await add_endpoint(client, admin, webhook_receiver.url + "?other", events=["*"])
    webhook_receiver.secret = endpoint["secret"]

    sent = await client.post(f"/api/v1/webhooks/{endpoint['id']}/test", headers=admin)
    assert sent.status_code == 202, sent.text
    assert (sent.json()["event"], sent.json()["status"]) == ("webhook.test", "pending")
    await run_once(runtime, soon())

    (delivery,) = webhook_receiver.deliveries
    assert delivery.signature_valid and delivery.json["event"] == "webhook.test"
    assert delivery.json["data"]["endpoint_id"] == endpoint["id"]
    listed = (await client.get("/api/v1/outbox/", headers=admin)).json()["items"]
    assert [(m["event"], m["status"]) for m in listed] == [("webhook.test", "delivered")]


async def test_a_test_event_is_refused_for_another_tenants_endpoint_and_for_a_deactivated_one(
        runtime, client, make_tenant, staff_token):
    mehr, other = await make_tenant("mehr"), await make_tenant("other")
    mehr_admin, other_admin = await staff_token(mehr, "admin"), await staff_token(other, "admin")
    theirs = await add_endpoint(client, other_admin, "https://erp.other.example/hooks")
    ours = await add_endpoint(client, mehr_admin, "https://erp.mehr-demo.com/hooks")

    assert (await client.post(f"/api/v1/webhooks/{theirs['id']}/test", headers=mehr_admin)).status_code == 404
    agent = await staff_token(mehr, "agent")
    assert (await client.post(f"/api/v1/webhooks/{ours['id']}/test", headers=agent)).status_code == 403
    await client.post(f"/api/v1/webhooks/{ours['id']}/deactivation", headers=mehr_admin)
    assert (await client.post(f"/api/v1/webhooks/{ours['id']}/test", headers=mehr_admin)).status_code == 409
    assert await webhook_messages(runtime, mehr.id) == [] and await webhook_messages(runtime, other.id) == []
