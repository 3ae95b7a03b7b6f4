"""Where a webhook may point: the add-time check refuses this machine, private networks and cloud metadata in
every spelling a client reads, and names that resolve there; a delivery never follows a redirect."""

from __future__ import annotations

import socket
from dataclasses import replace
from datetime import UTC, datetime

import httpx
import pytest

from aftersales.app import create_app
from aftersales.outbox.delivery import deliver_due
from aftersales.outbox.webhooks import enqueue_event, public_address

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
PRIVATE = "must reach a public host, not this machine or a private network"


@pytest.fixture
async def production_client(runtime):
    production = replace(runtime, settings=replace(runtime.settings, webhook_private_targets=False))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(production)),
                                 base_url="http://testserver.local") as client:
        yield client


@pytest.fixture
def resolver(monkeypatch):
    """Names the standard resolver answers with the given addresses (others resolve as usual)."""
    known: dict[str, str] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in known:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (known[host], port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return known


PRIVATE_SPELLINGS = [
    "https://2130706433/", "https://0x7f000001/", "https://127.1/", "https://0177.0.0.1/", "https://0x7f.1/",
    "https://localhost./", "https://LOCALHOST/", "https://metadata.google.internal/computeMetadata/v1/",
    "https://metadata.google.internal./", "https://printer.local/", "https://app.localhost/",
    "https://[::ffff:127.0.0.1]/", "https://[fe80::1]/", "https://0/", "https://169.254.169.254/",
]


async def test_every_spelling_of_a_private_host_is_refused_when_added(production_client, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    admin = await staff_token(mehr, "admin")
    for url in PRIVATE_SPELLINGS:  # one app for all: building one per spelling costs more than the checks
        response = await production_client.post("/api/v1/webhooks/", headers=admin,
                                                json={"url": url, "events": ["sla.breached"]})
        assert response.status_code == 422, (url, response.text)
        assert {"field": "url", "reason": PRIVATE} in response.json()["errors"], url
    assert (await production_client.get("/api/v1/webhooks/", headers=admin)).json() == []


async def test_a_name_that_resolves_to_this_machine_is_refused_and_a_public_one_accepted(
        production_client, make_tenant, staff_token, resolver):
    mehr = await make_tenant("mehr")
    admin = await staff_token(mehr, "admin")
    resolver.update({"hooks.loopback.example": "127.0.0.1", "hooks.office.example": "10.1.2.3",
                     "hooks.public.example": "93.184.215.14"})
    for name in ("hooks.loopback.example", "hooks.office.example"):
        refused = await production_client.post("/api/v1/webhooks/", headers=admin,
                                              json={"url": f"https://{name}/in", "events": ["sla.breached"]})
        assert refused.status_code == 422 and {"field": "url", "reason": PRIVATE} in refused.json()["errors"]
    accepted = await production_client.post("/api/v1/webhooks/", headers=admin,
                                           json={"url": "https://hooks.public.example/in", "events": ["sla.breached"]})
    assert accepted.status_code == 201


@pytest.mark.parametrize(("host", "public"), [
    ("93.184.215.14", True), ("erp.mehr-demo.com", True), ("8.8.8.8", True), ("0x08080808", True),
    ("127.1", False), ("10.0.0.1", False), ("[::1]", False), ("localhost.", False), ("x.internal", False),
])
def test_public_address_reads_literals_as_a_client_would(host, public):
    assert public_address(host) is public


async def test_a_redirect_is_not_followed_and_fails_the_message_for_good(
        runtime, client, make_tenant, staff_token, webhook_receiver, reload):
    mehr = await make_tenant("mehr")
    admin = await staff_token(mehr, "admin")
    added = await client.post("/api/v1/webhooks/", headers=admin,
                              json={"url": webhook_receiver.url, "events": ["sla.breached"]})
    webhook_receiver.secret = added.json()["secret"]
    webhook_receiver.answers = [307]
    webhook_receiver.location = webhook_receiver.url + "/elsewhere"
    async with runtime.db.transaction(mehr.id) as session:
        (queued,) = await enqueue_event(session, "sla.breached", {"request": 7}, "sla.breached:clock-1", now=T0)

    await deliver_due(runtime, mehr.id, T0)
    stored = await reload(queued)
    assert (stored.status, stored.attempts) == ("failed", 1)
    assert "307" in stored.last_error and "redirects are not followed" in stored.last_error
    assert len(webhook_receiver.deliveries) == 1  # the redirect's target was never posted to
