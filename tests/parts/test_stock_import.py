"""Stock from a CSV file, all rows or none: receipts add, a count sets (the difference is an adjustment); every bad
row is named by line and field; hostile rows (NUL, 10^20, negative, unknown codes) write nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from aftersales.parts.models import StockMovement
from support.stock import RESERVATIONS, STOCK, receive, shop, stock_of

IMPORT = f"{STOCK}/import"
CSV = {"content-type": "text/csv"}


async def send(client, here, body: str | bytes, **params):
    content = body.encode() if isinstance(body, str) else body
    return await client.post(IMPORT, headers={**here.admin, **CSV}, content=content,
                             params={"reason": "stock-take", **params})


async def written(runtime, here) -> int:
    async with runtime.db.transaction(here.tenant.id) as s:
        return await s.scalar(select(func.count()).select_from(StockMovement))


async def test_receipts_are_imported_with_the_files_reason(client, runtime, make_tenant, staff_token):
    here = await shop(runtime, client, make_tenant, staff_token)
    done = await send(client, here, "part,location,quantity,condition\nBELT-1,WH,4,\nBELT-1,WS,2,used\n"
                                    "PUMP-2,WH,1,new\n")
    assert done.status_code == 200, done.text
    assert done.json()["rows"] == 3
    assert {m["reason"] for m in done.json()["movements"]} == {"stock-take"}
    assert await stock_of(client, here.admin, here.parts["BELT-1"]) == {
        (str(here.warehouse), "new"): (4, 0), (str(here.workshop), "used"): (2, 0)}


async def test_a_count_sets_stock_but_not_below_what_jobs_hold(client, runtime, make_tenant, staff_token):
    here = await shop(runtime, client, make_tenant, staff_token)
    await receive(client, here.admin, here.parts["BELT-1"], here.warehouse, 5)
    await receive(client, here.admin, here.parts["PUMP-2"], here.warehouse, 2)
    await client.post(RESERVATIONS, headers=here.admin, json={
        "part_id": str(here.parts["PUMP-2"]), "quantity": 2, "request_id": str(here.request_id)})
    refused = await send(client, here, "part,location,quantity,condition\nBELT-1,WH,3,new\nPUMP-2,WH,1,new\n",
                         mode="count")
    assert refused.status_code == 422
    assert [(e["field"], e["code"]) for e in refused.json()["errors"]] == [("rows.3.quantity", "stock.below_reserved")]
    before = await written(runtime, here)
    done = await send(client, here, "part,location,quantity,condition\nBELT-1,WH,3,new\nPUMP-2,WH,2,new\n",
                      mode="count")
    assert done.status_code == 200, done.text
    assert [(m["kind"], m["on_hand_delta"]) for m in done.json()["movements"]] == [("adjust", -2)]
    assert await written(runtime, here) == before + 1
    assert await stock_of(client, here.admin, here.parts["BELT-1"]) == {(str(here.warehouse), "new"): (3, 0)}


@pytest.mark.parametrize(("row", "field"), [
    ("BELT-1,WH,4\x00,new", "rows.3.quantity"),
    ("BELT\x00-1,WH,4,new", "rows.3.part"),
    ("BELT-1,WH,100000000000000000000,new", "rows.3.quantity"),
    ("BELT-1,WH,-4,new", "rows.3.quantity"),
    ("BELT-1,WH,0,new", "rows.3.quantity"),
    ("BELT-1,WH,1.5,new", "rows.3.quantity"),
    ("BELT-1,WH,۴,new", "rows.3.quantity"),
    ("NOPE,WH,4,new", "rows.3.part"),
    ("labour_hour,WH,4,new", "rows.3.part"),
    ("BELT-1,NOWHERE,4,new", "rows.3.location"),
    ("BELT-1,WH,4,broken", "rows.3.condition"),
    ("BELT-1,WH", "rows.3"),
])
async def test_one_hostile_row_refuses_the_whole_file_naming_its_line_and_field(client, runtime, make_tenant,
                                                                               staff_token, row, field):
    here = await shop(runtime, client, make_tenant, staff_token)
    refused = await send(client, here, f"part,location,quantity,condition\nPUMP-2,WH,1,new\n{row}\n")
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert field in {e["field"] for e in refused.json()["errors"]}
    assert await written(runtime, here) == 0


@pytest.mark.parametrize(("body", "params", "field"), [
    ("part,location,qty\nBELT-1,WH,1\n", {}, "file"),
    ("part,location,quantity,condition\n", {}, "file"),
    (b"part,location,quantity,condition\nBELT-1,WH,1,\xff\n", {}, "file"),
    ("part,location,quantity,condition\nBELT-1,WH,1,new\n", {"reason": " "}, "reason"),
    ("part,location,quantity,condition\nBELT-1,WH,1,new\nBELT-1,WH,2,new\n", {"mode": "count"}, "rows.3"),
])
async def test_a_bad_file_is_refused_whole(client, runtime, make_tenant, staff_token, body, params, field):
    here = await shop(runtime, client, make_tenant, staff_token)
    refused = await send(client, here, body, **params)
    assert refused.status_code == 422, refused.text
    assert [e["field"] for e in refused.json()["errors"]] == [field]
    assert await written(runtime, here) == 0


async def test_another_tenant_cannot_import_into_these_locations(client, runtime, make_tenant, staff_token):
    here = await shop(runtime, client, make_tenant, staff_token)
    other = await shop(runtime, client, make_tenant, staff_token, slug="other")
    async with runtime.db.transaction(other.tenant.id) as s:  # the other tenant's codes differ from these
        from aftersales.parts.models import StockLocation
        for place in await s.scalars(select(StockLocation)):
            place.code = f"O-{place.code}"
    refused = await send(client, other, "part,location,quantity,condition\nBELT-1,WH,1,new\n")
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["rows.2.location"]
    assert await written(runtime, here) == 0
