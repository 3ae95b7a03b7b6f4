"""Taking a unit in (issue 20 §2): Mehr's checklist answered, photos kept by SHA-256, the receipt signed by the
customer; unknown items, missing required ones, bad images, unknown points and a second intake refused, writing
nothing; another tenant reaches none of it."""

from __future__ import annotations

import asyncio
import hashlib

import pytest
from sqlalchemy import select, text

from aftersales.db.base import utcnow
from aftersales.db.session import Database
from aftersales.errors import Conflict
from aftersales.identity.customers import CustomerDetails
from aftersales.service.intake.services import IntakeAsked, take_in
from aftersales.service.models import RequestEvent, ServicePoint, UnitIntake
from aftersales.service.requests.services import NewRequest
from aftersales.service.requests.services import open_request as open_service_request
from aftersales.tenancy.current import bind_tenant
from support.transit import (
    JPEG,
    MEHR_ANSWERS,
    PHOTO,
    PNG,
    SIGNATURE,
    data_url,
    intake_body,
    open_request,
    points,
    taken_in,
)


async def test_a_mehr_unit_is_taken_in_with_its_checklist_and_the_customers_signature(client, make_tenant, staff_token):
    tenant = await make_tenant("mehr")
    admin = await staff_token(tenant, "admin")
    _, office = await points(client, admin)
    request = await open_request(client, admin)
    checklist = (await client.get(f"/api/v1/requests/{request['id']}/intake/checklist", headers=admin)).json()
    assert [i["code"] for i in checklist["items"]] == ["box", "charger", "accessories", "visible_damage", "photos"]
    assert checklist["transfer_expected_business_days"] == 3
    taken = await client.post(f"/api/v1/requests/{request['id']}/intake", json=intake_body(office), headers=admin)
    assert taken.status_code == 201, taken.text
    body = taken.json()
    answers = {i["code"]: i for i in body["items"]}
    assert answers["box"]["answer"] is True and answers["charger"]["answer"] is False
    assert answers["photos"]["photos"] == [{"sha256": hashlib.sha256(JPEG).hexdigest(), "content_type": "image/jpeg",
                                            "size": len(JPEG)}]
    assert body["signer_name"] == "Sara Ahmadi" and body["signature_sha256"] == hashlib.sha256(PNG).hexdigest()
    assert body["service_point_name"] == "Tajrish office"
    photo = await client.get(f"/api/v1/requests/{request['id']}/intake/files/{hashlib.sha256(JPEG).hexdigest()}",
                             headers=admin)
    assert photo.status_code == 200 and photo.content == JPEG and photo.headers["content-type"] == "image/jpeg"
    timeline = (await client.get(f"/api/v1/requests/{request['id']}/timeline", headers=admin)).json()
    assert timeline[-1]["kind"] == "taken_in" and "signed by Sara Ahmadi" in timeline[-1]["note"]


async def test_the_receipt_shows_the_answers_and_that_it_was_signed(client, make_tenant, staff_token):
    tenant = await make_tenant("mehr")
    admin = await staff_token(tenant, "admin")
    _, office = await points(client, admin)
    request = await taken_in(client, admin, office)
    receipt = (await client.get(f"/api/v1/requests/{request['id']}/receipt", headers=admin)).json()
    assert receipt["intake"]["signer_name"] == "Sara Ahmadi" and receipt["intake"]["signed_at"]
    assert {i["code"]: i["answer"] for i in receipt["intake"]["items"]}["visible_damage"] == "scratch on the back"
    persian = (await client.get(f"/api/v1/requests/{request['id']}/receipt", headers={
        **admin, "Accept-Language": "fa"})).json()
    assert persian["intake"]["items"][0]["label"] == "جعبهٔ اصلی تحویل داده شد"


async def test_a_receipt_before_intake_says_it_was_not_signed(client, make_tenant, staff_token):
    admin = await staff_token(await make_tenant("mehr"), "admin")
    request = await open_request(client, admin)
    assert (await client.get(f"/api/v1/requests/{request['id']}/receipt", headers=admin)).json()["intake"] is None


async def test_unknown_items_and_missing_required_ones_are_refused_and_nothing_is_written(
        client, make_tenant, staff_token):
    admin = await staff_token(await make_tenant("mehr"), "admin")
    _, office = await points(client, admin)
    request = await open_request(client, admin)
    url = f"/api/v1/requests/{request['id']}/intake"
    answers = {"box": True, "visible_damage": "none", "photos": [PHOTO], "sim_tray": True}
    refused = await client.post(url, json=intake_body(office, answers=answers), headers=admin)
    assert refused.status_code == 422
    errors = {e["field"]: e.get("code") for e in refused.json()["errors"]}
    assert errors == {"answers.sim_tray": "intake.unknown_item", "answers.charger": "intake.required"}
    assert (await client.get(url, headers=admin)).status_code == 404
    assert (await client.get(f"/api/v1/requests/{request['id']}/timeline", headers=admin)).json()[-1]["kind"] == "opened"


async def test_answers_of_the_wrong_kind_and_an_empty_signer_are_refused(client, make_tenant, staff_token):
    admin = await staff_token(await make_tenant("mehr"), "admin")
    _, office = await points(client, admin)
    request = await open_request(client, admin)
    answers = {"box": "yes", "charger": True, "visible_damage": True, "photos": PHOTO}
    refused = await client.post(f"/api/v1/requests/{request['id']}/intake",
                                json=intake_body(office, answers=answers, signer_name="  "), headers=admin)
    assert refused.status_code == 422
    assert {e["field"] for e in refused.json()["errors"]} == {
        "answers.box", "answers.visible_damage", "answers.photos", "signer_name"}


