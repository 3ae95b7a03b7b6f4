"""Jobs reserve parts, issue what they used and release the rest; the last unit goes to one job only, also when
many race for it on their own connections; a job's service quote charges its reserved parts at list price."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy import func, select, text

from aftersales.db.session import Database
from aftersales.errors import Conflict
from aftersales.parts import reservations
from aftersales.parts.models import StockReservation
from aftersales.tenancy.current import bind_tenant
from support.stock import RESERVATIONS, receive, shop, stock_of

RACERS = 12


def reserve_body(here, part="BELT-1", quantity=1, **extra):
    return {"part_id": str(here.parts[part]), "quantity": quantity, "request_id": str(here.request_id), **extra}


async def test_the_last_unit_is_reserved_once_and_the_next_job_is_told_none_is_left(client, runtime, make_tenant,
                                                                                   staff_token):
    here = await shop(runtime, client, make_tenant, staff_token)
    await receive(client, here.admin, here.parts["BELT-1"], here.warehouse, 2)
    first = await client.post(RESERVATIONS, headers=here.admin, json=reserve_body(here, quantity=2))
    assert first.status_code == 201, first.text
    assert (first.json()["state"], first.json()["location_id"]) == ("open", str(here.warehouse))
    refused = await client.post(RESERVATIONS, headers=here.admin, json=reserve_body(here))
    assert refused.status_code == 409
    assert (refused.json()["code"], refused.json()["params"]["available"]) == ("parts.short", 0)
    assert await stock_of(client, here.admin, here.parts["BELT-1"]) == {(str(here.warehouse), "new"): (2, 2)}


async def test_without_a_location_the_one_with_most_available_is_chosen(client, runtime, make_tenant, staff_token):
    here = await shop(runtime, client, make_tenant, staff_token)
    await receive(client, here.admin, here.parts["BELT-1"], here.warehouse, 1)
    await receive(client, here.admin, here.parts["BELT-1"], here.workshop, 3)
    held = (await client.post(RESERVATIONS, headers=here.admin, json=reserve_body(here, quantity=2))).json()
    assert held["location_id"] == str(here.workshop)
    named = await client.post(RESERVATIONS, headers=here.admin,
                              json=reserve_body(here, quantity=2, location_id=str(here.warehouse)))
    assert named.status_code == 409 and named.json()["params"]["available"] == 1


async def test_issue_uses_some_and_releases_the_rest_then_the_reservation_is_closed(client, runtime, make_tenant,
                                                                                  staff_token):
    here = await shop(runtime, client, make_tenant, staff_token)
    await receive(client, here.admin, here.parts["BELT-1"], here.warehouse, 3)
    held = (await client.post(RESERVATIONS, headers=here.admin, json=reserve_body(here, quantity=3))).json()
    too_many = await client.post(f"{RESERVATIONS}/{held['id']}/issue", headers=here.admin, json={"quantity": 4})
    assert too_many.status_code == 422 and too_many.json()["errors"][0]["field"] == "quantity"
    used = await client.post(f"{RESERVATIONS}/{held['id']}/issue", headers=here.admin, json={"quantity": 2})
    assert used.status_code == 200, used.text
    assert (used.json()["state"], used.json()["quantity"]) == ("issued", 2)
    assert await stock_of(client, here.admin, here.parts["BELT-1"]) == {(str(here.warehouse), "new"): (1, 0)}
    again = await client.post(f"{RESERVATIONS}/{held['id']}/release", headers=here.admin)
    assert again.status_code == 409 and again.json()["code"] == "stock.reservation_closed"
    other = (await client.post(RESERVATIONS, headers=here.admin, json=reserve_body(here))).json()
    released = await client.post(f"{RESERVATIONS}/{other['id']}/release", headers=here.admin)
    assert released.json()["state"] == "released"
    assert await stock_of(client, here.admin, here.parts["BELT-1"]) == {(str(here.warehouse), "new"): (1, 0)}
    listed = (await client.get(RESERVATIONS, headers=here.admin, params={"request_id": str(here.request_id)})).json()
    assert [(r["state"], r["quantity"]) for r in listed] == [("issued", 2), ("released", 1)]
    assert [r["id"] for r in (await client.get(RESERVATIONS, headers=here.admin,
                                                params={"state": "released"})).json()] == [other["id"]]
    kinds = [m["kind"] for m in (await client.get("/api/v1/stock/movements", headers=here.admin)).json()["items"]]
    assert kinds == ["release", "reserve", "release", "issue", "reserve", "receipt"]


@pytest.mark.parametrize(("body", "fields"), [
    ({"quantity": 0}, {"quantity"}),
    ({"quantity": 10**20}, {"quantity"}),
    ({"quantity": -1}, {"quantity"}),
    ({"request_id": None}, {"request_id"}),
    ({"request_id": "unknown"}, {"request_id"}),
    ({"booking_id": "unknown"}, {"booking_id"}),
    ({"location_id": "unknown"}, {"location_id"}),
    ({"part_id": "unknown"}, {"part_id"}),
])
async def test_hostile_reservations_are_refused_naming_the_field(client, runtime, make_tenant, staff_token, body,
                                                                 fields):
    here = await shop(runtime, client, make_tenant, staff_token)
    await receive(client, here.admin, here.parts["BELT-1"], here.warehouse, 1)
    sent = {**reserve_body(here), **{k: str(uuid.uuid4()) if v == "unknown" else v for k, v in body.items()}}
    refused = await client.post(RESERVATIONS, headers=here.admin, json=sent)
    assert refused.status_code == 422, refused.text
    assert {e["field"] for e in refused.json()["errors"]} == fields
    async with runtime.db.transaction(here.tenant.id) as s:
        assert await s.scalar(select(func.count()).select_from(StockReservation)) == 0


async def race(backend, tenant, part_id, request_id, attempts: int) -> list[str]:
    """``attempts`` jobs reserve one unit each, every one in its own transaction on its own connection, all
    released together once each has begun; returns ``reserved`` or the refusal's code and count."""
    db = Database(backend.app_url, pool_size=attempts + 2, max_overflow=0)
    everyone_in = asyncio.Barrier(attempts)

    async def attempt(number: int) -> str:
        try:
            async with db.transaction(tenant.record.id) as session:
                await session.execute(text("SELECT 1"))  # the transaction has begun and holds its connection
                await everyone_in.wait()
                await reservations.reserve(session, tenant, part_id=part_id, quantity=1, request_id=request_id,
                                           actor=f"staff:{number}")
            return "reserved"
        except Conflict as refused:
            return f"{refused.code}:{refused.params['available']}"

    try:
        return await asyncio.gather(*(attempt(n) for n in range(attempts)))
    finally:
        await db.dispose()


