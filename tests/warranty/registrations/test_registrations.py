"""Purchase registrations through the API: coverage from the vertical, one owner at a time, transfers with
history, proof of purchase, bad input changing nothing, and tenant isolation."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from aftersales.identity.models import Customer
from aftersales.warranty.models import Coverage, Registration, Serial
from support.warranty import add_unit, tenant_today

IMEI = "490154203237518"
OTHER_IMEI = "356938035643809"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def purchase(serial: str = IMEI, days_ago: int = 10, **extra: object) -> dict[str, object]:
    body: dict[str, object] = {
        "serial": serial, "purchased_on": (tenant_today() - timedelta(days=days_ago)).isoformat(),
        "owner": {"name": "Sara Example", "phone": "+49 30 901820"}, "invoice_number": "INV-88",
        "price": "499.90", "seller": "Shop 12",
    }
    body.update(extra)
    return body


async def count(runtime, tenant, table) -> int:
    async with runtime.db.transaction(tenant.id) as s:
        return await s.scalar(select(func.count()).select_from(table))


async def test_registering_a_purchase_stores_coverage_with_its_reasons(client, runtime, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    await add_unit(runtime, mehr, IMEI)
    response = await client.post("/api/v1/registrations/", json=purchase(), headers=await staff_token(mehr, "agent"))
    assert response.status_code == 201, response.text
    body = response.json()
    sold = tenant_today() - timedelta(days=10)
    assert body["status"] == "active" and body["serial"] == IMEI
    assert body["price"] == {"amount": "499.90", "currency": "EUR", "amount_minor": 49990}
    assert body["owner"]["phone"] == "+4930901820"
    coverage = body["coverage"]
    assert coverage["status"] == "in_warranty" and coverage["cause"] == "registered"
    assert coverage["warranty_start"] == sold.isoformat()
    assert coverage["reasons"] == ["18-month warranty from the sale"]
    async with runtime.db.transaction(mehr.id) as s:
        stored = await s.scalar(select(Coverage))
        assert stored.reasons == ["18-month warranty from the sale"] and stored.superseded_at is None


async def test_the_public_check_shows_coverage_but_nobody_personal(client, runtime, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    await add_unit(runtime, mehr, IMEI)
    registered = (await client.post("/api/v1/registrations/", json=purchase(),
                                    headers=await staff_token(mehr, "agent"))).json()
    body = (await client.post("/public/t/mehr/warranty/check", json={"serial": IMEI})).json()
    assert body["coverage"] == {"status": "in_warranty", "warranty_end": registered["coverage"]["warranty_end"],
                                "parts_support_end": None}
    text = str(body)
    assert "Sara" not in text and "901820" not in text and "INV-88" not in text and "Shop 12" not in text


async def test_staff_lookup_shows_the_unit_its_registration_and_coverage(client, runtime, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    await add_unit(runtime, mehr, IMEI)
    agent = await staff_token(mehr, "agent")
    registration = (await client.post("/api/v1/registrations/", json=purchase(), headers=agent)).json()
    detail = (await client.get("/api/v1/serials/۴۹۰۱۵۴۲۰۳۲۳۷۵۱۸", headers=agent)).json()
    assert detail["serial"] == IMEI and detail["status"] == "registered"
    assert detail["registration_id"] == registration["id"]
    assert detail["coverage"]["warranty_end"] == registration["coverage"]["warranty_end"]
    assert (await client.get(f"/api/v1/serials/{OTHER_IMEI}", headers=agent)).status_code == 404
    bad = await client.get("/api/v1/serials/12345", headers=agent)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "serial"


async def test_bad_purchase_reports_every_field_and_writes_nothing(client, runtime, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    await add_unit(runtime, mehr, IMEI)
    body = purchase(days_ago=-1, price="-5", owner={"name": " ", "phone": "12"})
    response = await client.post("/api/v1/registrations/", json=body, headers=await staff_token(mehr, "agent"))
    assert response.status_code == 422
    fields = {e["field"]: e["reason"] for e in response.json()["errors"]}
    assert set(fields) == {"purchased_on", "price", "owner.name", "owner.phone"}
    assert "future" in fields["purchased_on"] and "negative" in fields["price"]
    assert await count(runtime, mehr, Registration) == 0 and await count(runtime, mehr, Customer) == 0


async def test_unknown_serial_and_wrong_check_digit_are_field_errors(client, runtime, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    agent = await staff_token(mehr, "agent")
    unknown = await client.post("/api/v1/registrations/", json=purchase(OTHER_IMEI), headers=agent)
    assert unknown.json()["errors"] == [{"field": "serial", "code": "registration.unknown_serial",
                                         "reason": "no unit with this serial is on the company's register"}]
    wrong = await client.post("/api/v1/registrations/", json=purchase("490154203237519"), headers=agent)
    assert wrong.status_code == 422 and "check digit" in wrong.json()["errors"][0]["reason"]


async def test_price_with_more_decimals_than_the_currency_is_refused(client, runtime, make_tenant, staff_token):
    mehr = await make_tenant("mehr", currency="IRR")
    await add_unit(runtime, mehr, IMEI)
    response = await client.post("/api/v1/registrations/", json=purchase(price="1250000.5"),
                                 headers=await staff_token(mehr, "agent"))
    assert response.json()["errors"] == [{"field": "price", "reason": "IRR amounts have at most 0 decimal places"}]


async def test_a_serial_has_one_active_owner(client, runtime, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    await add_unit(runtime, mehr, IMEI)
    agent = await staff_token(mehr, "agent")
    assert (await client.post("/api/v1/registrations/", json=purchase(), headers=agent)).status_code == 201
    again = await client.post("/api/v1/registrations/",
                              json=purchase(owner={"name": "Someone Else", "email": "else@example.com"}), headers=agent)
    assert again.status_code == 409 and "transfer" in again.json()["detail"]
    assert await count(runtime, mehr, Registration) == 1


async def test_blocked_units_cannot_be_registered(client, runtime, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    await add_unit(runtime, mehr, IMEI, status="blocked")
    response = await client.post("/api/v1/registrations/", json=purchase(), headers=await staff_token(mehr, "agent"))
    assert response.status_code == 409 and "blocked" in response.json()["detail"]


async def test_the_same_customer_typed_two_ways_is_one_customer(client, runtime, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    await add_unit(runtime, mehr, IMEI)
    await add_unit(runtime, mehr, OTHER_IMEI)
    agent = await staff_token(mehr, "agent")
    await client.post("/api/v1/registrations/", json=purchase(), headers=agent)
    local = purchase(OTHER_IMEI, owner={"name": "Sara E.", "phone": "030 901820"})
    second = (await client.post("/api/v1/registrations/", json=local, headers=agent)).json()
    assert second["owner"]["name"] == "Sara Example"
    assert await count(runtime, mehr, Customer) == 1


async def test_transfer_hands_the_warranty_on_and_keeps_the_history(client, runtime, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    await add_unit(runtime, mehr, IMEI)
    agent = await staff_token(mehr, "agent")
    first = (await client.post("/api/v1/registrations/", json=purchase(days_ago=100), headers=agent)).json()
    handed_on = (tenant_today() - timedelta(days=3)).isoformat()
    response = await client.post(f"/api/v1/registrations/{first['id']}/transfer", headers=agent, json={
        "new_owner": {"name": "Reza Example", "email": "reza@example.com"}, "transferred_on": handed_on})
    assert response.status_code == 201, response.text
    second = response.json()
    assert second["previous_id"] == first["id"] and second["owned_from"] == handed_on
    assert second["purchased_on"] == first["purchased_on"]
    assert second["coverage"]["warranty_end"] == first["coverage"]["warranty_end"]
    assert second["coverage"]["cause"] == "transferred"
    old = (await client.get(f"/api/v1/registrations/{first['id']}", headers=agent)).json()
    assert (old["status"], old["ended_on"]) == ("transferred", handed_on)
    history = (await client.get(f"/api/v1/registrations/{second['id']}/ownership", headers=agent)).json()
    assert [(h["owner_name"], h["status"]) for h in history] == [("Sara Example", "transferred"),
                                                                 ("Reza Example", "active")]
    again = await client.post(f"/api/v1/registrations/{first['id']}/transfer", headers=agent, json={
        "new_owner": {"name": "Third", "email": "third@example.com"}, "transferred_on": handed_on})
    assert again.status_code == 409


async def test_transfer_to_the_current_owner_or_before_ownership_is_refused(client, runtime, make_tenant,
                                                                           staff_token):
    mehr = await make_tenant("mehr")
    await add_unit(runtime, mehr, IMEI)
    agent = await staff_token(mehr, "agent")
    first = (await client.post("/api/v1/registrations/", json=purchase(days_ago=10), headers=agent)).json()
    url = f"/api/v1/registrations/{first['id']}/transfer"
    same = await client.post(url, headers=agent, json={"new_owner": {"name": "Sara", "phone": "+49 30 901820"},
                                                        "transferred_on": tenant_today().isoformat()})
    assert same.json()["errors"] == [{"field": "new_owner", "reason": "is already the owner of this unit"}]
    early = await client.post(url, headers=agent, json={"new_owner": {"name": "Reza", "email": "r@example.com"},
                                                         "transferred_on": (tenant_today() - timedelta(days=11)).isoformat()})
    assert early.json()["errors"][0]["field"] == "transferred_on"
    assert await count(runtime, mehr, Registration) == 1


async def test_proof_of_purchase_is_kept_and_checked_against_its_type(client, runtime, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    await add_unit(runtime, mehr, IMEI)
    agent = await staff_token(mehr, "agent")
    registration = (await client.post("/api/v1/registrations/", json=purchase(), headers=agent)).json()
    url = f"/api/v1/registrations/{registration['id']}/proof"
    fake = await client.put(url, content=b"MZ\x90\x00not an image", headers={**agent, "content-type": "image/png"})
    assert fake.status_code == 422 and fake.json()["errors"][0]["reason"] == "is not a image/png file"
    exe = await client.put(url, content=b"MZ", headers={**agent, "content-type": "application/x-msdownload"})
    assert exe.status_code == 422 and exe.json()["errors"][0]["field"] == "content-type"
    stored = await client.put(url, content=PNG, headers={**agent, "content-type": "image/png",
                                                         "x-filename": "receipt.png"})
    assert stored.status_code == 200 and stored.json()["has_proof"]
    back = await client.get(url, headers=agent)
    assert back.content == PNG and back.headers["content-type"] == "image/png"


async def test_registration_scopes(client, runtime, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    await add_unit(runtime, mehr, IMEI)
    technician = await staff_token(mehr, "technician")
    assert (await client.post("/api/v1/registrations/", json=purchase(), headers=technician)).status_code == 403
    registration = (await client.post("/api/v1/registrations/", json=purchase(),
                                      headers=await staff_token(mehr, "agent"))).json()
    finance = await staff_token(mehr, "finance")
    assert (await client.get(f"/api/v1/registrations/{registration['id']}", headers=finance)).status_code == 403
    assert (await client.get(f"/api/v1/registrations/{registration['id']}", headers=technician)).status_code == 200


async def test_tenant_b_can_neither_see_nor_touch_tenant_as_registrations(client, runtime, make_tenant, staff_token):
    alpha = await make_tenant("alpha")
    bravo = await make_tenant("bravo")
    await add_unit(runtime, alpha, IMEI)
    alpha_agent, bravo_admin = await staff_token(alpha, "agent"), await staff_token(bravo, "admin")
    registration = (await client.post("/api/v1/registrations/", json=purchase(), headers=alpha_agent)).json()
    rid = registration["id"]
    assert (await client.get(f"/api/v1/registrations/{rid}", headers=bravo_admin)).status_code == 404
    assert (await client.get(f"/api/v1/registrations/{rid}/ownership", headers=bravo_admin)).status_code == 404
    assert (await client.get(f"/api/v1/registrations/{rid}/claims", headers=bravo_admin)).status_code == 404
    assert (await client.get(f"/api/v1/registrations/{rid}/proof", headers=bravo_admin)).status_code == 404
    assert (await client.put(f"/api/v1/registrations/{rid}/proof", content=PNG,
                             headers={**bravo_admin, "content-type": "image/png"})).status_code == 404
    transfer = await client.post(f"/api/v1/registrations/{rid}/transfer", headers=bravo_admin, json={
        "new_owner": {"name": "Thief", "email": "thief@example.com"}, "transferred_on": tenant_today().isoformat()})
    assert transfer.status_code == 404
    assert (await client.post("/api/v1/registrations/", json=purchase(), headers=bravo_admin)).status_code == 422
    assert (await client.get(f"/api/v1/serials/{IMEI}", headers=bravo_admin)).status_code == 404
    still = (await client.get(f"/api/v1/registrations/{rid}", headers=alpha_agent)).json()
    assert still["status"] == "active" and still["owner"]["name"] == "Sara Example" and not still["has_proof"]


async def test_each_refused_field_carries_its_code_and_a_field_without_one_carries_none(client, runtime, make_tenant,
                                                                                       staff_token):
    mehr = await make_tenant("mehr")
    await add_unit(runtime, mehr, IMEI)
    async with runtime.db.transaction(mehr.id) as s:
        (await s.scalar(select(Serial).where(Serial.serial == IMEI))).manufactured_on = tenant_today() - timedelta(days=5)
    agent = await staff_token(mehr, "agent")

    async def codes(body, status=422):
        response = await client.post("/api/v1/registrations/", json=body, headers=agent)
        assert response.status_code == status, response.text
        return {e["field"]: e.get("code") for e in response.json()["errors"]}

    assert await codes(purchase(OTHER_IMEI)) == {"serial": "registration.unknown_serial"}
    assert await codes(purchase("490154203237519")) == {"serial": "registration.invalid_serial"}
    assert await codes(purchase(days_ago=-1)) == {"purchased_on": "registration.purchase_in_future"}
    assert await codes(purchase(days_ago=10)) == {"purchased_on": "registration.before_manufacture"}
    assert await codes(purchase(days_ago=1, invoice_number="F" * 81, seller="S" * 201, price="-5")) == {
        "invoice_number": "registration.too_long", "seller": "registration.too_long", "price": None}

    registration = (await client.post("/api/v1/registrations/", json=purchase(days_ago=1), headers=agent)).json()
    url = f"/api/v1/registrations/{registration['id']}/proof"
    for content, content_type, code in ((b"", "image/png", "attachment.empty"),
                                        (PNG + b"0" * (10 * 1024 * 1024), "image/png", "attachment.too_large"),
                                        (b"MZ", "application/x-msdownload", "attachment.unsupported_type"),
                                        (b"MZ\x90\x00", "image/png", "attachment.type_mismatch")):
        refused = await client.put(url, content=content, headers={**agent, "content-type": content_type})
        assert refused.status_code == 422 and [e["code"] for e in refused.json()["errors"]] == [code], code