async def test_a_10_mb_signature_and_images_that_are_not_what_they_say_are_refused(client, make_tenant, staff_token):
    admin = await staff_token(await make_tenant("mehr"), "admin")
    _, office = await points(client, admin)
    request = await open_request(client, admin)
    url = f"/api/v1/requests/{request['id']}/intake"
    huge = data_url(PNG + b"\0" * (10 * 1024 * 1024))
    refused = await client.post(url, json=intake_body(office, signature=huge), headers=admin)
    assert refused.status_code == 422
    assert [(e["field"], e["code"]) for e in refused.json()["errors"]] == [("signature", "intake.image_too_large")]
    answers = {"box": True, "charger": True, "visible_damage": "none", "photos": [data_url(PNG, "image/jpeg")]}
    mistyped = await client.post(url, json=intake_body(office, answers=answers, signature=data_url(JPEG, "image/jpeg")),
                                 headers=admin)
    assert {e["field"] for e in mistyped.json()["errors"]} == {"answers.photos.0", "signature"}
    not_base64 = await client.post(url, json=intake_body(office, signature="data:image/png;base64,@@@"), headers=admin)
    assert not_base64.status_code == 422 and not_base64.json()["errors"][0]["field"] == "signature"
    assert (await client.get(url, headers=admin)).status_code == 404


async def test_an_unknown_point_and_a_nul_in_the_signer_are_refused(client, make_tenant, staff_token):
    admin = await staff_token(await make_tenant("mehr"), "admin")
    await points(client, admin)
    request = await open_request(client, admin)
    url = f"/api/v1/requests/{request['id']}/intake"
    unknown = await client.post(url, json=intake_body("00000000-0000-0000-0000-000000000001"), headers=admin)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "service_point_id"
    nul = await client.post(url, json=intake_body("00000000-0000-0000-0000-000000000001", signer_name="Sa\0ra"),
                            headers=admin)
    assert nul.status_code == 422 and nul.json()["errors"][0]["field"] == "signer_name"


async def test_a_unit_is_taken_in_once(client, make_tenant, staff_token):
    admin = await staff_token(await make_tenant("mehr"), "admin")
    _, office = await points(client, admin)
    request = await taken_in(client, admin, office)
    again = await client.post(f"/api/v1/requests/{request['id']}/intake", json=intake_body(office), headers=admin)
    assert again.status_code == 409 and again.json()["code"] == "intake.exists"


async def test_the_core_default_checklist_needs_only_the_condition(client, make_tenant, staff_token):
    admin = await staff_token(await make_tenant("garage", vertical="auto_service"), "admin")
    _, office = await points(client, admin)
    request = await open_request(client, admin)
    body = intake_body(office, answers={"condition": "dented bumper"})
    taken = await client.post(f"/api/v1/requests/{request['id']}/intake", json=body, headers=admin)
    assert taken.status_code == 201, taken.text
    assert [i["code"] for i in taken.json()["items"]] == ["condition", "accessories", "photos"]


async def test_another_tenant_can_neither_read_nor_take_in_the_unit(client, make_tenant, staff_token):
    owner = await staff_token(await make_tenant("mehr"), "admin")
    rival_tenant = await make_tenant("rival")
    intruder = await staff_token(rival_tenant, "admin")
    _, office = await points(client, owner)
    _, rival_office = await points(client, intruder)
    request = await taken_in(client, owner, office)
    url = f"/api/v1/requests/{request['id']}/intake"
    sha = hashlib.sha256(JPEG).hexdigest()
    for path in (url, f"{url}/checklist", f"{url}/files/{sha}"):
        assert (await client.get(path, headers=intruder)).status_code == 404
    other = await open_request(client, owner)
    assert (await client.post(f"/api/v1/requests/{other['id']}/intake", json=intake_body(rival_office),
                              headers=intruder)).status_code == 404
    assert (await client.post(f"/api/v1/requests/{other['id']}/intake", json=intake_body(rival_office),
                              headers=owner)).status_code == 422  # the rival's point is unknown here


@pytest.mark.postgres_only
async def test_ten_racing_intakes_take_the_unit_in_once(backend, runtime, make_tenant):
    record = await make_tenant("mehr")
    tenant = bind_tenant(record, runtime.plugins)
    async with runtime.db.transaction(record.id) as s:
        office = ServicePoint(name="Tajrish office", latitude=35.8, longitude=51.43, country="IR")
        s.add(office)
        request = await open_service_request(s, tenant, NewRequest(kind="repair", channel="walk_in", summary="screen",
                                                           customer=CustomerDetails(name="Sara", phone="+98 912 345 6789")),
                                     actor="staff:1", now=utcnow())
    db = Database(backend.app_url, pool_size=12, max_overflow=0)
    everyone_in = asyncio.Barrier(10)

    async def take(i: int) -> str:
        try:
            async with db.transaction(record.id) as s:
                await s.execute(text("SELECT 1"))
                await everyone_in.wait()
                await take_in(s, tenant, runtime.settings.data_dir, request.id, IntakeAsked(
                    service_point_id=office.id, answers=MEHR_ANSWERS, signer_name=f"Signer {i}", signature=SIGNATURE),
                    actor=f"staff:{i}", now=utcnow())
            return "taken"
        except Conflict:
            return "refused"

    try:
        outcomes = await asyncio.gather(*(take(i) for i in range(10)))
    finally:
        await db.dispose()
    assert (outcomes.count("taken"), outcomes.count("refused")) == (1, 9)
    async with runtime.db.transaction(record.id) as s:
        assert len((await s.scalars(select(UnitIntake))).all()) == 1
        assert len((await s.scalars(select(RequestEvent).where(RequestEvent.kind == "taken_in"))).all()) == 1
