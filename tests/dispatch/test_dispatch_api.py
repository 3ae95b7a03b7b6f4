"""The dispatch endpoints as a client calls them: a dispatcher adds a technician and their authorisation, takes a
visit, reads the suggestion, plans and fixes the day; the technician reads their day sheet (route, customer,
address, parts to bring) and records arrival, start and finish with the parts used and the customer's signature,
each step on the request's timeline. Hostile input is a 422 naming the field and writes nothing; another
tenant's token (and another technician's) finds nothing (404)."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from aftersales.dispatch.models import Technician, Visit
from aftersales.parts.models import StockLocation, StockMovement, StockReservation
from aftersales.parts.reservations import reserve
from aftersales.service.models import RequestEvent
from aftersales.service.quotes.models import PartPrice
from support.dispatch import (
    PNG,
    TEHRAN_CENTRE,
    add_request,
    add_staff,
    add_technician,
    add_visit,
    bound,
    future_weekday,
    north_of,
    technician_token,
)
from support.stock import add_parts

TECHNICIANS, VISITS = "/api/v1/technicians", "/api/v1/visits"


def technician_body(staff_user_id, **over):
    return {"name": "Reza Ahmadi", "staff_user_id": str(staff_user_id), "skills": ["repair", "installation"],
            "home_latitude": TEHRAN_CENTRE[0], "home_longitude": TEHRAN_CENTRE[1], "works_from": "08:00",
            "works_until": "18:00", "weekdays": [0, 1, 2, 3, 4, 5, 6], "daily_capacity": 5, **over}


async def stocked_part(runtime, tenant, request_id, technician_id):
    """A drum belt received at the technician's van and reserved for the request: the reservation's id."""
    async with runtime.db.transaction(tenant.record.id) as s:
        known = {p.code: p.id for p in await s.scalars(select(PartPrice))}
    parts = known or await add_parts(runtime, tenant.record, currency="IRR")
    async with runtime.db.transaction(tenant.record.id) as s:
        van = StockLocation(code=f"VAN-{uuid.uuid4().hex[:6]}", name="Reza's van", kind="van",
                            technician_id=uuid.UUID(str(technician_id)))
        s.add(van)
        await s.flush()
        s.add(StockMovement(part_id=parts["BELT-1"], location_id=van.id, on_hand_delta=2, reserved_delta=0,
                            kind="receipt", condition="new", reason="", actor="test"))
        await s.flush()
        held = await reserve(s, tenant, part_id=parts["BELT-1"], quantity=2, location_id=van.id,
                             request_id=request_id, actor="staff:test")
        return held.id


async def test_a_visit_from_technician_to_signature(client, runtime, seed_tenant):
    entekhab = await seed_tenant("entekhab")
    _, dispatcher = await add_staff(runtime, entekhab, "agent")
    reza_user, reza = await add_staff(runtime, entekhab, "technician")
    created = await client.post(TECHNICIANS, headers=dispatcher, json=technician_body(reza_user))
    assert created.status_code == 201, created.text
    technician = created.json()
    changed = await client.put(f"{TECHNICIANS}/{technician['id']}", headers=dispatcher,
                               json=technician_body(reza_user, daily_capacity=6))
    assert changed.json()["daily_capacity"] == 6
    day = future_weekday(runtime, entekhab, 0)
    authorised = await client.post(f"{TECHNICIANS}/{technician['id']}/authorisations", headers=dispatcher,
                                   json={"category": "refrigerator", "reference": "ENT-AUTH-77", "until": str(day)})
    assert authorised.status_code == 201, authorised.text
    assert [a["reference"] for a in (await client.get(TECHNICIANS, headers=dispatcher)).json()[0]["authorisations"]
            ] == ["ENT-AUTH-77"]

    request_id = await add_request(runtime, entekhab, site=north_of(TEHRAN_CENTRE, 3))
    taken = await client.post(VISITS, headers=dispatcher, json={
        "request_id": str(request_id), "day": str(day), "window_start": "09:00", "window_end": "12:00",
        "skill": "repair", "address": "Valiasr St. 12, Tehran"})
    assert taken.status_code == 201, taken.text
    visit = taken.json()
    assert (visit["state"], visit["site_latitude"]) == ("unplanned", north_of(TEHRAN_CENTRE, 3)[0])
    suggested = (await client.get(f"{VISITS}/{visit['id']}/suggestions", headers=dispatcher)).json()
    assert [(s["name"], round(s["distance_km"])) for s in suggested["suggestions"]] == [("Reza Ahmadi", 3)]
    planned = await client.post(f"{VISITS}/{visit['id']}/plan", headers=dispatcher,
                                json={"technician_id": technician["id"]})
    assert (planned.status_code, planned.json()["route_order"]) == (200, 1), planned.text
    fixed = await client.post(f"/api/v1/dispatch/plan/{day}/fix", headers=dispatcher)
    assert fixed.json()["fixed"] == [visit["id"]]

    reservation = await stocked_part(runtime, entekhab, request_id, technician["id"])
    sheet = await client.get(f"{TECHNICIANS}/me/day/{day}", headers=reza)
    assert sheet.status_code == 200, sheet.text
    [line] = sheet.json()["visits"]
    assert (line["visit"]["route_order"], line["visit"]["address"], line["customer"]["name"]) == (
        1, "Valiasr St. 12, Tehran", "Test Customer")
    assert [(p["code"], p["quantity"]) for p in line["parts_to_bring"]] == [("BELT-1", 2)]
    assert (await client.get(f"{TECHNICIANS}/{technician['id']}/day/{day}", headers=dispatcher)).json() == sheet.json()

    early = await client.post(f"{VISITS}/{visit['id']}/start", headers=reza)
    assert (early.status_code, early.json()["code"]) == (409, "dispatch.visit_out_of_order")
    assert (await client.post(f"{VISITS}/{visit['id']}/arrive", headers=reza)).json()["state"] == "arrived"
    assert (await client.post(f"{VISITS}/{visit['id']}/start", headers=reza)).json()["state"] == "started"
    finished = await client.post(f"{VISITS}/{visit['id']}/finish", headers=reza, json={
        "signature": PNG, "signed_by": "Test Customer",
        "parts_used": [{"reservation_id": str(reservation), "quantity": 1}]})
    assert finished.status_code == 200, finished.text
    assert (finished.json()["state"], finished.json()["signed"], finished.json()["signed_by"]) == (
        "finished", True, "Test Customer")
    async with runtime.db.transaction(entekhab.record.id) as s:
        held = await s.scalar(select(StockReservation).where(StockReservation.id == reservation))
        kinds = list(await s.scalars(select(RequestEvent.kind).where(RequestEvent.request_id == request_id)
                                     .order_by(RequestEvent.occurred_at, RequestEvent.id)))
    assert (held.state, held.quantity) == ("issued", 1)
    assert [k for k in kinds if k.startswith("visit_") or k == "on_site"] == [
        "visit_taken", "visit_planned", "visit_fixed", "on_site", "visit_started", "visit_finished"]


async def test_hostile_input_is_refused_naming_the_field_and_writes_nothing(client, runtime, seed_tenant):
    entekhab = await seed_tenant("entekhab")
    _, dispatcher = await add_staff(runtime, entekhab, "agent")
    staff_id, technician = await add_staff(runtime, entekhab, "technician")

    async def refused(response, *fields):
        assert response.status_code == 422, response.text
        assert {e["field"] for e in response.json()["errors"]} >= set(fields), response.text

    await refused(await client.post(TECHNICIANS, headers=dispatcher, json=technician_body(
        staff_id, home_latitude=91, home_longitude=-181, daily_capacity=10**12, weekdays=[7], works_from="19:00")),
        "home_latitude", "home_longitude", "daily_capacity", "weekdays", "works_until")
    await refused(await client.post(TECHNICIANS, headers=dispatcher, json=technician_body(staff_id, name="Re\u0000za")),
                  "name")
    await refused(await client.post(TECHNICIANS, headers=dispatcher, json=technician_body(uuid.uuid4())),
                  "staff_user_id")
    request_id = await add_request(runtime, entekhab)
    visit = {"request_id": str(request_id), "day": "9999-12-31", "window_start": "09:00", "window_end": "12:00",
             "skill": "repair", "address": "Valiasr St. 12"}
    await refused(await client.post(VISITS, headers=dispatcher, json=visit), "day")
    await refused(await client.post(VISITS, headers=dispatcher, json={
        **visit, "day": str(future_weekday(runtime, entekhab, 0)), "site_latitude": 91, "site_longitude": 10,
        "window_start": "12:00", "request_id": str(uuid.uuid4())}), "site_latitude", "window_end", "request_id")
    await refused(await client.get(f"{TECHNICIANS}/me/day/9999-12-31", headers=technician), "day")
    await refused(await client.post("/api/v1/dispatch/plan/0001-01-01/fix", headers=dispatcher), "day")
    async with runtime.db.transaction(entekhab.record.id) as s:
        assert await s.scalar(select(func.count()).select_from(Technician)) == 0
        assert await s.scalar(select(func.count()).select_from(Visit)) == 0


async def test_a_bad_signature_or_someone_elses_reservation_finishes_nothing(client, runtime, seed_tenant):
    entekhab = await seed_tenant("entekhab")
    technician = await add_technician(runtime, entekhab, "Reza")
    reza = await technician_token(runtime, entekhab, technician)
    day = future_weekday(runtime, entekhab, 1)
    visit_id = await add_visit(runtime, entekhab, day)
    _, dispatcher = await add_staff(runtime, entekhab, "agent")
    await client.post(f"{VISITS}/{visit_id}/plan", headers=dispatcher, json={"technician_id": str(technician)})
    for step in ("arrive", "start"):
        assert (await client.post(f"{VISITS}/{visit_id}/{step}", headers=reza)).status_code == 200
    other_job = await stocked_part(runtime, entekhab, await add_request(runtime, entekhab), technician)
    bad = await client.post(f"{VISITS}/{visit_id}/finish", headers=reza, json={
        "signature": "data:image/jpeg;base64,AAAA", "signed_by": "",
        "parts_used": [{"reservation_id": str(other_job)}]})
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"signature", "signed_by", "parts_used.0"}
    assert (await client.get(f"{VISITS}/{visit_id}", headers=reza)).json()["state"] == "started"


async def test_another_tenant_or_technician_finds_nothing(client, runtime, seed_tenant, make_tenant):
    entekhab = await seed_tenant("entekhab")
    other = bound(runtime, await make_tenant("other"))
    _, theirs = await add_staff(runtime, other, "admin")
    stranger = await add_technician(runtime, other, "Stranger")
    stranger_token = await technician_token(runtime, other, stranger)
    technician = await add_technician(runtime, entekhab, "Reza")
    colleague = await technician_token(runtime, entekhab, await add_technician(runtime, entekhab, "Colleague"))
    day = future_weekday(runtime, entekhab, 2)
    visit_id = await add_visit(runtime, entekhab, day)
    _, dispatcher = await add_staff(runtime, entekhab, "agent")
    await client.post(f"{VISITS}/{visit_id}/plan", headers=dispatcher, json={"technician_id": str(technician)})
    staff_id, _ = await add_staff(runtime, entekhab, "technician")
    body = technician_body(staff_id)
    calls = [
        ("GET", f"{TECHNICIANS}/{technician}", None), ("PUT", f"{TECHNICIANS}/{technician}", body),
        ("POST", f"{TECHNICIANS}/{technician}/authorisations",
         {"category": "refrigerator", "reference": "X", "until": str(day)}),
        ("GET", f"{TECHNICIANS}/{technician}/day/{day}", None), ("GET", f"{VISITS}/{visit_id}", None),
        ("GET", f"{VISITS}/{visit_id}/suggestions", None), ("POST", f"{VISITS}/{visit_id}/unplan", None),
        ("POST", f"{VISITS}/{visit_id}/cancel", None),
        ("POST", f"{VISITS}/{visit_id}/plan", {"technician_id": str(technician)}),
        ("POST", f"{VISITS}/{visit_id}/arrive", None), ("POST", f"{VISITS}/{visit_id}/start", None),
        ("POST", f"{VISITS}/{visit_id}/finish", {"signature": PNG, "signed_by": "X"}),
    ]
    for method, path, json in calls:
        answer = await client.request(method, path, headers=theirs, json=json)
        assert answer.status_code == 404, (method, path, answer.status_code, answer.text)
    for step in ("arrive", "start", "finish"):
        json = {"signature": PNG, "signed_by": "X"} if step == "finish" else None
        for intruder in (stranger_token, colleague):
            answer = await client.post(f"{VISITS}/{visit_id}/{step}", headers=intruder, json=json)
            assert answer.status_code == 404, (step, answer.text)
    assert (await client.get(f"{VISITS}/{visit_id}", headers=colleague)).status_code == 404
    assert (await client.get(VISITS, headers=theirs)).json() == []
    assert (await client.get(TECHNICIANS, headers=theirs)).json()[0]["name"] == "Stranger"
    fixed = await client.post(f"/api/v1/dispatch/plan/{day}/fix", headers=theirs)
    assert fixed.json()["fixed"] == []
    async with runtime.db.transaction(entekhab.record.id) as s:
        visit = await s.scalar(select(Visit).where(Visit.id == visit_id))
    assert (visit.state, visit.technician_id) == ("planned", technician)
