"""The customer file: a customer's registrations, claims, requests with every timeline event, and holds in one
time-ordered list, filtered by kind and time, exported as CSV and JSON, and never another tenant's."""

from __future__ import annotations

import csv
import io

from support.warranty import SELLER, add_unit, imei, tenant_today

OWNER = {"name": "Sara Example", "phone": "+49 30 901820"}


async def registered(client, runtime, tenant, agent, n=1):
    await add_unit(runtime, tenant, imei(n))
    response = await client.post("/api/v1/registrations/", headers=agent, json={
        "serial": imei(n), "purchased_on": tenant_today().isoformat(), "invoice_number": f"INV-{n}",
        "price": "499.00", "seller": SELLER, "owner": OWNER})
    assert response.status_code == 201, response.text
    return response.json()


async def test_the_file_tells_the_customers_story_in_order(client, runtime, make_tenant, staff_token):
    tenant = await make_tenant("acme")
    agent = await staff_token(tenant, "agent")
    registration = await registered(client, runtime, tenant, agent)
    request = (await client.post("/api/v1/requests/", headers=agent, json={
        "kind": "repair", "channel": "phone", "summary": "no sound", "registration_id": registration["id"]})).json()
    await client.post(f"/api/v1/requests/{request['id']}/holds", headers=agent,
                      json={"reason": "waiting_for_customer", "note": "asked for the invoice"})
    await client.post(f"/api/v1/requests/{request['id']}/moves", headers=agent, json={"to": "diagnosing"})
    customer_id = request["customer_id"]

    file = (await client.get(f"/api/v1/customers/{customer_id}/file", headers=agent)).json()
    assert [a["kind"] for a in file] == ["registration", "request.opened", "hold", "request.held", "request.moved"]
    assert file[0]["title"] == f"Phone One {imei(1)}" and "invoice INV-1" in file[0]["detail"]
    assert file[1]["request_number"] == 1 and file[1]["title"] == "repair request #1"
    times = [a["occurred_at"] for a in file]
    assert times == sorted(times)

    only_holds = (await client.get(f"/api/v1/customers/{customer_id}/file?kind=hold", headers=agent)).json()
    assert [(a["kind"], a["detail"]) for a in only_holds] == [("hold", "asked for the invoice")]
    after = (await client.get(f"/api/v1/customers/{customer_id}/file", headers=agent,
                              params={"since": file[3]["occurred_at"]})).json()
    assert [a["kind"] for a in after][-1] == "request.moved" and "registration" not in [a["kind"] for a in after]


async def test_the_file_exports_as_csv(client, runtime, make_tenant, staff_token):
    tenant = await make_tenant("acme")
    agent = await staff_token(tenant, "agent")
    registration = await registered(client, runtime, tenant, agent)
    exported = await client.get(f"/api/v1/customers/{registration['owner']['id']}/file?format=csv", headers=agent)
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    assert "attachment" in exported.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [(r["kind"], r["title"]) for r in rows] == [("registration", f"Phone One {imei(1)}")]


async def test_bad_filters_are_refused_with_the_field(client, runtime, make_tenant, staff_token):
    tenant = await make_tenant("acme")
    agent = await staff_token(tenant, "agent")
    registration = await registered(client, runtime, tenant, agent)
    url = f"/api/v1/customers/{registration['owner']['id']}/file"
    unknown = await client.get(url, params={"kind": "gossip"}, headers=agent)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "kind"
    backwards = await client.get(url, params={"since": "2026-05-02T00:00:00Z", "until": "2026-05-01T00:00:00Z"},
                                 headers=agent)
    assert backwards.status_code == 422 and backwards.json()["errors"][0]["field"] == "until"


