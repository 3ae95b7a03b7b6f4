"""The Mehr journey's intake and legs on the pages staff and the customer use (``tenants/mehr.toml``, seed 000,
Persian): the agent takes the phone in on the console request page with the checklist, a photo and the drawn
signature, prints the receipt (checklist and signature), sends it to the central workshop and receives it there,
back to the office; after each step Sara's portal request page says where her phone is, in Persian with the
Jalali year, and its timeline shows the step."""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime

import jdatetime
from sqlalchemy import select

from aftersales.service.models import UnitTransfer
from aftersales.service.quotes.models import PartPrice
from support.pages import post_form
from support.service import TEHRAN
from support.transit import JPEG, PNG, SIGNATURE, points

INTAKE = {"answer_box": "yes", "answer_charger": "no", "answer_accessories": "cable",
          "answer_visible_damage": "scratch on the back", "signer_name": "Sara Ahmadi", "signature": SIGNATURE}
PHONE = {"kind": "repair", "channel": "walk_in", "summary": "screen flickers",
         "customer": {"name": "Sara Ahmadi", "phone": "+98 912 345 6789"}}


async def a_shelf_with_a_screen(client, runtime, mehr, admin, workshop) -> tuple[uuid.UUID, str]:
    """The workshop's shelf with two screens on it (catalogue line written directly; stock through the API)."""
    async with runtime.db.transaction(mehr.record.id) as s:
        part = PartPrice(code="LCD-A52", name="Galaxy A52 screen", names={"fa": "صفحه نمایش گلکسی A52"},
                         price_minor=30_000_000, currency="IRR", updated_by="staff:test")
        s.add(part)
        await s.flush()
    shelf = (await client.post("/api/v1/stock/locations/", json={
        "code": "WS-1", "name": "Central workshop shelf", "kind": "service_point", "service_point_id": workshop},
        headers=admin)).json()["id"]
    received = await client.post("/api/v1/stock/receipts", json={"part_id": str(part.id), "location_id": shelf,
                                                                 "quantity": 2}, headers=admin)
    assert received.status_code == 201, received.text
    return part.id, shelf


def jalali_year_today() -> str:
    return str(jdatetime.date.fromgregorian(date=datetime.now(TEHRAN).date()).year).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


async def test_the_phone_taken_in_and_moved_on_the_console_and_followed_on_the_portal_in_persian(
        client, pages, runtime, seed_tenant, staff_token, sign_in_staff, sign_in_customer):
    mehr = await seed_tenant("mehr")
    admin = await staff_token(mehr.record, "admin")
    workshop, office = await points(client, admin)
    opened = (await client.post("/api/v1/requests/", json=PHONE, headers=admin)).json()
    customer = uuid.UUID(opened["customer_id"])
    console = f"/t/mehr/console/requests/{opened['id']}"
    portal = f"/t/mehr/my/requests/{opened['id']}?lang=fa"

    async def as_sara() -> str:
        await sign_in_customer(pages, mehr.record, customer)
        page = await pages.get(portal)
        assert page.status_code == 200, page.text
        return page.text

    async def as_agent() -> None:
        await sign_in_staff(pages, mehr.record, "agent")

    await as_agent()
    taken = await post_form(pages, f"{console}/intake", {**INTAKE, "service_point_id": office},
                            files={"answer_photos": ("front.jpg", JPEG, "image/jpeg")})
    assert taken.status_code == 303, taken.text
    receipt = (await pages.get(f"{console}/receipt")).text
    assert 'data-answer="visible_damage"' in receipt and "scratch on the back" in receipt
    assert "Sara Ahmadi" in receipt and "data-signature" in receipt
    signature = await pages.get(f"{console}/intake/files/{hashlib.sha256(PNG).hexdigest()}")
    assert signature.status_code == 200 and signature.content == PNG

    places = []
    places.append(await as_sara())
    await as_agent()
    assert (await post_form(pages, f"{console}/transfers", {"to_point_id": workshop, "waybill": "PST-1001",
                                                            "carrier": "Post"})).status_code == 303
    places.append(await as_sara())
    async with runtime.db.transaction(mehr.record.id) as s:
        [leg] = await s.scalars(select(UnitTransfer))
    await as_agent()
    assert (await post_form(pages, f"{console}/transfers/{leg.id}/receive")).status_code == 303
    assert 'data-location="at_point"' in (await pages.get(console)).text
    places.append(await as_sara())
    for page, place in zip(places, ["تحویل گرفته شد", "در راه", "در تعمیرگاه مرکزی"], strict=True):
        line = page[page.index("data-unit-location"):].split("</p>")[0]
        assert "دستگاه شما:" in line and place in line and jalali_year_today() in line, line

    # At the workshop: a screen reserved from the shelf and used, on the stock pages; the request moved on.
    screen, shelf = await a_shelf_with_a_screen(client, runtime, mehr, admin, workshop)
    await sign_in_staff(pages, mehr.record, "technician")  # the workshop's technician changes stock (stock:write)
    for state in ("diagnosing", "in_repair"):
        assert (await post_form(pages, f"{console}/move", {"to": state, "note": ""})).status_code == 303
    reserved = await post_form(pages, "/t/mehr/console/stock/reservations", {
        "request_number": str(opened["number"]), "part_id": str(screen), "location_id": shelf, "condition": "",
        "quantity": "1"})
    assert reserved.status_code == 303, reserved.text
    [held] = (await client.get(f"/api/v1/stock/reservations/?request_id={opened['id']}", headers=admin)).json()
    assert held["state"] == "open"
    issued = await post_form(pages, f"/t/mehr/console/stock/reservations/{held['id']}/issue")
    assert issued.status_code == 303, issued.text
    assert (await post_form(pages, f"{console}/move", {"to": "ready", "note": ""})).status_code == 303

    # Back to the office on the console; Sara's page says it is there.
    await as_agent()
    assert (await post_form(pages, f"{console}/transfers", {"to_point_id": office, "waybill": "PST-2002",
                                                            "carrier": "Post"})).status_code == 303
    async with runtime.db.transaction(mehr.record.id) as s:
        back = await s.scalar(select(UnitTransfer).where(UnitTransfer.waybill == "PST-2002"))
    assert (await post_form(pages, f"{console}/transfers/{back.id}/receive")).status_code == 303
    at_office = await as_sara()
    line = at_office[at_office.index("data-unit-location"):].split("</p>")[0]
    assert "Tajrish office" in line and "در تعمیرگاه مرکزی" not in line, line
    kinds = [e["kind"] for e in (await client.get(f"/api/v1/requests/{opened['id']}/timeline",
                                                  headers=admin)).json()]
    assert kinds == ["opened", "taken_in", "transfer_sent", "transfer_received", "moved", "moved", "note", "note",
                     "moved", "transfer_sent", "transfer_received", "note"]

    timeline = places[-1][places[-1].index("روند رسیدگی"):]  # "how it goes": the customer's timeline
    steps = ["درخواست دریافت شد", "دستگاه شما را تحویل گرفتیم", "دستگاه شما در راه است", "دستگاه شما رسید"]
    assert [timeline.index(step) for step in steps] == sorted(timeline.index(step) for step in steps)
