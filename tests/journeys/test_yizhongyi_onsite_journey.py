"""Issue 20's second acceptance journey on Yizhongyi's own manifest (``tenants/yizhongyi.toml``, seed 003), through
the HTTP API as its dispatchers, workshop staff and technician work: a repair request at the customer's site; a
visit planned to a technician before the plan's cut-off (15:00 on the last business day before the visit, a
setting), fixed by the worker job at the cut-off — not a minute before — the technician e-mailed the route and
the customer told the window in Chinese, while a visit still unplanned at the cut-off is flagged; a part short,
back-ordered with the supplier's expected date: the request waits for parts, its ``parts_wait`` clock runs and its
repair clock is paused (read through the request's clocks), and the customer reads the expected date; the part
received moves the request on; on site the technician arrives, starts and finishes with the part used and the
customer's signature; the repair clock runs again and is met when the unit is ready.

The API's clock is the real one, so the visit's day lies two weeks ahead (a working Thursday) and the worker job
is run at that day's cut-off, as the worker would run it then."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from aftersales.dispatch import planning
from aftersales.dispatch.terms import plan_cutoff
from aftersales.outbox.models import OutboxMessage
from aftersales.service.quotes.models import PartPrice
from support.dispatch import PNG, add_staff, future_weekday

SITE = {"site_latitude": 31.2304, "site_longitude": 121.4737}
"""The customer's workshop in Shanghai (People's Square)."""
LIFT = {"kind": "repair", "channel": "phone", "summary": "举升机液压泵漏油",
        "customer": {"name": "Li Na", "phone": "+86 139 1234 5678"}, **SITE}


async def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def outbox(runtime: Any, tenant: Any, event: str) -> list[OutboxMessage]:
    async with runtime.db.transaction(tenant.record.id) as s:
        return list(await s.scalars(select(OutboxMessage).where(OutboxMessage.event == event)))


async def add_pump(runtime: Any, tenant: Any) -> str:
    """Yizhongyi's catalogue line of a hydraulic pump (the price list is loaded by CSV on its console page)."""
    async with runtime.db.transaction(tenant.record.id) as s:
        part = PartPrice(code="PUMP-H2", name="Hydraulic pump", names={"zh": "液压泵"}, supplier="Hydraulics Co",
                         price_minor=120_000, currency=tenant.record.currency, updated_by="staff:test")
        s.add(part)
        await s.flush()
        return str(part.id)


