"""Issue 20's first acceptance journey on Mehr's own manifest (``tenants/mehr.toml``, seed 000), through the HTTP
API as staff work: a phone taken in at a service office with the electronics checklist (box, charger,
accessories, visible damage, photos) signed by the customer, sent to the central workshop and received there, a
part reserved from stock — or, when the shelf is empty, a used one taken from a donor unit with the customer's
warranty on it noted — issued in the repair, the phone sent back to the office and received, the customer told in
Persian, and the phone returned. Every step is asserted on the request's timeline, the unit's place at each leg
on the customer's own portal page (Persian, Jalali dates), and the receipt with the checklist and the signature."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import jdatetime
from sqlalchemy import select

from aftersales.outbox.models import OutboxMessage
from aftersales.service.quotes.models import PartPrice
from support.service import TEHRAN
from support.transit import MEHR_ANSWERS, SIGNATURE, points

REQUESTS = "/api/v1/requests"
STOCK = "/api/v1/stock"
PHONE = {"kind": "repair", "channel": "walk_in", "summary": "صفحه نمایش چشمک می‌زند",
         "customer": {"name": "Sara Ahmadi", "phone": "+98 912 345 6789"}}


async def add_screen(runtime: Any, tenant: Any) -> uuid.UUID:
    """Mehr's catalogue line of a phone screen (the price list is loaded by CSV on its console page)."""
    async with runtime.db.transaction(tenant.record.id) as s:
        part = PartPrice(code="LCD-A52", name="Galaxy A52 screen", names={"fa": "صفحه نمایش گلکسی A52"},
                         compatible_models=["SM-A525"], supplier="Samsung Parts", price_minor=30_000_000,
                         currency="IRR", updated_by="staff:test")
        s.add(part)
        await s.flush()
        return part.id


async def outbox(runtime: Any, tenant: Any, event: str) -> list[OutboxMessage]:
    async with runtime.db.transaction(tenant.record.id) as s:
        return list(await s.scalars(select(OutboxMessage).where(OutboxMessage.event == event)))


async def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


class Desk:
    """Mehr's staff at their desks: every step an HTTP call with an admin's token."""

    def __init__(self, client: Any, headers: dict[str, str], request_id: str) -> None:
        self.client, self.headers, self.url = client, headers, f"{REQUESTS}/{request_id}"

    async def post(self, path: str, body: dict[str, Any] | None = None, status: int = 200) -> Any:
        return await ok(await self.client.post(path, json=body or {}, headers=self.headers), status)

    async def get(self, path: str) -> Any:
        return await ok(await self.client.get(path, headers=self.headers))

    async def move(self, state: str) -> None:
        await self.post(f"{self.url}/moves", {"to": state})

    async def kinds(self) -> list[str]:
        timeline = await self.get(f"{self.url}/timeline")
        return [event["kind"] for event in (timeline["items"] if isinstance(timeline, dict) else timeline)]

    async def send(self, to_point: str, waybill: str) -> str:
        leg = await self.post(f"{self.url}/transfers", {"to_point_id": to_point, "waybill": waybill,
                                                        "carrier": "Post"}, 201)
        return leg["id"]

    async def receive(self, leg: str) -> None:
        await self.post(f"{self.url}/transfers/{leg}/receive")

    async def location(self) -> dict[str, Any]:
        return await self.get(f"{self.url}/location")


async def take_in(client, seed_tenant, staff_token):
    """Mehr with its central workshop and an office, and Sara's phone taken in at the office with the checklist."""
    mehr = await seed_tenant("mehr")
    admin = await staff_token(mehr.record, "admin")
    workshop, office = await points(client, admin)
    opened = await ok(await client.post(f"{REQUESTS}/", json=PHONE, headers=admin), 201)
    desk = Desk(client, admin, opened["id"])
    checklist = await desk.get(f"{desk.url}/intake/checklist")
    assert [item["code"] for item in checklist["items"]] == ["box", "charger", "accessories", "visible_damage",
                                                              "photos"]
    await desk.post(f"{desk.url}/intake", {"service_point_id": office, "answers": MEHR_ANSWERS,
                                           "signer_name": "Sara Ahmadi", "signature": SIGNATURE}, 201)
    return mehr, admin, workshop, office, opened, desk


