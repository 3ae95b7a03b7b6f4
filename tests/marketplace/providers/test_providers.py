"""Providers through the API: admins add, activate, suspend and authorise them and keep their service points;
staff read and filter them; a provider's own user edits only its contacts and description and never reaches
another provider; no tenant reaches another's providers. Bad input is refused with the field and changes nothing."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from support.marketplace import add_provider

GARAGE = {"name": "Garage Nord", "kind": "workshop", "skills": ["Brakes", "tyres"], "email": "Info@Garage-Nord.de",
          "phone": "030 901820", "description": "Brakes and tyres since 1998."}
POINT = {"name": "Mitte", "latitude": 52.52, "longitude": 13.405, "service_radius_km": 25}
API = "/api/v1/marketplace/providers"


async def _create(client, admin, **changes):
    response = await client.post(f"{API}/", json={**GARAGE, **changes}, headers=admin)
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_new_provider_is_pending_with_its_contacts_normalised(client, make_tenant, staff_token):
    admin = await staff_token(await make_tenant("acme"), "admin")
    provider = await _create(client, admin)
    assert provider["status"] == "pending" and provider["authorised"] is False
    assert provider["phone"] == "+4930901820" and provider["email"] == "info@garage-nord.de"
    assert provider["skills"] == ["brakes", "tyres"]


async def test_bad_providers_are_refused_with_every_field_and_nothing_is_written(client, make_tenant, staff_token):
    admin = await staff_token(await make_tenant("acme"), "admin")
    bad = await client.post(f"{API}/", json={**GARAGE, "name": " ", "phone": "12", "email": "nobody",
                                             "skills": ["brakes", "two words"]}, headers=admin)
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"name", "phone", "email", "skills.1"}
    shape = await client.post(f"{API}/", json={**GARAGE, "kind": "spaceship"}, headers=admin)
    assert shape.status_code == 400
    assert (await client.get(f"{API}/", headers=admin)).json()["items"] == []
    provider_id = (await _create(client, admin))["id"]
    cleared = await client.patch(f"{API}/{provider_id}", json={"skills": None, "kind": None}, headers=admin)
    assert cleared.status_code == 422 and {e["field"] for e in cleared.json()["errors"]} == {"skills", "kind"}
    assert (await client.get(f"{API}/{provider_id}", headers=admin)).json()["skills"] == ["brakes", "tyres"]


async def test_status_goes_pending_active_suspended_active_each_with_a_reason(client, make_tenant, staff_token):
    admin = await staff_token(await make_tenant("acme"), "admin")
    provider_id = (await _create(client, admin))["id"]

    async def move(status, reason="checked"):
        return await client.post(f"{API}/{provider_id}/status", json={"status": status, "reason": reason},
                                 headers=admin)

    assert (await move("active", reason=" ")).json()["errors"] == [{"field": "reason",
                                                                    "reason": "say why the status changes"}]
    assert (await move("active")).json()["status"] == "active"
    assert (await move("active")).status_code == 409
    suspended = await move("suspended", "three no-shows in a week")
    assert suspended.json()["status"] == "suspended"
    assert suspended.json()["status_reason"] == "three no-shows in a week"
    assert (await move("active", "appeal accepted")).json()["status"] == "active"
    assert (await client.post(f"{API}/{provider_id}/status", json={"status": "pending", "reason": "x"},
                              headers=admin)).status_code == 400


async def test_an_agent_reads_providers_but_cannot_add_or_suspend_them(client, make_tenant, staff_token):
    tenant = await make_tenant("acme")
    admin, agent = await staff_token(tenant, "admin"), await staff_token(tenant, "agent")
    provider_id = (await _create(client, admin))["id"]
    assert (await client.get(f"{API}/{provider_id}", headers=agent)).json()["name"] == "Garage Nord"
    assert (await client.post(f"{API}/", json=GARAGE, headers=agent)).status_code == 403
    moved = await client.post(f"{API}/{provider_id}/status", json={"status": "active", "reason": "x"}, headers=agent)
    assert moved.status_code == 403


async def test_authorisation_holds_up_to_and_including_its_last_day(client, make_tenant, staff_token):
    tenant = await make_tenant("acme")
    admin = await staff_token(tenant, "admin")
    provider_id = (await _create(client, admin))["id"]
    tenant_today = datetime.now(ZoneInfo("Europe/Berlin")).date()

    async def authorise(**body):
        return await client.put(f"{API}/{provider_id}/authorisation", json=body, headers=admin)

    missing = await authorise(authorised=True)
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "reference"
    past = await authorise(authorised=True, reference="ENT-AUTH-7", until=str(tenant_today - timedelta(days=1)))
    assert past.status_code == 422 and past.json()["errors"][0]["field"] == "until"
    held = await authorise(authorised=True, reference="ENT-AUTH-7", until=str(tenant_today))
    assert held.json()["authorised"] is True and held.json()["authorisation_ref"] == "ENT-AUTH-7"
    listed = await client.get(f"{API}/", params={"authorised": "true"}, headers=admin)
    assert [p["id"] for p in listed.json()["items"]] == [provider_id]
    withdrawn = await authorise(authorised=False)
    assert withdrawn.json()["authorised"] is False and withdrawn.json()["authorised_until"] is None
    assert (await client.get(f"{API}/", params={"authorised": "true"}, headers=admin)).json()["items"] == []


async def test_an_authorisation_whose_last_day_has_passed_no_longer_holds(runtime, client, make_tenant, staff_token):
    from aftersales.marketplace.models import Provider

    tenant = await make_tenant("acme")
    admin = await staff_token(tenant, "admin")
    setup = await add_provider(runtime, tenant, authorised=True)
    async with runtime.db.transaction(tenant.id) as session:
        provider = await session.get(Provider, (tenant.id, setup.provider_id))
        provider.authorised_until = datetime.now(ZoneInfo("Europe/Berlin")).date() - timedelta(days=1)
    shown = (await client.get(f"{API}/{setup.provider_id}", headers=admin)).json()
    assert shown["authorised"] is False
    listed = await client.get(f"{API}/", params={"authorised": "false"}, headers=admin)
    assert [p["id"] for p in listed.json()["items"]] == [str(setup.provider_id)]


async def test_staff_filter_providers_by_status_and_skill_and_page_through_them(client, make_tenant, staff_token):
    admin = await staff_token(await make_tenant("acme"), "admin")
    brakes = await _create(client, admin, name="A Brakes", skills=["brakes"])
    await _create(client, admin, name="B Tyres", skills=["tyres"])
    both = await _create(client, admin, name="C Both", skills=["tyres", "brakes"])
    await client.post(f"{API}/{both['id']}/status", json={"status": "active", "reason": "ok"}, headers=admin)

    async def names(**params):
        return [p["name"] for p in (await client.get(f"{API}/", params=params, headers=admin)).json()["items"]]

    assert await names(skill="brakes") == ["A Brakes", "C Both"]
    assert await names(skill="brake") == []
    assert await names(status="active") == ["C Both"]
    assert await names(status="pending", skill="brakes") == [brakes["name"]]
    first = (await client.get(f"{API}/", params={"limit": 2}, headers=admin)).json()
    rest = (await client.get(f"{API}/", params={"limit": 2, "cursor": first["next_cursor"]}, headers=admin)).json()
    assert [p["name"] for p in first["items"] + rest["items"]] == ["A Brakes", "B Tyres", "C Both"]
    assert rest["next_cursor"] is None


async def test_a_provider_user_edits_its_contacts_but_not_its_name_skills_or_status(
        runtime, client, make_tenant, staff_token, provider_token):
    tenant = await make_tenant("acme")
    admin = await staff_token(tenant, "admin")
    provider_id = (await _create(client, admin))["id"]
    own = await provider_token(tenant, uuid.UUID(provider_id))
    edited = await client.patch(f"{API}/{provider_id}", json={"phone": "+49 30 1234567", "email": None,
                                                             "description": "Open Saturdays too."}, headers=own)
    assert edited.status_code == 200, edited.text
    assert edited.json()["phone"] == "+49301234567" and edited.json()["email"] is None
    assert (await client.patch(f"{API}/{provider_id}", json={"skills": ["engines"]}, headers=own)).status_code == 403
    assert (await client.patch(f"{API}/{provider_id}", json={"name": "Best Garage"}, headers=own)).status_code == 403
    moved = await client.post(f"{API}/{provider_id}/status", json={"status": "active", "reason": "me"}, headers=own)
    assert moved.status_code == 403
    authorised = await client.put(f"{API}/{provider_id}/authorisation",
                                  json={"authorised": True, "reference": "self"}, headers=own)
    assert authorised.status_code == 403
    shown = (await client.get(f"{API}/{provider_id}", headers=own)).json()
    assert shown["name"] == "Garage Nord" and shown["status"] == "pending" and shown["skills"] == ["brakes", "tyres"]
    assert (await client.get(f"{API}/", headers=own)).status_code == 403


async def test_a_provider_user_gets_404_for_another_provider(client, make_tenant, staff_token, provider_token):
    tenant = await make_tenant("acme")
    admin = await staff_token(tenant, "admin")
    mine, theirs = (await _create(client, admin))["id"], (await _create(client, admin, name="Rival"))["id"]
    own = await provider_token(tenant, uuid.UUID(mine))
    assert (await client.get(f"{API}/{theirs}", headers=own)).status_code == 404
    assert (await client.patch(f"{API}/{theirs}", json={"description": "x"}, headers=own)).status_code == 404
    assert (await client.get(f"{API}/{theirs}/locations", headers=own)).status_code == 404
    assert (await client.get(f"{API}/{theirs}/documents", headers=own)).status_code == 404
    assert (await client.get(f"{API}/{theirs}", headers=admin)).json()["description"] == GARAGE["description"]


async def test_another_tenant_neither_sees_nor_changes_the_providers(client, make_tenant, staff_token):
    owner = await staff_token(await make_tenant("acme"), "admin")
    intruder = await staff_token(await make_tenant("rival"), "admin")
    provider_id = (await _create(client, owner))["id"]
    assert (await client.get(f"{API}/", headers=intruder)).json()["items"] == []
    assert (await client.get(f"{API}/{provider_id}", headers=intruder)).status_code == 404
    assert (await client.patch(f"{API}/{provider_id}", json={"name": "Mine"}, headers=intruder)).status_code == 404
    moved = await client.post(f"{API}/{provider_id}/status", json={"status": "active", "reason": "x"},
                              headers=intruder)
    assert moved.status_code == 404
    authorised = await client.put(f"{API}/{provider_id}/authorisation", json={"authorised": True, "reference": "x"},
                                  headers=intruder)
    assert authorised.status_code == 404
    assert (await client.post(f"{API}/{provider_id}/locations", json=POINT, headers=intruder)).status_code == 404
    shown = (await client.get(f"{API}/{provider_id}", headers=owner)).json()
    assert shown["name"] == "Garage Nord" and shown["status"] == "pending" and shown["authorised"] is False
