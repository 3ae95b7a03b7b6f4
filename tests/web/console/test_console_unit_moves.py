"""The request page's unit on the move (issue 20 §2): staff take a unit in with Mehr's checklist, photos and the
customer's signature, send it to the central workshop and receive it; a refused intake is shown beside its fields
with nothing stored; the receipt page shows the answers and the signature; the customer's request page says where
the unit is, in Persian; another tenant's staff reach none of it."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from aftersales.db.base import utcnow
from aftersales.identity.customers import CustomerDetails
from aftersales.service.models import ServicePoint, UnitIntake, UnitTransfer
from aftersales.service.requests import services as service
from aftersales.tenancy.current import bind_tenant
from support.pages import post_form
from support.transit import JPEG, PNG, SIGNATURE


async def _repair(runtime, record):
    tenant = bind_tenant(record, runtime.plugins)
    async with runtime.db.transaction(record.id) as session:
        workshop = ServicePoint(name="Central workshop", latitude=35.7, longitude=51.4, country="IR", kind="workshop")
        office = ServicePoint(name="Tajrish office", latitude=35.8, longitude=51.43, country="IR")
        session.add_all([workshop, office])
        opened = await service.open_request(session, tenant, service.NewRequest(
            kind="repair", channel="walk_in", summary="screen flickers",
            customer=CustomerDetails(name="Sara Ahmadi", email="sara@example.com")), actor="test", now=utcnow())
    return opened, workshop.id, office.id


async def _rows(runtime, record, model):
    async with runtime.db.transaction(record.id) as session:
        return list(await session.scalars(select(model)))


INTAKE = {"answer_box": "yes", "answer_charger": "no", "answer_accessories": "cable",
          "answer_visible_damage": "scratch on the back", "signer_name": "Sara Ahmadi", "signature": SIGNATURE}


async def test_staff_take_the_unit_in_send_it_to_the_workshop_and_receive_it(pages, runtime, make_tenant,
                                                                             sign_in_staff, sign_in_customer):
    record = await make_tenant("mehr", locales=["en", "fa"])
    opened, workshop, office = await _repair(runtime, record)
    await sign_in_staff(pages, record, "agent")
    url = f"/t/mehr/console/requests/{opened.id}"
    page = (await pages.get(url)).text
    assert "data-signature-pad" in page and 'name="answer_box"' in page and "Not taken in yet." in page

    missing = await post_form(pages, f"{url}/intake", {**INTAKE, "service_point_id": str(office),
                                                       "answer_charger": ""}, files={"answer_photos": ("f.jpg", JPEG, "image/jpeg")})
    assert missing.status_code == 422 and 'data-error-for="answers.charger">This must be answered.' in missing.text
    assert await _rows(runtime, record, UnitIntake) == []

    taken = await post_form(pages, f"{url}/intake", {**INTAKE, "service_point_id": str(office)},
                            files={"answer_photos": ("front.jpg", JPEG, "image/jpeg")})
    assert taken.status_code == 303, taken.text
    [intake] = await _rows(runtime, record, UnitIntake)
    assert intake.answers["photos"][0]["sha256"] == hashlib.sha256(JPEG).hexdigest()
    assert intake.answers["box"] is True and intake.answers["charger"] is False
    page = (await pages.get(url)).text
    assert 'data-location="taken_in"' in page and 'data-action="transfer"' in page

    receipt = (await pages.get(f"{url}/receipt")).text
    assert "Signed by Sara Ahmadi" in receipt and 'data-answer="visible_damage"' in receipt
    signature = await pages.get(f"{url}/intake/files/{hashlib.sha256(PNG).hexdigest()}")
    assert signature.status_code == 200 and signature.content == PNG

    sent = await post_form(pages, f"{url}/transfers", {"to_point_id": str(workshop), "waybill": "PST-1001",
                                                       "carrier": "Post"})
    assert sent.status_code == 303
    [leg] = await _rows(runtime, record, UnitTransfer)
    page = (await pages.get(url)).text
    assert 'data-location="in_transit"' in page and "PST-1001" in page and 'data-action="receive"' in page
    assert (await post_form(pages, f"{url}/transfers/{leg.id}/receive")).status_code == 303
    assert 'data-location="at_point"' in (await pages.get(url)).text

    await sign_in_customer(pages, record, opened.customer_id)
    mine = (await pages.get(f"/t/mehr/my/requests/{opened.id}")).text
    assert "Your device: at the central workshop, Central workshop, since" in mine
    persian = (await pages.get(f"/t/mehr/my/requests/{opened.id}?lang=fa")).text
    line = persian[persian.index("data-unit-location"):].split("</p>")[0]
    assert "دستگاه شما: از" in line and "در تعمیرگاه مرکزی" in line and "۱۴۰۵" in line  # the Jalali year


async def test_a_bad_waybill_is_refused_beside_its_field(pages, runtime, make_tenant, sign_in_staff):
    record = await make_tenant("mehr", locales=["en", "fa"])
    opened, workshop, office = await _repair(runtime, record)
    await sign_in_staff(pages, record, "agent")
    url = f"/t/mehr/console/requests/{opened.id}"
    await post_form(pages, f"{url}/intake", {**INTAKE, "service_point_id": str(office)},
                    files={"answer_photos": ("front.jpg", JPEG, "image/jpeg")})
    refused = await post_form(pages, f"{url}/transfers", {"to_point_id": str(workshop), "waybill": "",
                                                          "carrier": "Post"})
    assert refused.status_code == 422 and 'data-error-for="waybill">Fill this in.' in refused.text
    assert await _rows(runtime, record, UnitTransfer) == []
    again = await post_form(pages, f"{url}/intake?lang=fa", {**INTAKE, "service_point_id": str(office)})
    assert again.status_code == 409 and "دستگاه این درخواست پیش‌تر تحویل گرفته شده است." in again.text


async def test_another_tenants_staff_reach_no_unit_page(pages, runtime, make_tenant, sign_in_staff):
    record = await make_tenant("mehr")
    opened, workshop, office = await _repair(runtime, record)
    await sign_in_staff(pages, record, "agent")
    own = f"/t/mehr/console/requests/{opened.id}"
    await post_form(pages, f"{own}/intake", {**INTAKE, "service_point_id": str(office)},
                    files={"answer_photos": ("front.jpg", JPEG, "image/jpeg")})
    await post_form(pages, f"{own}/transfers", {"to_point_id": str(workshop), "waybill": "W1", "carrier": "Post"})
    [leg] = await _rows(runtime, record, UnitTransfer)
    rival = await make_tenant("rival")
    await sign_in_staff(pages, rival, "admin")
    url = f"/t/rival/console/requests/{opened.id}"
    assert (await pages.get(url)).status_code == 404
    assert (await pages.get(f"{url}/receipt")).status_code == 404
    assert (await pages.get(f"{url}/intake/files/{hashlib.sha256(PNG).hexdigest()}")).status_code == 404
    for path, form in ((f"{url}/intake", {**INTAKE, "service_point_id": str(office)}),
                       (f"{url}/transfers", {"to_point_id": str(office), "waybill": "W2", "carrier": "Post"}),
                       (f"{url}/transfers/{leg.id}/receive", {})):
        assert (await post_form(pages, path, form)).status_code == 404
    assert [t.received_at for t in await _rows(runtime, record, UnitTransfer)] == [None]
