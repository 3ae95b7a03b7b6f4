"""Webhook endpoints through the API, and events delivered to a real HTTP server that checks the signature the
way the documentation tells receivers to: 2xx delivered, 408/429/5xx retried, other 4xx failed for good."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import httpx
import pytest

from aftersales.app import create_app
from aftersales.outbox.delivery import deliver_due
from aftersales.outbox.webhooks import enqueue_event

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
BREACH = {"request": 7, "clock": "first_contact"}


async def add_endpoint(client, headers, url, events=("sla.breached",), status=201):
    response = await client.post("/api/v1/webhooks/", headers=headers, json={"url": url, "events": list(events)})
    assert response.status_code == status, response.text
    return response.json()


async def emit(runtime, tenant, event="sla.breached", key="sla.breached:clock-1", payload=BREACH, now=T0):
    async with runtime.db.transaction(tenant.id) as session:
        return await enqueue_event(session, event, payload, key, now=now)


async def test_an_event_reaches_the_endpoint_signed_and_with_its_idempotency_key(
        runtime, client, make_tenant, staff_token, webhook_receiver, reload):
    mehr = await make_tenant("mehr")
    admin = await staff_token(mehr, "admin")
    created = await add_endpoint(client, admin, webhook_receiver.url)
    assert created["secret"].startswith("whsec_") and created["active"] is True
    webhook_receiver.secret = created["secret"]
    (queued,) = await emit(runtime, mehr)

    assert await deliver_due(runtime, mehr.id, T0) == 1

    (delivery,) = webhook_receiver.deliveries
    assert delivery.signature_valid
    assert delivery.headers["Idempotency-Key"] == queued.idempotency_key == f"sla.breached:clock-1/{created['id']}"
    assert delivery.headers["Aftersales-Event"] == "sla.breached"
    assert delivery.json == {"id": str(queued.id), "event": "sla.breached", "created_at": T0.isoformat(),
                             "data": BREACH}
    assert (await reload(queued)).status == "delivered"


async def test_a_wrong_secret_does_not_verify(runtime, client, make_tenant, staff_token, webhook_receiver, reload):
    mehr = await make_tenant("mehr")
    admin = await staff_token(mehr, "admin")
    await add_endpoint(client, admin, webhook_receiver.url)
    webhook_receiver.secret = "whsec_not-the-endpoints-secret"
    (queued,) = await emit(runtime, mehr)
    await deliver_due(runtime, mehr.id, T0)
    assert [d.signature_valid for d in webhook_receiver.deliveries] == [False]
    assert (await reload(queued)).status == "failed"  # the receiver answered 400: refused for good


@pytest.mark.parametrize(("answer", "status"), [
    (200, "delivered"), (299, "delivered"), (404, "failed"), (410, "failed"), (400, "failed"),
    (408, "pending"), (429, "pending"), (500, "pending"), (503, "pending"),
])
async def test_2xx_is_delivered_4xx_is_refused_for_good_and_the_rest_is_retried(
        runtime, client, make_tenant, staff_token, webhook_receiver, reload, answer, status):
    mehr = await make_tenant("mehr")
    admin = await staff_token(mehr, "admin")
    webhook_receiver.secret = (await add_endpoint(client, admin, webhook_receiver.url))["secret"]
    webhook_receiver.answers = [answer]
    (queued,) = await emit(runtime, mehr)

    await deliver_due(runtime, mehr.id, T0)
    stored = await reload(queued)
    assert (stored.status, stored.attempts) == (status, 1)
    if status == "pending":
        assert f"answered {answer}" in stored.last_error and stored.next_attempt_at > T0
        assert await deliver_due(runtime, mehr.id, stored.next_attempt_at) == 1  # the retry gets the default 204
        assert (await reload(queued)).status == "delivered"
        assert len({d.headers["Idempotency-Key"] for d in webhook_receiver.deliveries}) == 1


async def test_only_subscribed_active_endpoints_get_an_event_and_only_once_per_key(
        runtime, client, make_tenant, staff_token, webhook_receiver):
    mehr = await make_tenant("mehr")
    admin = await staff_token(mehr, "admin")
    breaches = await add_endpoint(client, admin, webhook_receiver.url + "?a")
    everything = await add_endpoint(client, admin, webhook_receiver.url + "?b", events=["*"])
    await add_endpoint(client, admin, webhook_receiver.url + "?c", events=["complaint.answered"])
    gone = await add_endpoint(client, admin, webhook_receiver.url + "?d")
    response = await client.post(f"/api/v1/webhooks/{gone['id']}/deactivation", headers=admin)
    assert response.status_code == 200 and response.json()["active"] is False

    first = await emit(runtime, mehr)
    again = await emit(runtime, mehr)
    assert sorted(m.recipient for m in first) == [breaches["url"], everything["url"]]
    assert {m.id for m in again} == {m.id for m in first}


async def test_messages_queued_for_an_endpoint_that_is_then_deactivated_fail(
        runtime, client, make_tenant, staff_token, webhook_receiver, reload):
    mehr = await make_tenant("mehr")
    admin = await staff_token(mehr, "admin")
    endpoint = await add_endpoint(client, admin, webhook_receiver.url)
    (queued,) = await emit(runtime, mehr)
    await client.post(f"/api/v1/webhooks/{endpoint['id']}/deactivation", headers=admin)

    await deliver_due(runtime, mehr.id, T0)
    stored = await reload(queued)
    assert (stored.status, stored.last_error) == ("failed", "the webhook endpoint was deactivated")
    assert webhook_receiver.deliveries == []


async def test_the_secret_is_shown_once_and_stored_encrypted(runtime, client, make_tenant, staff_token):
    from sqlalchemy import select

    from aftersales.outbox.models import WebhookEndpoint

    mehr = await make_tenant("mehr")
    admin = await staff_token(mehr, "admin")
    created = await add_endpoint(client, admin, "https://erp.mehr-demo.com/hooks")
    listed = (await client.get("/api/v1/webhooks/", headers=admin)).json()
    assert [e["id"] for e in listed] == [created["id"]] and "secret" not in listed[0]
    async with runtime.db.session(mehr.id) as session:
        stored = await session.scalar(select(WebhookEndpoint))
    assert created["secret"] not in stored.secret_encrypted


@pytest.mark.parametrize(("url", "reason"), [
    ("http://erp.mehr-demo.com/hooks", "must use https (plain http is allowed for localhost only)"),
    ("ftp://erp.mehr-demo.com/hooks", "must be an https:// URL"),
    ("https://user:pw@erp.mehr-demo.com/hooks", "must not carry credentials; the signature authenticates the sender"),
    ("https://erp.mehr-demo.com/" + "h" * 300, "must be at most 320 characters"),
])
async def test_an_endpoint_url_must_be_https_except_on_localhost(client, make_tenant, staff_token, url, reason):
    mehr = await make_tenant("mehr")
    admin = await staff_token(mehr, "admin")
    response = await client.post("/api/v1/webhooks/", headers=admin, json={"url": url, "events": ["sla.breached"]})
    assert response.status_code == 422
    assert {"field": "url", "reason": reason} in response.json()["errors"]
    assert (await client.get("/api/v1/webhooks/", headers=admin)).json() == []


@pytest.mark.parametrize("url", ["https://10.0.0.7/hooks", "https://169.254.169.254/latest/meta-data",
                                 "https://[::1]:8443/hooks", "http://localhost:8080/hooks", "https://localhost/hooks"])
async def test_without_private_targets_an_endpoint_must_be_a_public_host(runtime, make_tenant, staff_token, url):
    mehr = await make_tenant("mehr")
    admin = await staff_token(mehr, "admin")
    production = replace(runtime, settings=replace(runtime.settings, webhook_private_targets=False))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(production)),
                                 base_url="http://testserver.local") as client:
        response = await client.post("/api/v1/webhooks/", headers=admin, json={"url": url, "events": ["sla.breached"]})
        assert response.status_code == 422
        assert {"field": "url", "reason": "must reach a public host, not this machine or a private network"} in \
            response.json()["errors"]
        assert (await client.get("/api/v1/webhooks/", headers=admin)).json() == []
        public = await client.post("/api/v1/webhooks/", headers=admin,
                                   json={"url": "https://erp.mehr-demo.com/hooks", "events": ["sla.breached"]})
        assert public.status_code == 201


async def test_without_private_targets_an_endpoint_on_this_machine_is_not_posted_to(
        runtime, client, make_tenant, staff_token, webhook_receiver, reload):
    mehr = await make_tenant("mehr")
    admin = await staff_token(mehr, "admin")
    webhook_receiver.secret = (await add_endpoint(client, admin, webhook_receiver.url))["secret"]
    (queued,) = await emit(runtime, mehr)
    production = replace(runtime, settings=replace(runtime.settings, webhook_private_targets=False))

    assert await deliver_due(production, mehr.id, T0) == 1
    stored = await reload(queued)
    assert stored.status == "failed" and "which is not a public address" in stored.last_error
    assert webhook_receiver.deliveries == []


async def test_bad_endpoints_report_every_field_and_write_nothing(client, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    admin = await staff_token(mehr, "admin")
    response = await client.post("/api/v1/webhooks/", headers=admin,
                                 json={"url": "http://example.com/x", "events": ["sla.breached", "SLA Breached!"]})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "url", "reason": "must use https (plain http is allowed for localhost only)"},
        {"field": "events.1", "reason": "is not an event; see GET /api/v1/webhook-events for the catalogue"}]
    empty = await client.post("/api/v1/webhooks/", headers=admin, json={"url": "https://x.example", "events": []})
    assert empty.json()["errors"] == [{"field": "events", "reason": "must list 1 to 50 events"}]
    assert (await client.get("/api/v1/webhooks/", headers=admin)).json() == []


async def test_endpoints_are_for_admins(client, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    agent = await staff_token(mehr, "agent")
    response = await client.post("/api/v1/webhooks/", headers=agent,
                                 json={"url": "https://erp.mehr-demo.com/hooks", "events": ["*"]})
    assert response.status_code == 403
    assert (await client.get("/api/v1/webhooks/", headers=agent)).status_code == 403


async def test_a_tenant_never_sees_or_deactivates_another_tenants_endpoints(
        runtime, client, make_tenant, staff_token, webhook_receiver):
    mehr, entekhab = await make_tenant("mehr"), await make_tenant("entekhab", vertical="appliances")
    mehr_admin, entekhab_admin = await staff_token(mehr, "admin"), await staff_token(entekhab, "admin")
    theirs = await add_endpoint(client, mehr_admin, webhook_receiver.url)

    assert (await client.get("/api/v1/webhooks/", headers=entekhab_admin)).json() == []
    response = await client.post(f"/api/v1/webhooks/{theirs['id']}/deactivation", headers=entekhab_admin)
    assert response.status_code == 404
    assert (await emit(runtime, entekhab)) == []  # another tenant's event reaches none of Mehr's endpoints
    assert (await client.get("/api/v1/webhooks/", headers=mehr_admin)).json()[0]["active"] is True


async def test_an_endpoint_subscribing_to_an_unknown_event_is_refused_with_the_names_it_is_close_to(
        client, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    admin = await staff_token(mehr, "admin")
    response = await client.post("/api/v1/webhooks/", headers=admin, json={
        "url": "https://erp.mehr-demo.com/hooks", "events": ["sla.breach", "request.opened", "booking.canceled"]})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "events.0", "reason": "is not an event; did you mean sla.breached?"},
        {"field": "events.2", "reason": "is not an event; did you mean booking.cancelled or booking.created or booking.completed?"}]
    assert (await client.get("/api/v1/webhooks/", headers=admin)).json() == []