async def test_agents_find_customers_by_phone_as_typed(client, runtime, make_tenant, staff_token):
    tenant = await make_tenant("acme")
    agent = await staff_token(tenant, "agent")
    registration = await registered(client, runtime, tenant, agent)
    found = (await client.get("/api/v1/customers/", params={"phone": "030 901820"}, headers=agent)).json()
    assert [c["id"] for c in found["items"]] == [registration["owner"]["id"]]
    by_name = (await client.get("/api/v1/customers/", params={"name": "sara"}, headers=agent)).json()
    assert [c["name"] for c in by_name["items"]] == ["Sara Example"]
    bad = await client.get("/api/v1/customers/", params={"phone": "12"}, headers=agent)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "phone"


async def test_a_technician_without_contact_details_scope_is_refused(client, runtime, make_tenant, staff_token):
    tenant = await make_tenant("acme")
    registration = await registered(client, runtime, tenant, await staff_token(tenant, "agent"))
    finance = await staff_token(tenant, "finance")
    response = await client.get(f"/api/v1/customers/{registration['owner']['id']}/file", headers=finance)
    assert response.status_code == 403


async def test_another_tenant_sees_neither_the_customer_nor_the_file(client, runtime, make_tenant, staff_token):
    owner_tenant = await make_tenant("acme")
    registration = await registered(client, runtime, owner_tenant, await staff_token(owner_tenant, "agent"))
    rival = await make_tenant("rival")
    intruder = await staff_token(rival, "admin")
    customer_id = registration["owner"]["id"]
    assert (await client.get(f"/api/v1/customers/{customer_id}", headers=intruder)).status_code == 404
    assert (await client.get(f"/api/v1/customers/{customer_id}/file", headers=intruder)).status_code == 404
    found = (await client.get("/api/v1/customers/", params={"phone": OWNER["phone"]}, headers=intruder)).json()
    assert found["items"] == []


async def test_the_file_holds_complaints_and_the_satisfaction_survey(client, runtime, make_tenant, staff_token):
    tenant = await make_tenant("acme")
    agent = await staff_token(tenant, "agent")
    registration = await registered(client, runtime, tenant, agent)
    complaint = await client.post("/api/v1/complaints/", headers=agent, json={
        "channel": "phone", "subject": "cost", "summary": "the repair cost more than I was told",
        "registration_id": registration["id"]})
    assert complaint.status_code == 201, complaint.text
    request = (await client.post("/api/v1/requests/", headers=agent, json={
        "kind": "inquiry", "channel": "phone", "summary": "how do I reset it?",
        "registration_id": registration["id"]})).json()
    closed = await client.post(f"/api/v1/requests/{request['id']}/moves", headers=agent, json={"to": "closed"})
    assert closed.status_code == 200, closed.text

    file = (await client.get(f"/api/v1/customers/{registration['owner']['id']}/file", headers=agent,
                             params=[("kind", "complaint"), ("kind", "followup")])).json()
    kinds = {a["kind"]: a for a in file}
    assert kinds["complaint"]["title"] == "complaint: cost" and kinds["complaint"]["detail"].startswith("not answered")
    assert kinds["followup"]["title"].startswith("satisfaction_survey") and "scheduled" in kinds["followup"]["title"]


async def test_text_typed_as_a_formula_is_not_live_in_the_csv(client, runtime, make_tenant, staff_token):
    tenant = await make_tenant("acme")
    agent = await staff_token(tenant, "agent")
    registration = await registered(client, runtime, tenant, agent)
    formulas = ['=HYPERLINK("http://evil.example/","x")', "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1"]
    for summary in formulas:
        opened = await client.post("/api/v1/requests/", headers=agent, json={
            "kind": "repair", "channel": "phone", "summary": summary, "registration_id": registration["id"]})
        assert opened.status_code == 201, opened.text
    exported = await client.get(f"/api/v1/customers/{registration['owner']['id']}/file?format=csv", headers=agent)
    details = {r["detail"] for r in csv.DictReader(io.StringIO(exported.text)) if r["kind"] == "request.opened"}
    assert details == {"'" + formula.strip() for formula in formulas}  # the summary is stored trimmed
