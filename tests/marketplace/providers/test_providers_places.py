"""A provider's service points (coordinates on the globe, a radius over 0 and at most 500 km) and documents (PDF,
JPEG or PNG by their first bytes, kept by SHA-256): admins keep them, a provider's user files its own documents,
and neither another provider nor another tenant reaches them."""

from __future__ import annotations

import hashlib

from support.marketplace import add_provider

API = "/api/v1/marketplace/providers"
POINT = {"name": "Mitte", "latitude": 52.52, "longitude": 13.405, "service_radius_km": 25, "address": "Unter den Linden 1"}
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


async def test_the_service_radius_is_over_0_and_at_most_500_km(runtime, client, make_tenant, staff_token):
    tenant = await make_tenant("acme")
    admin = await staff_token(tenant, "admin")
    setup = await add_provider(runtime, tenant)
    url = f"{API}/{setup.provider_id}/locations"

    async def radius(km):
        return await client.post(url, json={**POINT, "name": f"r{km}", "service_radius_km": km}, headers=admin)

    assert (await radius(500)).status_code == 201
    assert (await radius(0.5)).status_code == 201
    too_far = await radius(500.1)
    assert too_far.status_code == 422
    assert too_far.json()["errors"] == [{"field": "service_radius_km", "reason": "must be at most 500 km"}]
    assert (await radius(0)).json()["errors"][0]["reason"] == "must be more than 0 km"
    assert (await radius(-3)).status_code == 422
    names = [p["name"] for p in (await client.get(url, headers=admin)).json()]
    assert names == ["Garage One workshop", "r0.5", "r500"]


async def test_coordinates_off_the_globe_are_refused_with_each_field(runtime, client, make_tenant, staff_token):
    tenant = await make_tenant("acme")
    admin = await staff_token(tenant, "admin")
    setup = await add_provider(runtime, tenant)
    url = f"{API}/{setup.provider_id}/locations"
    bad = await client.post(url, json={**POINT, "latitude": 90.01, "longitude": -180.5, "name": ""}, headers=admin)
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"latitude", "longitude", "name"}
    edge = await client.post(url, json={**POINT, "latitude": -90, "longitude": 180}, headers=admin)
    assert edge.status_code == 201
    assert len((await client.get(url, headers=admin)).json()) == 2


async def test_a_point_is_moved_or_retired_and_a_bad_move_changes_nothing(runtime, client, make_tenant, staff_token):
    tenant = await make_tenant("acme")
    admin = await staff_token(tenant, "admin")
    setup = await add_provider(runtime, tenant)
    url = f"{API}/{setup.provider_id}/locations/{setup.location_id}"
    moved = await client.put(url, json={**POINT, "service_radius_km": 40, "active": False}, headers=admin)
    assert moved.status_code == 200 and moved.json()["active"] is False and moved.json()["service_radius_km"] == 40
    assert (await client.put(url, json={**POINT, "service_radius_km": 501}, headers=admin)).status_code == 422
    (kept,) = (await client.get(f"{API}/{setup.provider_id}/locations", headers=admin)).json()
    assert kept["service_radius_km"] == 40 and kept["name"] == "Mitte"


async def test_a_provider_user_files_a_document_kept_by_its_hash(runtime, client, make_tenant, provider_token,
                                                                 staff_token, base_settings):
    tenant = await make_tenant("acme")
    setup = await add_provider(runtime, tenant)
    own = await provider_token(tenant, setup.provider_id)
    filed = await client.post(f"{API}/{setup.provider_id}/documents", params={"kind": "licence"}, content=PDF,
                              headers={**own, "content-type": "application/pdf", "x-filename": 'licence"2026.pdf'})
    assert filed.status_code == 201, filed.text
    sha = hashlib.sha256(PDF).hexdigest()
    assert filed.json()["sha256"] == sha and filed.json()["filename"] == "licence_2026.pdf"
    assert (base_settings.data_dir / "attachments" / str(tenant.id) / sha).read_bytes() == PDF
    agent = await staff_token(tenant, "agent")
    (listed,) = (await client.get(f"{API}/{setup.provider_id}/documents", headers=agent)).json()
    got = await client.get(f"{API}/{setup.provider_id}/documents/{listed['id']}", headers=agent)
    assert got.content == PDF and got.headers["content-type"].startswith("application/pdf")


async def test_a_document_that_is_not_what_it_claims_is_refused_and_not_listed(runtime, client, make_tenant,
                                                                               staff_token):
    tenant = await make_tenant("acme")
    admin = await staff_token(tenant, "admin")
    setup = await add_provider(runtime, tenant)
    url = f"{API}/{setup.provider_id}/documents"
    renamed = await client.post(url, params={"kind": "insurance"}, content=b"MZ\x90\x00 an executable",
                                headers={**admin, "content-type": "application/pdf"})
    assert renamed.status_code == 422 and renamed.json()["errors"][0]["field"] == "body"
    kind = await client.post(url, params={"kind": "selfie"}, content=PDF, headers={**admin, "content-type": "application/pdf"})
    assert kind.status_code == 422 and kind.json()["errors"][0]["field"] == "kind"
    gif = await client.post(url, params={"kind": "other"}, content=b"GIF89a", headers={**admin, "content-type": "image/gif"})
    assert gif.status_code == 422
    assert (await client.get(url, headers=admin)).json() == []


async def test_documents_and_points_stay_with_their_provider_and_tenant(runtime, client, make_tenant, staff_token,
                                                                        provider_token):
    tenant = await make_tenant("acme")
    setup = await add_provider(runtime, tenant)
    rival = await add_provider(runtime, tenant, name="Rival")
    admin = await staff_token(tenant, "admin")
    filed = (await client.post(f"{API}/{setup.provider_id}/documents", params={"kind": "licence"}, content=PDF,
                               headers={**admin, "content-type": "application/pdf"})).json()
    other_provider = await provider_token(tenant, rival.provider_id)
    assert (await client.get(f"{API}/{setup.provider_id}/documents/{filed['id']}",
                             headers=other_provider)).status_code == 404
    assert (await client.post(f"{API}/{setup.provider_id}/documents", params={"kind": "licence"}, content=PDF,
                              headers={**other_provider, "content-type": "application/pdf"})).status_code == 404
    assert (await client.get(f"{API}/{rival.provider_id}/documents/{filed['id']}", headers=admin)).status_code == 404
    intruder = await staff_token(await make_tenant("rival"), "admin")
    assert (await client.get(f"{API}/{setup.provider_id}/documents/{filed['id']}", headers=intruder)).status_code == 404
    assert (await client.get(f"{API}/{setup.provider_id}/locations", headers=intruder)).status_code == 404
    moved = await client.put(f"{API}/{setup.provider_id}/locations/{setup.location_id}", json=POINT, headers=intruder)
    assert moved.status_code == 404
    own_points = await client.get(f"{API}/{setup.provider_id}/locations", headers=admin)
    assert [p["name"] for p in own_points.json()] == ["Garage One workshop"]