async def back_to_the_office(desk: Desk, office: str) -> None:
    leg = await desk.send(office, "PST-2002")
    assert (await desk.location())["state"] == "in_transit"
    await desk.receive(leg)
    assert ((await desk.location())["state"], (await desk.location())["point_id"]) == ("at_point", office)


async def a_stock_location(desk: Desk, workshop: str) -> str:
    """The central workshop's shelf, a stock location of kind service point."""
    location = await desk.post(f"{STOCK}/locations/", {"code": "WS-1", "name": "Central workshop shelf",
                                                       "kind": "service_point", "service_point_id": workshop}, 201)
    return location["id"]


async def told_back_at_the_office(runtime: Any, mehr: Any) -> OutboxMessage:
    [told] = await outbox(runtime, mehr, "unit.back_at_office")
    assert told.recipient == "+989123456789", told.recipient
    assert any("\u0600" <= ch <= "\u06ff" for ch in told.body), told.body  # written in Persian
    return told


def jalali_year_today() -> str:
    """This year in the Jalali calendar in Persian digits (the pages date the unit's place in it)."""
    year = str(jdatetime.date.fromgregorian(date=datetime.now(TEHRAN).date()).year)
    return year.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


class Portal:
    """Sara's own request page on Mehr's portal, in Persian."""

    def __init__(self, pages: Any, request_id: str) -> None:
        self.pages, self.url = pages, f"/t/mehr/my/requests/{request_id}?lang=fa"

    async def unit_line(self) -> str:
        page = await self.pages.get(self.url)
        assert page.status_code == 200, page.text
        return page.text[page.text.index("data-unit-location"):].split("</p>")[0]


PERSIAN_PLACES = ["تحویل گرفته شد", "در راه", "در تعمیرگاه مرکزی"]