def clocks(detail: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {clock["name"]: clock for clock in detail["clocks"]}


async def test_a_yizhongyi_onsite_job_planned_by_the_cutoff_waits_for_a_backordered_part(
        client, pages, runtime, seed_tenant, staff_token, customer_token, sign_in_customer):
    yizhongyi = await seed_tenant("yizhongyi")
    admin = await staff_token(yizhongyi.record, "admin")

    async def call(method: str, path: str, body: dict[str, Any] | None = None, status: int = 200,
                   headers: dict[str, str] | None = None) -> Any:
        sent = await client.request(method, path, json=body, headers=headers or admin)
        return await ok(sent, status)

    staff_id, technician = await add_staff(runtime, yizhongyi, "technician")  # Wang's own token
    wang = await call("POST", "/api/v1/technicians/", {
        "name": "Wang Wei", "staff_user_id": str(staff_id), "email": "wang@yizhongyi.example", "skills": ["repair"],
        "home_latitude": 31.23, "home_longitude": 121.47, "works_from": "08:00", "works_until": "18:00",
        "weekdays": [0, 1, 2, 3, 4, 5], "daily_capacity": 4}, 201)
    job = await call("POST", "/api/v1/requests/", LIFT, 201)
    url = f"/api/v1/requests/{job['id']}"
    await call("POST", f"{url}/moves", {"to": "diagnosing"})

    # The visit, planned now: before its day's cut-off, 15:00 on the last business day before it.
    day = future_weekday(runtime, yizhongyi, 3)
    visit = await call("POST", "/api/v1/visits/", {"request_id": job["id"], "day": day.isoformat(),
                                                   "window_start": "09:00", "window_end": "11:00", "skill": "repair",
                                                   "address": "人民广场 1 号, 上海"}, 201)
    other = await call("POST", "/api/v1/requests/", {**LIFT, "customer": {"name": "Zhang Wei",
                                                                          "phone": "+86 139 8765 4321"}}, 201)
    forgotten = await call("POST", "/api/v1/visits/", {"request_id": other["id"], "day": day.isoformat(),
                                                       "window_start": "13:00", "window_end": "15:00",
                                                       "skill": "repair", "address": "南京路 8 号, 上海"}, 201)
    planned = await call("POST", f"/api/v1/visits/{visit['id']}/plan", {"technician_id": wang["id"]})
    assert (planned["state"], planned["route_order"]) == ("planned", 1)

    cutoff = plan_cutoff(yizhongyi, day)
    assert cutoff is not None and cutoff.date() < day and (cutoff.hour, cutoff.minute) == (15, 0)
    assert await planning.fix_due_plans(runtime, yizhongyi.record.id, cutoff - timedelta(minutes=1)) == 0
    assert (await call("GET", f"/api/v1/visits/{visit['id']}"))["state"] == "planned"
    assert await planning.fix_due_plans(runtime, yizhongyi.record.id, cutoff) == 2
    assert (await call("GET", f"/api/v1/visits/{visit['id']}"))["state"] == "fixed"
    [to_wang] = await outbox(runtime, yizhongyi, "dispatch.plan_fixed")
    assert (to_wang.channel, to_wang.recipient) == ("email", "wang@yizhongyi.example")
    assert "09:00–11:00" in to_wang.body
    [to_li] = await outbox(runtime, yizhongyi, "dispatch.visit_fixed")
    assert (to_li.channel, to_li.recipient) == ("sms", "+8613912345678")
    assert "我们的技术员将于" in to_li.body and "09:00–11:00" in to_li.body
    # The visit nobody planned by the cut-off is flagged.
    flagged = await call("GET", "/api/v1/visits/?flagged=true")
    assert [v["id"] for v in (flagged["items"] if isinstance(flagged, dict) else flagged)] == [forgotten["id"]]
    assert "visit_unplanned" in [e["kind"] for e in await call("GET", f"/api/v1/requests/{other['id']}/timeline")]

    # In the workshop the pump is found leaking and none is on the shelf: it is back-ordered.
    await call("POST", f"{url}/moves", {"to": "in_repair"})
    pump = await add_pump(runtime, yizhongyi)
    point = await call("POST", "/api/v1/service-points/", {"name": "Shanghai centre", "latitude": 31.2,
                                                           "longitude": 121.4, "country": "CN", "kind": "workshop"},
                       201)
    shelf = await call("POST", "/api/v1/stock/locations/", {"code": "SH-1", "name": "Shanghai shelf",
                                                            "kind": "service_point", "service_point_id": point["id"]},
                       201)
    short = await client.post("/api/v1/stock/reservations/", json={
        "part_id": pump, "quantity": 1, "location_id": shelf["id"], "request_id": job["id"]}, headers=admin)
    assert (short.status_code, short.json()["code"]) == (409, "parts.short")
    expected_on = yizhongyi.today() + timedelta(days=3)
    order = await call("POST", "/api/v1/stock/backorders/", {
        "part_id": pump, "quantity": 1, "request_id": job["id"], "location_id": shelf["id"],
        "expected_on": expected_on.isoformat(), "supplier_reference": "HC-778"}, 201)
    waiting = await call("GET", url)
    assert waiting["state"] == "waiting_for_parts"
    wait, repair = clocks(waiting)["parts_wait"], clocks(waiting)["in_house_repair"]
    assert (wait["state"], wait["paused_for"], wait["met_at"]) == ("on_track", None, None), wait
    assert (repair["paused_for"], repair["due_at"]) == ("waiting_for_parts", None), repair

    # Li Na reads when the part is expected, in Chinese.
    _, li = await customer_token(yizhongyi.record, uuid.UUID(job["customer_id"]))
    [expected] = await call("GET", f"/api/v1/stock/backorders/requests/{job['id']}",
                            headers={**li, "Accept-Language": "zh"})
    assert (expected["expected_on"], expected["arrived"]) == (expected_on.isoformat(), False)
    said = f"{expected_on.year}年{expected_on.month}月{expected_on.day}日"
    assert expected["expected"] == f"预计 {said} 到货"
    await sign_in_customer(pages, yizhongyi.record, uuid.UUID(job["customer_id"]))
    portal = (await pages.get(f"/t/yizhongyi/my/requests/{job['id']}?lang=zh")).text
    assert f"零件预计于 {said} 到货：液压泵" in portal, portal
    [told] = await outbox(runtime, yizhongyi, "parts.backordered")
    assert told.recipient == "+8613912345678" and "液压泵" in told.body

    # The part arrives: reserved for the job, the request moves on, the parts wait is met, the repair runs again.
    received = await call("POST", f"/api/v1/stock/backorders/{order['id']}/receipt")
    moving = await call("GET", url)
    assert moving["state"] == "in_repair"
    wait, repair = clocks(moving)["parts_wait"], clocks(moving)["in_house_repair"]
    assert wait["met_at"] is not None and repair["paused_for"] is None and repair["due_at"] is not None

    # On site: Wang arrives, starts and finishes with the pump used and Li Na's signature.
    sheet = await call("GET", f"/api/v1/technicians/me/day/{day.isoformat()}", headers=technician)
    [stop] = sheet["visits"]
    assert [(p["code"], p["quantity"]) for p in stop["parts_to_bring"]] == [("PUMP-H2", 1)]
    for step in ("arrive", "start"):
        await call("POST", f"/api/v1/visits/{visit['id']}/{step}", {}, headers=technician)
    done = await call("POST", f"/api/v1/visits/{visit['id']}/finish", {
        "signature": PNG, "signed_by": "Li Na", "parts_used": [{"reservation_id": received["reservation_id"]}]},
        headers=technician)
    assert (done["state"], done["signed"], done["signed_by"]) == ("finished", True, "Li Na")
    issued = await call("GET", f"/api/v1/stock/reservations/{received['reservation_id']}")
    assert issued["state"] == "issued"
    await call("POST", f"{url}/moves", {"to": "ready"})
    ready = clocks(await call("GET", url))
    assert ready["in_house_repair"]["met_at"] is not None and ready["in_house_repair"]["state"] == "met"
    assert ready["onsite"]["met_at"] is not None

    # Every step is on the request's timeline (the plan was fixed at the simulated cut-off, a time still to come
    # by the API's real clock, so its entry sorts last).
    timeline = await call("GET", f"{url}/timeline")
    assert [(e["kind"], e["to_state"]) for e in timeline] == [
        ("opened", "received"), ("moved", "diagnosing"), ("visit_taken", None), ("visit_planned", None),
        ("moved", "in_repair"), ("moved", "waiting_for_parts"), ("note", None), ("note", None), ("note", None),
        ("moved", "in_repair"), ("note", None), ("note", None), ("on_site", None), ("visit_started", None),
        ("note", None), ("visit_finished", None), ("moved", "ready"), ("visit_fixed", None)]
    notes = [e["note"] for e in timeline]
    assert notes[6].startswith(f"1 × PUMP-H2 (Hydraulic pump) back-ordered from Hydraulics Co (reference HC-778), "
                               f"expected on {expected_on.isoformat()}")
    assert notes[10] == "1 × PUMP-H2 (Hydraulic pump) arrived from Hydraulics Co and is reserved for this repair"
    assert sorted(notes[7:9] + notes[11:12]) == sorted(["part PUMP-H2 reserved: 1 at SH-1",
                                                        "the customer was told (sms)", "the customer was told (sms)"])
    assert (notes[14], notes[15]) == ("part PUMP-H2 used: 1", "the technician finished the visit; Li Na signed for it")
    assert notes[17].endswith("is fixed with Wang Wei; the customer was told")
