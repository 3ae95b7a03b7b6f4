"""The outbox through the API: messages listed by status and paged, a failed one queued again; per tenant."""

from __future__ import annotations

from datetime import UTC, datetime

from aftersales.outbox.delivery import deliver_due

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


async def test_messages_are_listed_newest_first_by_status_and_paged(client, make_tenant, staff_token, queue):
    mehr = await make_tenant("mehr")
    admin = await staff_token(mehr, "admin")
    queued = [await queue(mehr.id, T0, key=f"request.opened:{n}") for n in range(5)]

    first = await client.get("/api/v1/outbox/", headers=admin, params={"status": "pending", "limit": 2})
    assert first.status_code == 200
    page = first.json()
    assert [m["idempotency_key"] for m in page["items"]] == ["request.opened:4", "request.opened:3"]
    rest = (await client.get("/api/v1/outbox/", headers=admin,
                             params={"status": "pending", "limit": 2, "cursor": page["next_cursor"]})).json()
    last = (await client.get("/api/v1/outbox/", headers=admin,
                             params={"status": "pending", "limit": 2, "cursor": rest["next_cursor"]})).json()
    assert [m["id"] for m in rest["items"] + last["items"]] == [str(m.id) for m in reversed(queued[:3])]
    assert last["next_cursor"] is None
    assert (await client.get("/api/v1/outbox/", headers=admin, params={"status": "failed"})).json()["items"] == []


async def test_a_failed_message_is_queued_again_with_fresh_attempts(
        runtime, client, make_tenant, staff_token, smtp_server, tuned, queue, reload):
    mehr = await make_tenant("mehr")
    admin = await staff_token(mehr, "admin")
    worker = tuned(smtp_url=smtp_server.url)
    smtp_server.inbox.refuse["sara@example.com"] = ["550 5.2.1 mailbox disabled"]
    queued = await queue(mehr.id, T0)
    await deliver_due(worker, mehr.id, T0)
    failed = (await client.get("/api/v1/outbox/", headers=admin, params={"status": "failed"})).json()["items"]
    assert [(m["id"], m["attempts"]) for m in failed] == [(str(queued.id), 1)]
    assert "550 5.2.1 mailbox disabled" in failed[0]["last_error"]

    retried = await client.post(f"/api/v1/outbox/{queued.id}/retry", headers=admin)
    assert retried.status_code == 200
    assert (retried.json()["status"], retried.json()["attempts"]) == ("pending", 0)
    stored = await reload(queued)
    assert await deliver_due(worker, mehr.id, stored.next_attempt_at) == 1  # the mailbox works again
    smtp_server.inbox.wait_for(1)
    assert (await reload(queued)).status == "delivered"
    again = await client.post(f"/api/v1/outbox/{queued.id}/retry", headers=admin)
    assert again.status_code == 409
    assert again.json()["detail"] == "only a failed message can be retried; this one is delivered"


async def test_a_forged_cursor_or_page_size_is_a_field_error(client, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    admin = await staff_token(mehr, "admin")
    for params, field in (({"cursor": "bm90LWEtY3Vyc29y"}, "cursor"), ({"cursor": "WyJub3QtYS11dWlkIl0"}, "cursor"),
                          ({"limit": 0}, "limit"), ({"limit": 201}, "limit")):
        response = await client.get("/api/v1/outbox/", headers=admin, params=params)
        assert response.status_code == 422, params
        assert [e["field"] for e in response.json()["errors"]] == [field]


async def test_the_outbox_is_for_admins(client, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    for role in ("agent", "technician", "finance"):
        assert (await client.get("/api/v1/outbox/", headers=await staff_token(mehr, role))).status_code == 403


async def test_a_tenant_never_sees_or_retries_another_tenants_messages(
        runtime, client, make_tenant, staff_token, smtp_server, tuned, queue):
    mehr, entekhab = await make_tenant("mehr"), await make_tenant("entekhab", vertical="appliances")
    entekhab_admin = await staff_token(entekhab, "admin")
    smtp_server.inbox.refuse["sara@example.com"] = ["550 no"]
    theirs = await queue(mehr.id, T0)
    await deliver_due(tuned(smtp_url=smtp_server.url), mehr.id, T0)

    listed = (await client.get("/api/v1/outbox/", headers=entekhab_admin)).json()
    assert listed == {"items": [], "next_cursor": None}
    assert (await client.post(f"/api/v1/outbox/{theirs.id}/retry", headers=entekhab_admin)).status_code == 404
    assert await deliver_due(runtime, entekhab.id, T0) == 0  # a worker for one tenant claims none of another's
