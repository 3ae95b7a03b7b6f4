"""Stock by location over the API: locations of each kind, receipts, transfers as a pair of rows, returns, scrap
and adjustments; quantities are sums over the ledger; nothing goes below what is available; the ledger refuses
changes; hostile values are 422 problems naming the field and write nothing."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select, text

from aftersales.parts.models import StockMovement
from support.dispatch import add_technician
from support.stock import LOCATIONS, STOCK, location, receive, shop, stock_of


async def movements_count(runtime, tenant) -> int:
    async with runtime.db.transaction(tenant.id) as s:
        return await s.scalar(select(func.count()).select_from(StockMovement))


async def test_locations_of_each_kind_name_their_place_and_only_it(client, runtime, make_tenant, staff_token):
    here = await shop(runtime, client, make_tenant, staff_token)
    driver = await add_technician(runtime, here.tenant, "Driver")
    unknown = await client.post(LOCATIONS, headers=here.admin, json={"code": "VAN-0", "name": "Van", "kind": "van",
                                                                    "technician_id": str(uuid.uuid4())})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "technician_id"
    van = await location(client, here.admin, "VAN-7", kind="van", technician_id=str(driver))
    listed = (await client.get(LOCATIONS, headers=here.admin)).json()
    assert [(row["code"], row["kind"]) for row in listed] == [
        ("VAN-7", "van"), ("WH", "warehouse"), ("WS", "service_point")]
    assert (await client.get(f"{LOCATIONS}/{van}", headers=here.admin)).json()["technician_id"]
    taken = await client.post(LOCATIONS, headers=here.admin, json={"code": "WH", "name": "again", "kind": "van",
                                                                  "technician_id": str(driver)})
    assert taken.status_code == 409 and taken.json()["code"] == "stock.location_code_taken"
    wrong = await client.post(LOCATIONS, headers=here.admin, json={
        "code": "X", "name": "X", "kind": "warehouse", "warehouse_id": str(uuid.uuid4()),
        "technician_id": str(uuid.uuid4())})
    assert wrong.status_code == 422
    assert {e["field"] for e in wrong.json()["errors"]} == {"warehouse_id", "technician_id"}
    bare = await client.post(LOCATIONS, headers=here.admin, json={"code": "Y", "name": "Y", "kind": "service_point"})
    assert [e["field"] for e in bare.json()["errors"]] == ["service_point_id"]
    assert len((await client.get(LOCATIONS, headers=here.admin)).json()) == 3


async def test_receipt_transfer_return_scrap_and_adjustment_are_sums_over_the_ledger(client, runtime, make_tenant,
                                                                                    staff_token):
    here = await shop(runtime, client, make_tenant, staff_token)
    belt, wh, ws = here.parts["BELT-1"], str(here.warehouse), str(here.workshop)
    await receive(client, here.admin, belt, here.warehouse, 5)
    moved = await client.post(f"{STOCK}/transfers", headers=here.admin, json={
        "part_id": str(belt), "location_id": wh, "to_location_id": ws, "quantity": 2})
    assert moved.status_code == 201, moved.text
    pair = moved.json()
    assert (pair["out"]["kind"], pair["out"]["on_hand_delta"], pair["into"]["kind"], pair["into"]["on_hand_delta"]) \
        == ("transfer_out", -2, "transfer_in", 2)
    assert pair["out"]["transfer_id"] == pair["into"]["transfer_id"]
    assert await stock_of(client, here.admin, belt) == {(wh, "new"): (3, 0), (ws, "new"): (2, 0)}
    scrapped = await client.post(f"{STOCK}/scraps", headers=here.admin, json={
        "part_id": str(belt), "location_id": ws, "quantity": 1, "reason": "torn"})
    assert scrapped.status_code == 201
    returned = await client.post(f"{STOCK}/returns", headers=here.admin, json={
        "part_id": str(belt), "location_id": ws, "quantity": 1, "request_id": str(here.request_id)})
    assert returned.status_code == 201 and returned.json()["request_id"] == str(here.request_id)
    timeline = (await client.get(f"/api/v1/requests/{here.request_id}/timeline", headers=here.admin)).json()
    assert timeline[-1]["note"] == "part BELT-1 returned to stock: 1"
    counted = await client.post(f"{STOCK}/adjustments", headers=here.admin, json={
        "part_id": str(belt), "location_id": wh, "quantity": -1, "reason": "count on Monday found 2"})
    assert counted.status_code == 201
    assert await stock_of(client, here.admin, belt) == {(wh, "new"): (2, 0), (ws, "new"): (2, 0)}
    used = await receive(client, here.admin, belt, here.workshop, 1, condition="used",
                         donor_unit_id=str(uuid.uuid4()))
    assert used["donor_unit_id"] and used["condition"] == "used"
    by_place = (await client.get(STOCK, headers=here.admin, params={"location": ws})).json()
    assert [(row["condition"], row["available"]) for row in by_place] == [("new", 2), ("used", 1)]
    ledger = (await client.get(f"{STOCK}/movements", headers=here.admin, params={"part": str(belt), "limit": 3}))
    page = ledger.json()
    assert [row["kind"] for row in page["items"]] == ["receipt", "adjust", "return"]
    rest = (await client.get(f"{STOCK}/movements", headers=here.admin,
                             params={"part": str(belt), "cursor": page["next_cursor"]})).json()
    assert [row["kind"] for row in rest["items"]] == ["scrap", "transfer_in", "transfer_out", "receipt"]
    assert rest["next_cursor"] is None


async def test_the_last_unit_can_be_taken_and_one_more_cannot(client, runtime, make_tenant, staff_token):
    here = await shop(runtime, client, make_tenant, staff_token)
    belt, wh = str(here.parts["BELT-1"]), str(here.warehouse)
    await receive(client, here.admin, here.parts["BELT-1"], here.warehouse, 2)
    before = await movements_count(runtime, here.tenant)
    for path, body in (("scraps", {"quantity": 3}), ("adjustments", {"quantity": -3, "reason": "lost"}),
                       ("transfers", {"quantity": 3, "to_location_id": str(here.workshop)})):
        refused = await client.post(f"{STOCK}/{path}", headers=here.admin,
                                    json={"part_id": belt, "location_id": wh, **body})
        assert refused.status_code == 409, (path, refused.text)
        assert (refused.json()["code"], refused.json()["params"]["available"]) == ("parts.short", 2)
    assert await movements_count(runtime, here.tenant) == before
    last = await client.post(f"{STOCK}/transfers", headers=here.admin, json={
        "part_id": belt, "location_id": wh, "quantity": 2, "to_location_id": str(here.workshop)})
    assert last.status_code == 201
    assert (await client.post(f"{STOCK}/scraps", headers=here.admin, json={
        "part_id": belt, "location_id": wh, "quantity": 1})).json()["params"]["available"] == 0


@pytest.mark.parametrize(("path", "body", "fields"), [
    ("receipts", {"quantity": 0}, {"quantity"}),
    ("receipts", {"quantity": -4}, {"quantity"}),
    ("receipts", {"quantity": 10**20}, {"quantity"}),
    ("receipts", {"quantity": 1_000_001}, {"quantity"}),
    ("receipts", {"quantity": 1, "part_id": "unknown"}, {"part_id"}),
    ("receipts", {"quantity": 1, "location_id": "unknown"}, {"location_id"}),
    ("receipts", {"quantity": 1, "part_id": "rate"}, {"part_id"}),
    ("adjustments", {"quantity": 3, "reason": "  "}, {"reason"}),
    ("adjustments", {"quantity": 0, "reason": "none"}, {"quantity"}),
    ("adjustments", {"quantity": 2, "reason": "x" * 501}, {"reason"}),
    ("returns", {"quantity": 1}, {"request_id"}),
    ("transfers", {"quantity": 1, "to_location_id": "same"}, {"to_location_id"}),
])
async def test_hostile_movements_are_refused_naming_the_field_and_write_nothing(client, runtime, make_tenant,
                                                                              staff_token, path, body, fields):
    here = await shop(runtime, client, make_tenant, staff_token)
    ids = {"unknown": str(uuid.uuid4()), "rate": str(here.parts["labour_hour"]), "same": str(here.warehouse)}
    sent = {"part_id": str(here.parts["BELT-1"]), "location_id": str(here.warehouse), **body}
    sent = {key: ids.get(value, value) if isinstance(value, str) else value for key, value in sent.items()}
    refused = await client.post(f"{STOCK}/{path}", headers=here.admin, json=sent)
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert {e["field"] for e in refused.json()["errors"]} == fields
    assert await movements_count(runtime, here.tenant) == 0


async def test_a_nul_in_a_reason_is_refused_at_the_door(client, runtime, make_tenant, staff_token):
    here = await shop(runtime, client, make_tenant, staff_token)
    refused = await client.post(f"{STOCK}/adjustments", headers=here.admin, json={
        "part_id": str(here.parts["BELT-1"]), "location_id": str(here.warehouse), "quantity": 1,
        "reason": "count\u0000ed"})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "reason"
    assert await movements_count(runtime, here.tenant) == 0


async def test_the_ledger_refuses_changes_and_deletions(client, runtime, make_tenant, staff_token):
    here = await shop(runtime, client, make_tenant, staff_token)
    await receive(client, here.admin, here.parts["BELT-1"], here.warehouse, 1)
    for statement in ("UPDATE stock_movements SET on_hand_delta = 100", "DELETE FROM stock_movements"):
        with pytest.raises(Exception, match="append-only"):
            async with runtime.db.transaction(here.tenant.id) as s:
                await s.execute(text(statement))
    assert await movements_count(runtime, here.tenant) == 1


async def test_stock_scopes_go_to_the_roles_that_keep_and_use_parts(client, runtime, make_tenant, staff_token):
    here = await shop(runtime, client, make_tenant, staff_token)
    technician, agent = await staff_token(here.tenant, "technician"), await staff_token(here.tenant, "agent")
    service = await staff_token(here.tenant, "customer_service")
    body = {"part_id": str(here.parts["BELT-1"]), "location_id": str(here.warehouse), "quantity": 1}
    assert (await client.post(f"{STOCK}/receipts", headers=technician, json=body)).status_code == 201
    assert (await client.post(f"{STOCK}/receipts", headers=agent, json=body)).status_code == 403
    assert (await client.get(STOCK, headers=agent)).status_code == 200
    assert (await client.get(STOCK, headers=service)).status_code == 403