async def test_many_jobs_racing_for_the_last_unit_leave_exactly_one_reservation(backend, client, runtime,
                                                                                make_tenant, staff_token):
    here = await shop(runtime, client, make_tenant, staff_token)
    await receive(client, here.admin, here.parts["PUMP-2"], here.warehouse, 1)
    tenant = bind_tenant(here.tenant, runtime.plugins)
    outcomes = await race(backend, tenant, here.parts["PUMP-2"], here.request_id, RACERS)
    assert outcomes.count("reserved") == 1
    assert outcomes.count("parts.short:0") == RACERS - 1
    assert await stock_of(client, here.admin, here.parts["PUMP-2"]) == {(str(here.warehouse), "new"): (1, 1)}


@pytest.mark.postgres_only
async def test_two_units_and_many_racers_leave_two_reservations(backend, client, runtime, make_tenant, staff_token):
    here = await shop(runtime, client, make_tenant, staff_token)
    await receive(client, here.admin, here.parts["PUMP-2"], here.warehouse, 1)
    await receive(client, here.admin, here.parts["PUMP-2"], here.workshop, 1)
    tenant = bind_tenant(here.tenant, runtime.plugins)
    outcomes = await race(backend, tenant, here.parts["PUMP-2"], here.request_id, RACERS)
    assert outcomes.count("reserved") == 2 and outcomes.count("parts.short:0") == RACERS - 2
    assert await reservations_count(runtime, here) == 2


async def reservations_count(runtime, here) -> int:
    async with runtime.db.transaction(here.tenant.id) as s:
        return await s.scalar(select(func.count()).select_from(StockReservation))


async def test_another_tenant_finds_none_of_the_stock_nor_can_use_it(client, runtime, make_tenant, staff_token):
    here = await shop(runtime, client, make_tenant, staff_token)
    other = await shop(runtime, client, make_tenant, staff_token, slug="other")
    await receive(client, here.admin, here.parts["BELT-1"], here.warehouse, 2)
    held = (await client.post(RESERVATIONS, headers=here.admin, json=reserve_body(here))).json()
    stranger = other.admin
    for path in (f"{RESERVATIONS}/{held['id']}", f"/api/v1/stock/locations/{here.warehouse}"):
        assert (await client.get(path, headers=stranger)).status_code == 404
    for action in ("issue", "release"):
        kwargs = {"json": {}} if action == "issue" else {}
        assert (await client.post(f"{RESERVATIONS}/{held['id']}/{action}", headers=stranger,
                                  **kwargs)).status_code == 404
    for path, params in (("/api/v1/stock", {"part": str(here.parts["BELT-1"])}),
                         ("/api/v1/stock/movements", {}), (RESERVATIONS, {"request_id": str(here.request_id)}),
                         ("/api/v1/stock/minimums", {}), ("/api/v1/stock/reorder", {})):
        answer = await client.get(path, headers=stranger, params=params)
        assert answer.status_code == 200
        assert answer.json() in ([], {"items": [], "next_cursor": None}), path
    assert [row["code"] for row in (await client.get("/api/v1/stock/locations", headers=stranger)).json()] \
        == ["WH", "WS"]
    theirs = {"part_id": str(here.parts["BELT-1"]), "location_id": str(here.warehouse), "quantity": 1}
    for path, body in (("reservations", reserve_body(here)), ("receipts", theirs),
                       ("scraps", theirs), ("adjustments", {**theirs, "reason": "steal"}),
                       ("transfers", {**theirs, "to_location_id": str(other.warehouse)}),
                       ("minimums", {"part_id": theirs["part_id"], "location_id": theirs["location_id"],
                                     "minimum": 1})):
        method = client.put if path == "minimums" else client.post
        refused = await method(f"/api/v1/stock/{path}", headers=stranger, json=body)
        assert refused.status_code == 422, (path, refused.text)
        assert "part_id" in {e["field"] for e in refused.json()["errors"]}
    assert await stock_of(client, here.admin, here.parts["BELT-1"]) == {(str(here.warehouse), "new"): (2, 1)}
    assert await reservations_count(runtime, here) == 1
