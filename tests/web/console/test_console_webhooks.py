"""Webhooks in the console: each endpoint with its events and its recent deliveries (status, attempts, last
error), a test event sent with a button and delivered by the worker, in the reader's language; only staff with
``notifications:manage`` see it, and another tenant's endpoints are neither listed nor tested."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from aftersales.worker import run_once
from support.pages import post_form

PAGE = "/t/mehr/console/webhooks"
BILINGUAL = {"locales": ["fa", "en"], "default_locale": "fa"}


async def add_endpoint(client, headers, url, events):
    response = await client.post("/api/v1/webhooks/", headers=headers, json={"url": url, "events": events})
    assert response.status_code == 201, response.text
    return response.json()


async def test_an_admin_sees_each_endpoint_with_its_deliveries_and_failures_and_sends_a_test_event(
        pages, client, runtime, make_tenant, staff_token, sign_in_staff, webhook_receiver):
    mehr = await make_tenant("mehr")
    admin = await staff_token(mehr, "admin")
    good = await add_endpoint(client, admin, webhook_receiver.url + "?good", ["request.opened"])
    refusing = await add_endpoint(client, admin, webhook_receiver.url + "?refusing", ["*"])
    webhook_receiver.secret = good["secret"]  # the other endpoint's signature does not verify: 400, failed
    opened = await client.post("/api/v1/requests/", headers=admin, json={
        "kind": "repair", "channel": "walk_in", "summary": "screen flickers",
        "customer": {"name": "Sara Example", "phone": "+49 30 901820"}})
    assert opened.status_code == 201
    await run_once(runtime, datetime.now(UTC) + timedelta(seconds=1))

    await sign_in_staff(pages, mehr, "admin")
    page = await pages.get(PAGE)
    assert page.status_code == 200
    assert 'href="/t/mehr/console/webhooks" aria-current="page"' in page.text
    good_part = page.text.split(f'data-endpoint="{good["id"]}"')[1].split("</section>")[0]
    refusing_part = page.text.split(f'data-endpoint="{refusing["id"]}"')[1].split("</section>")[0]
    assert "<code dir=\"ltr\">request.opened</code>" in good_part and 'data-status="delivered"' in good_part
    assert "Every event" in refusing_part and 'data-status="failed"' in refusing_part
    assert "webhook answered 400 Bad Request" in refusing_part

    sent = await post_form(pages, f"{PAGE}/{good['id']}/test")
    assert sent.status_code == 303 and f"sent={good['id']}" in sent.headers["location"]
    queued = (await pages.get(PAGE)).text.split(f'data-endpoint="{good["id"]}"')[1].split("</section>")[0]
    assert "<code dir=\"ltr\">webhook.test</code>" in queued and 'data-status="pending"' in queued
    await run_once(runtime, datetime.now(UTC) + timedelta(seconds=1))
    assert [d.json["event"] for d in webhook_receiver.deliveries if d.signature_valid] == [
        "request.opened", "webhook.test"]


async def test_the_page_speaks_the_readers_language(pages, client, make_tenant, staff_token, sign_in_staff):
    mehr = await make_tenant("mehr", **BILINGUAL)
    await add_endpoint(client, await staff_token(mehr, "admin"), "https://erp.mehr-demo.com/hooks", ["*"])
    await sign_in_staff(pages, mehr, "admin")
    page = await pages.get(PAGE)
    assert page.status_code == 200
    assert "ارسال رویداد آزمایشی" in page.text and "همهٔ رویدادها" in page.text
    assert "Send a test event" not in page.text


async def test_staff_without_notifications_manage_neither_see_nor_use_it(pages, client, make_tenant, staff_token,
                                                                         sign_in_staff):
    mehr = await make_tenant("mehr")
    endpoint = await add_endpoint(client, await staff_token(mehr, "admin"), "https://erp.mehr-demo.com/hooks", ["*"])
    await sign_in_staff(pages, mehr, "agent")
    assert (await pages.get(PAGE)).status_code == 403
    assert "/console/webhooks" not in (await pages.get("/t/mehr/console/requests")).text
    assert (await post_form(pages, f"{PAGE}/{endpoint['id']}/test")).status_code == 403


async def test_another_tenants_endpoints_are_not_listed_and_not_tested(pages, client, runtime, make_tenant,
                                                                       staff_token, sign_in_staff):
    mehr, other = await make_tenant("mehr"), await make_tenant("other")
    theirs = await add_endpoint(client, await staff_token(other, "admin"), "https://erp.other.example/hooks", ["*"])
    await sign_in_staff(pages, mehr, "admin")
    page = await pages.get(PAGE)
    assert page.status_code == 200 and theirs["id"] not in page.text and "erp.other.example" not in page.text
    assert (await post_form(pages, f"{PAGE}/{theirs['id']}/test")).status_code == 404
    outbox = await client.get("/api/v1/outbox/", headers=await staff_token(other, "admin"))
    assert outbox.json()["items"] == []