def the_repairs_steps(timeline: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    return [(e["kind"], e["to_state"]) for e in timeline]


async def test_a_mehr_phone_repaired_with_a_part_from_stock(client, pages, runtime, seed_tenant, staff_token,
                                                             sign_in_customer):
    mehr, _, workshop, office, opened, desk = await take_in(client, seed_tenant, staff_token)
    await sign_in_customer(pages, mehr.record, uuid.UUID(opened["customer_id"]))
    portal = Portal(pages, opened["id"])
    at_office = await portal.unit_line()
    leg = await desk.send(workshop, "PST-1001")
    on_the_way = await portal.unit_line()
    await desk.receive(leg)
    at_workshop = await portal.unit_line()
    for line, place in zip((at_office, on_the_way, at_workshop), PERSIAN_PLACES, strict=True):
        assert "دستگاه شما:" in line and place in line and jalali_year_today() in line, line

    screen = await add_screen(runtime, mehr)
    shelf = await a_stock_location(desk, workshop)
    await desk.post(f"{STOCK}/receipts", {"part_id": str(screen), "location_id": shelf, "quantity": 2}, 201)
    await desk.move("diagnosing")
    held = await desk.post(f"{STOCK}/reservations/", {"part_id": str(screen), "quantity": 1, "location_id": shelf,
                                                       "request_id": opened["id"]}, 201)
    assert (held["condition"], held["state"]) == ("new", "open")
    await desk.move("in_repair")
    assert (await desk.post(f"{STOCK}/reservations/{held['id']}/issue"))["state"] == "issued"
    await desk.move("ready")
    await back_to_the_office(desk, office)
    back = await portal.unit_line()
    assert "Tajrish office" in back and "در تعمیرگاه مرکزی" not in back, back
    told = await told_back_at_the_office(runtime, mehr)
    await desk.move("returned")
    assert (await desk.location())["state"] == "with_customer"

    timeline = await desk.get(f"{desk.url}/timeline")
    assert the_repairs_steps(timeline) == [
        ("opened", "received"), ("taken_in", None), ("transfer_sent", None), ("transfer_received", None),
        ("moved", "diagnosing"), ("note", None), ("moved", "in_repair"), ("note", None), ("moved", "ready"),
        ("transfer_sent", None), ("transfer_received", None), ("note", None), ("moved", "returned")]
    notes = [e["note"] for e in timeline]
    assert notes[1] == "unit taken in at Tajrish office; the receipt was signed by Sara Ahmadi"
    assert "to Central workshop by Post, waybill PST-1001" in notes[2]
    assert (notes[5], notes[7]) == ("part LCD-A52 reserved: 1 at WS-1", "part LCD-A52 used: 1")
    assert "to Tajrish office by Post, waybill PST-2002" in notes[9]
    assert notes[11] == "the customer was told the device is back at Tajrish office (sms)", told.body

    receipt = await desk.get(f"{desk.url}/receipt")
    intake = receipt["intake"]
    assert intake["signed"] is True and intake["signer_name"] == "Sara Ahmadi", intake
    assert {item["code"]: (item["answer"], item["photos"]) for item in intake["items"]} == {
        "box": (True, 0), "charger": (False, 0), "accessories": ("cable", 0),
        "visible_damage": ("scratch on the back", 0), "photos": (None, 1)}


async def test_a_mehr_phone_repaired_with_a_used_part_from_a_donor_when_the_shelf_is_empty(
        client, runtime, seed_tenant, staff_token):
    mehr, _, workshop, office, opened, desk = await take_in(client, seed_tenant, staff_token)
    await desk.receive(await desk.send(workshop, "PST-1001"))
    screen = await add_screen(runtime, mehr)
    shelf = await a_stock_location(desk, workshop)
    await desk.move("diagnosing")

    short = await client.post(f"{STOCK}/reservations/", json={"part_id": str(screen), "quantity": 1,
                                                             "location_id": shelf, "request_id": opened["id"]},
                              headers=desk.headers)
    assert (short.status_code, short.json()["code"]) == (409, "parts.short"), short.text
    donor = await desk.post(f"{STOCK}/donors/", {"source": "scrapped", "location_id": shelf,
                                                 "serial": "356938035643809", "note": "dropped in water"}, 201)
    await desk.post(f"{STOCK}/donors/{donor['id']}/harvests", {"lines": [{"part_id": str(screen), "quantity": 1}]},
                    201)
    used = await desk.post(f"{STOCK}/donors/used-parts", {"request_id": opened["id"], "part_id": str(screen),
                                                          "quantity": 1, "location_id": shelf}, 201)
    assert (used["condition"], used["quantity"], used["warranty_days"]) == ("used", 1, 90), used
    await desk.move("in_repair")
    issued = await desk.post(f"{STOCK}/reservations/{used['reservation_id']}/issue")
    assert (issued["state"], issued["condition"]) == ("issued", "used")
    await desk.move("ready")
    await back_to_the_office(desk, office)
    await told_back_at_the_office(runtime, mehr)
    await desk.move("returned")

    timeline = await desk.get(f"{desk.url}/timeline")
    assert the_repairs_steps(timeline) == [
        ("opened", "received"), ("taken_in", None), ("transfer_sent", None), ("transfer_received", None),
        ("moved", "diagnosing"), ("note", None), ("note", None), ("moved", "in_repair"), ("note", None),
        ("moved", "ready"), ("transfer_sent", None), ("transfer_received", None), ("note", None),
        ("moved", "returned")]
    assert timeline[5]["note"] == "part LCD-A52 reserved: 1 at WS-1"
    taken = timeline[6]["note"]  # the customer's warranty on the used part (electronics: 90 days)
    assert "taken used, from a donor unit; the customer's warranty on it runs until " + used["warranty_until"] in taken
    assert timeline[8]["note"] == "part LCD-A52 used: 1"
    assert timeline[12]["note"] == "the customer was told the device is back at Tajrish office (sms)"
    movements = await desk.get(f"{STOCK}/movements?location_id={shelf}")
    assert {(m["kind"], m["condition"], m["donor_unit_id"]) for m in movements["items"]} >= {(
        "receipt", "used", donor["id"])}
