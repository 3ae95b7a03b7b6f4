"""Buffer stock: a minimum per part and location; at the minimum a part is not on the reorder list, one below it
is, with the suggested quantity; the movement that takes it below announces ``stock.below_minimum`` once."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from aftersales.outbox.events import CATALOGUE
from aftersales.outbox.models import OutboxMessage
from support.stock import RESERVATIONS, STOCK, receive, shop

REORDER = f"{STOCK}/reorder"


async def events(runtime, tenant) -> list[dict]:
    async with runtime.db.session(tenant.id) as session:
        rows = await session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "webhook",
                                                                 OutboxMessage.event == "stock.below_minimum")
                                     .order_by(OutboxMessage.created_at, OutboxMessage.id))
        return [m.payload for m in rows]


async def minimum(client, here, part="BELT-1", place=None, **body):
    done = await client.put(f"{STOCK}/minimums", headers=here.admin, json={
        "part_id": str(here.parts[part]), "location_id": str(place or here.warehouse), **body})
    assert done.status_code == 200, done.text
    return done.json()


async def subscribe(client, here):
    subscribed = await client.post("/api/v1/webhooks/", headers=here.admin, json={
        "url": "https://erp.example.com/hooks", "events": ["stock.below_minimum"]})
    assert subscribed.status_code == 201, subscribed.text


async def test_at_the_minimum_nothing_is_reordered_and_one_below_it_is(client, runtime, make_tenant, staff_token):
    here = await shop(runtime, client, make_tenant, staff_token)
    await subscribe(client, here)
    await receive(client, here.admin, here.parts["BELT-1"], here.warehouse, 4)
    await minimum(client, here, minimum=3)
    held = await client.post(RESERVATIONS, headers=here.admin, json={
        "part_id": str(here.parts["BELT-1"]), "quantity": 1, "request_id": str(here.request_id)})
    assert held.status_code == 201
    assert (await client.get(REORDER, headers=here.admin)).json() == []
    assert await events(runtime, here.tenant) == []
    await client.post(f"{STOCK}/scraps", headers=here.admin, json={
        "part_id": str(here.parts["BELT-1"]), "location_id": str(here.warehouse), "quantity": 1})
    [row] = (await client.get(REORDER, headers=here.admin)).json()
    assert (row["part_code"], row["location_code"], row["available"], row["minimum"], row["suggested_quantity"]) \
        == ("BELT-1", "WH", 2, 3, 1)
    [sent] = await events(runtime, here.tenant)
    CATALOGUE["stock.below_minimum"].model_validate({k: v for k, v in sent.items() if k != "version"})
    assert (sent["part_code"], sent["available"], sent["minimum"], sent["suggested_quantity"]) == ("BELT-1", 2, 3, 1)
    await client.post(f"{STOCK}/scraps", headers=here.admin, json={
        "part_id": str(here.parts["BELT-1"]), "location_id": str(here.warehouse), "quantity": 1})
    assert len(await events(runtime, here.tenant)) == 1, "told once per crossing, not for every movement below"
    await receive(client, here.admin, here.parts["BELT-1"], here.warehouse, 5)
    assert (await client.get(REORDER, headers=here.admin)).json() == []


async def test_a_reorder_quantity_is_suggested_but_never_less_than_the_gap(client, runtime, make_tenant,
                                                                           staff_token):
    here = await shop(runtime, client, make_tenant, staff_token)
    await minimum(client, here, minimum=2, reorder_quantity=10)
    await minimum(client, here, part="PUMP-2", place=here.workshop, minimum=30, reorder_quantity=10)
    rows = (await client.get(REORDER, headers=here.admin)).json()
    assert [(r["location_code"], r["part_code"], r["suggested_quantity"]) for r in rows] == [
        ("WH", "BELT-1", 10), ("WS", "PUMP-2", 30)]
    only = (await client.get(REORDER, headers=here.admin, params={"location": str(here.workshop)})).json()
    assert [r["part_code"] for r in only] == ["PUMP-2"]
    await minimum(client, here, minimum=0)
    assert [r["part_code"] for r in (await client.get(REORDER, headers=here.admin)).json()] == ["PUMP-2"]
    assert len((await client.get(f"{STOCK}/minimums", headers=here.admin)).json()) == 2


@pytest.mark.parametrize(("body", "fields"), [
    ({"minimum": -1}, {"minimum"}),
    ({"minimum": 10**20}, {"minimum"}),
    ({"minimum": 1, "reorder_quantity": 0}, {"reorder_quantity"}),
    ({"minimum": 1, "part_id": "unknown"}, {"part_id"}),
    ({"minimum": 1, "location_id": "unknown"}, {"location_id"}),
])
async def test_hostile_minimums_are_refused_naming_the_field(client, runtime, make_tenant, staff_token, body, fields):
    here = await shop(runtime, client, make_tenant, staff_token)
    sent = {"part_id": str(here.parts["BELT-1"]), "location_id": str(here.warehouse),
            **{k: str(uuid.uuid4()) if v == "unknown" else v for k, v in body.items()}}
    refused = await client.put(f"{STOCK}/minimums", headers=here.admin, json=sent)
    assert refused.status_code == 422, refused.text
    assert {e["field"] for e in refused.json()["errors"]} == fields
    assert (await client.get(f"{STOCK}/minimums", headers=here.admin)).json() == []
