"""Per-component coverage, a claim's component, and the warranty decided again at installation and at the
training sign-off, through the API, with a third-party vertical whose warranty starts when the customer signs
off the installation training (as an industrial-machines vertical's does): machine 12 months, laser source 24,
parts 8 years, consumables not covered. Tenant isolation and hostile input on every new field."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta

from aftersales.plugins import build_plugin_registry
from support.machines import CONSUMABLES_REASON, CUTTER, MachinesVertical, machines_tenant
from support.warranty import add_unit, imei
from support.warranty import tenant_today as today

OWNER = {"name": "Tbilisi Metalworks", "phone": "+995 32 200 0001"}


@pytest.fixture
def plugins():
    """Installed plugins plus the machines vertical, as a deployment with a third-party vertical would have."""
    return build_plugin_registry(extra_plugins=[("machines", MachinesVertical())])


async def machines_agent(runtime, make_tenant, staff_token, slug="cutters"):
    tenant = await machines_tenant(runtime, make_tenant, slug)
    return tenant, await staff_token(tenant, "agent")


async def register(client, headers, sold_on: date, serial=CUTTER) -> dict:
    response = await client.post("/api/v1/registrations/", headers=headers, json={
        "serial": serial, "purchased_on": sold_on.isoformat(), "owner": OWNER})
    assert response.status_code == 201, response.text
    return response.json()


def ends(coverage: dict) -> dict[str, tuple[str | None, str]]:
    return {i["component"]: (i["covered_until"], i["status"]) for i in coverage["items"]}


async def test_each_component_is_shown_with_its_own_end_on_the_registration_and_the_unit(client, runtime,
                                                                                        make_tenant, staff_token):
    _, agent = await machines_agent(runtime, make_tenant, staff_token)
    sold = today() - relativedelta(months=18)
    registration = await register(client, agent, sold)
    assert ends(registration["coverage"]) == {
        "machine": ((sold + relativedelta(months=12)).isoformat(), "expired"),
        "laser_source": ((sold + relativedelta(months=24)).isoformat(), "in_warranty"),
        "parts": ((sold + relativedelta(years=8)).isoformat(), "in_warranty"),
        "consumables": (None, "not_covered")}
    consumables = registration["coverage"]["items"][3]
    assert consumables["reason"] == CONSUMABLES_REASON
    unit = (await client.get(f"/api/v1/serials/{CUTTER}", headers=agent)).json()
    assert unit["coverage"]["items"] == registration["coverage"]["items"]


async def test_a_persian_reader_reads_each_components_name_reason_and_claim_decision_in_persian(
        client, runtime, make_tenant, staff_token):
    _, agent = await machines_agent(runtime, make_tenant, staff_token)
    persian = {**agent, "Accept-Language": "fa"}
    sold = today() - relativedelta(months=18)
    registration = await register(client, persian, sold)
    items = {i["component"]: i for i in registration["coverage"]["items"]}
    assert (items["laser_source"]["name"], items["consumables"]["name"]) == ("منبع لیزر", "مواد مصرفی")
    assert items["consumables"]["reason"] == "نازل، لنز و حلقهٔ سرامیکی فرسوده می‌شوند: پوشش داده نمی‌شوند"
    assert items["parts"]["name"] == "parts", "a component its vertical names not keeps its code, with spaces"
    english = (await client.get(f"/api/v1/serials/{CUTTER}", headers=agent)).json()["coverage"]["items"]
    assert (english[1]["name"], english[3]["reason"]) == ("laser source", CONSUMABLES_REASON)

    laser = await client.post("/api/v1/claims/", headers=persian, json={
        "registration_id": registration["id"], "kind": "warranty_repair", "reported_on": today().isoformat(),
        "defect": "functional", "component": "laser_source"})
    assert laser.status_code == 201, laser.text
    [reason] = laser.json()["reasons"]
    assert reason.startswith("منبع لیزر تا \u2068") and reason.endswith("\u2069 گارانتی دارد")
    assert not any(c in "0123456789" for c in reason), "the Jalali date in Persian digits"


async def test_a_claim_is_decided_by_the_component_it_names(client, runtime, make_tenant, staff_token):
    _, agent = await machines_agent(runtime, make_tenant, staff_token)
    sold = today() - relativedelta(months=18)
    registration = await register(client, agent, sold)

    async def claim(component):
        response = await client.post("/api/v1/claims/", headers=agent, json={
            "registration_id": registration["id"], "kind": "warranty_repair", "reported_on": today().isoformat(),
            "defect": "functional", "component": component})
        assert response.status_code == 201, response.text
        return response.json()

    laser = await claim("laser_source")
    assert (laser["decision"], laser["component"]) == ("free_repair", "laser_source")
    assert laser["reasons"] == [f"the laser source is under warranty until {(sold + relativedelta(months=24))}"]
    machine = await claim("machine")
    assert machine["decision"] == "paid_repair"
    assert machine["reasons"] == [f"the machine warranty ended on {sold + relativedelta(months=12)}: repair is charged"]
    nozzle = await claim("consumables")
    assert nozzle["decision"] == "reject"
    assert nozzle["failed_conditions"] == [CONSUMABLES_REASON]
    whole = await claim(None)  # no component: the unit's own warranty (ended at 12 months) decides
    assert whole["decision"] == "paid_repair" and whole["component"] is None


@pytest.mark.parametrize("component", ["spindle", "Laser_Source", "laser source", "x" * 5000, " "])
async def test_a_component_the_terms_do_not_name_is_refused_with_the_known_codes(client, runtime, make_tenant,
                                                                                staff_token, component):
    _, agent = await machines_agent(runtime, make_tenant, staff_token)
    registration = await register(client, agent, today() - timedelta(days=30))
    response = await client.post("/api/v1/claims/", headers=agent, json={
        "registration_id": registration["id"], "kind": "warranty_repair", "reported_on": today().isoformat(),
        "component": component})
    if component == " ":  # blank: no component named, the unit as a whole
        assert response.status_code == 201 and response.json()["component"] is None
        return
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == ("component", "claim.unknown_component")
    assert error["params"]["known"] == "machine, laser_source, parts, consumables"
    assert (await client.get(f"/api/v1/registrations/{registration['id']}/claims", headers=agent)).json() == []


async def test_a_component_on_terms_without_items_must_still_be_a_plain_code(client, runtime, make_tenant,
                                                                            staff_token):
    tenant = await make_tenant("phones")
    await add_unit(runtime, tenant, imei(1))
    agent = await staff_token(tenant, "agent")
    registration = await register(client, agent, today() - timedelta(days=30), serial=imei(1))
    assert registration["coverage"]["items"] == []
    body = {"registration_id": registration["id"], "kind": "warranty_repair", "reported_on": today().isoformat(),
            "defect": "functional"}
    named = await client.post("/api/v1/claims/", headers=agent, json={**body, "component": "battery"})
    assert named.status_code == 201 and named.json()["component"] == "battery"
    hostile = await client.post("/api/v1/claims/", headers=agent, json={**body, "component": "bat/tery"})
    assert hostile.status_code == 422
    assert hostile.json()["errors"][0]["code"] == "claim.bad_component"
    nul = await client.post("/api/v1/claims/", headers=agent, json={**body, "component": "bat\x00tery"})
    assert nul.status_code == 422  # refused at the boundary (aftersales.http.control_characters)
    assert [(e["field"], e["code"]) for e in nul.json()["errors"]] == [("component", "text.control_character")]


async def test_recording_the_installation_date_decides_the_warranty_again_from_it(client, runtime, make_tenant,
                                                                                  staff_token):
    _, agent = await machines_agent(runtime, make_tenant, staff_token)
    sold = today() - timedelta(days=60)
    registration = await register(client, agent, sold)
    installed = sold + timedelta(days=20)
    response = await client.put(f"/api/v1/registrations/{registration['id']}/installation", headers=agent,
                                json={"installed_on": installed.isoformat()})
    assert response.status_code == 200, response.text
    moved = response.json()
    assert moved["installed_on"] == installed.isoformat() and moved["training_signed_off_on"] is None
    assert moved["coverage"]["cause"] == "installed"
    assert moved["coverage"]["warranty_start"] == installed.isoformat()
    assert moved["coverage"]["reasons"] == [f"warranty from {installed.isoformat()}"]
    assert ends(moved["coverage"])["laser_source"][0] == (installed + relativedelta(months=24)).isoformat()
    again = (await client.get(f"/api/v1/registrations/{registration['id']}", headers=agent)).json()
    assert again["coverage"] == moved["coverage"]


@pytest.mark.parametrize("installed_on", ["0001-01-01", "9999-12-31", "2026-13-01", "2026-01-01\x00", ""])
async def test_a_hostile_installation_date_is_refused_with_a_field_error(client, runtime, make_tenant, staff_token,
                                                                         installed_on):
    _, agent = await machines_agent(runtime, make_tenant, staff_token)
    registration = await register(client, agent, today() - timedelta(days=60))
    response = await client.put(f"/api/v1/registrations/{registration['id']}/installation", headers=agent,
                                json={"installed_on": installed_on})
    assert response.status_code in (400, 422), response.text
    assert [e["field"] for e in response.json()["errors"]] == ["installed_on"]
    unchanged = (await client.get(f"/api/v1/registrations/{registration['id']}", headers=agent)).json()
    assert unchanged["installed_on"] is None and unchanged["coverage"]["cause"] == "registered"


async def test_the_training_sign_off_moves_the_warranty_to_the_sign_off_date(client, runtime, make_tenant,
                                                                            staff_token):
    _, agent = await machines_agent(runtime, make_tenant, staff_token)
    sold = today() - timedelta(days=45)
    registration = await register(client, agent, sold)
    opened = (await client.post("/api/v1/requests/", headers=agent, json={
        "kind": "installation", "channel": "phone", "summary": "commission the fibre laser",
        "registration_id": registration["id"]})).json()
    signed = await client.post(f"/api/v1/requests/{opened['id']}/training-signoff", headers=agent,
                               json={"signed_by": "Giorgi Beridze"})
    assert signed.status_code == 201, signed.text
    after = (await client.get(f"/api/v1/registrations/{registration['id']}", headers=agent)).json()
    signed_on = today()
    assert after["training_signed_off_on"] == signed_on.isoformat()
    assert after["coverage"]["cause"] == "training_signed_off"
    assert after["coverage"]["warranty_start"] == signed_on.isoformat()
    assert ends(after["coverage"])["machine"] == ((signed_on + relativedelta(months=12)).isoformat(), "in_warranty")


async def test_the_installation_of_another_tenant_s_unit_is_not_found(client, runtime, make_tenant, staff_token):
    _, agent = await machines_agent(runtime, make_tenant, staff_token)
    registration = await register(client, agent, today() - timedelta(days=10))
    _, intruder = await machines_agent(runtime, make_tenant, staff_token, slug="rivals")
    url = f"/api/v1/registrations/{registration['id']}/installation"
    assert (await client.put(url, headers=intruder, json={"installed_on": today().isoformat()})).status_code == 404
    assert (await client.get(f"/api/v1/registrations/{registration['id']}", headers=agent)).json()["installed_on"] is None
    technician = await staff_token(await make_tenant("readers", vertical="machines"), "technician")
    assert (await client.put(url, headers=technician, json={"installed_on": today().isoformat()})).status_code == 403


async def test_a_transfer_hands_on_the_installation_and_the_components_and_the_old_owner_s_record_is_closed(
        client, runtime, make_tenant, staff_token):
    _, agent = await machines_agent(runtime, make_tenant, staff_token)
    sold = today() - timedelta(days=60)
    first = await register(client, agent, sold)
    installed = (sold + timedelta(days=5)).isoformat()
    await client.put(f"/api/v1/registrations/{first['id']}/installation", headers=agent,
                     json={"installed_on": installed})
    moved = await client.post(f"/api/v1/registrations/{first['id']}/transfer", headers=agent, json={
        "new_owner": {"name": "Kutaisi Steel", "email": "office@kutaisi.example"},
        "transferred_on": today().isoformat()})
    assert moved.status_code == 201, moved.text
    second = moved.json()
    assert second["installed_on"] == installed and second["coverage"]["warranty_start"] == installed
    assert ends(second["coverage"]) == ends((await client.get(f"/api/v1/registrations/{first['id']}",
                                                              headers=agent)).json()["coverage"])
    ended = await client.put(f"/api/v1/registrations/{first['id']}/installation", headers=agent,
                             json={"installed_on": today().isoformat()})
    assert ended.status_code == 409
