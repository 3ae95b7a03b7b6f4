"""The clocks, holds, contact and arrival records and the intake receipt through the API, with bad input and
tenant isolation."""

from __future__ import annotations

WALK_IN = {"kind": "inquiry", "channel": "walk_in", "summary": "how do I back up my phone?",
           "customer": {"name": "Sara Example", "phone": "+49 30 901820"}}


async def opened(client, headers, **extra):
    response = await client.post("/api/v1/requests/", json={**WALK_IN, **extra}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_new_request_shows_its_running_clock(client, make_tenant, staff_token):
    agent = await staff_token(await make_tenant("acme"), "agent")
    request = await opened(client, agent)
    (clock,) = request["clocks"]
    assert (clock["name"], clock["clock"], clock["state"]) == ("first_response", "business_days", "on_track")
    assert clock["due_at"] > request["opened_at"] and clock["remaining_seconds"] > 0


async def test_contacting_the_customer_meets_the_first_response_clock(client, make_tenant, staff_token):
    agent = await staff_token(await make_tenant("acme"), "agent")
    request = await opened(client, agent)
    contact = await client.post(f"/api/v1/requests/{request['id']}/contacts", json={}, headers=agent)
    assert contact.status_code == 201 and contact.json()["note"] == "the customer was contacted"
    (clock,) = (await client.get(f"/api/v1/requests/{request['id']}", headers=agent)).json()["clocks"]
    assert clock["state"] == "met" and clock["met_at"] is not None


async def test_holds_pause_the_clock_and_are_refused_when_they_make_no_sense(client, make_tenant, staff_token):
    agent = await staff_token(await make_tenant("acme"), "agent")
    request = await opened(client, agent)
    base = f"/api/v1/requests/{request['id']}/holds"
    unknown = await client.post(base, json={"reason": "lunch"}, headers=agent)
    assert unknown.status_code == 400 and "reason" in unknown.text
    hold = await client.post(base, json={"reason": "waiting_for_customer", "note": "sending the invoice"},
                             headers=agent)
    assert hold.status_code == 201
    again = await client.post(base, json={"reason": "waiting_for_customer"}, headers=agent)
    assert again.status_code == 409 and "already on hold" in again.json()["detail"]
    (clock,) = (await client.get(f"/api/v1/requests/{request['id']}", headers=agent)).json()["clocks"]
    assert (clock["due_at"], clock["paused_for"]) == (None, "waiting_for_customer")
    release = f"{base}/{hold.json()['id']}/release"
    assert (await client.post(release, json={}, headers=agent)).status_code == 200
    assert (await client.post(release, json={}, headers=agent)).status_code == 409
    (clock,) = (await client.get(f"/api/v1/requests/{request['id']}", headers=agent)).json()["clocks"]
    assert clock["paused_for"] is None and clock["due_at"] is not None
    holds = (await client.get(base, headers=agent)).json()
    assert [(h["reason"], h["ended_at"] is not None) for h in holds] == [("waiting_for_customer", True)]
    kinds = [e["kind"] for e in (await client.get(f"/api/v1/requests/{request['id']}/timeline", headers=agent)).json()]
    assert kinds == ["opened", "held", "released"]


async def test_site_coordinates_are_checked(client, make_tenant, staff_token):
    agent = await staff_token(await make_tenant("acme"), "agent")
    response = await client.post("/api/v1/requests/", json={**WALK_IN, "site_latitude": 91.0, "site_country": "XX"},
                                 headers=agent)
    assert response.status_code == 422
    fields = {e["field"]: e["reason"] for e in response.json()["errors"]}
    assert fields == {"site_longitude": "give both coordinates of the site, or neither",
                      "site_latitude": "must be between -90 and 90",
                      "site_country": "not an ISO 3166-1 alpha-2 country code"}
    listed = (await client.get("/api/v1/requests/", headers=agent)).json()
    assert listed["items"] == []


async def test_the_receipt_names_the_company_the_request_and_the_customer(client, make_tenant, staff_token):
    agent = await staff_token(await make_tenant("acme"), "agent")
    request = await opened(client, agent)
    receipt = (await client.get(f"/api/v1/requests/{request['id']}/receipt", headers=agent)).json()
    assert (receipt["company"], receipt["number"], receipt["customer_name"]) == ("Acme", 1, "Sara Example")
    assert receipt["support_email"] == "help@acme-demo.com"


async def test_the_overdue_filter_lists_only_requests_with_a_late_clock(client, runtime, make_tenant, staff_token):
    from datetime import timedelta
    from uuid import UUID

    from sqlalchemy import update

    from aftersales.db.base import utcnow
    from aftersales.service.models import SlaClock

    tenant = await make_tenant("acme")
    agent = await staff_token(tenant, "agent")
    late, fine = await opened(client, agent), await opened(client, agent)
    async with runtime.db.transaction(tenant.id) as session:
        await session.execute(update(SlaClock).where(SlaClock.request_id == UUID(late["id"]))
                              .values(due_at=utcnow() - timedelta(minutes=1)))
    overdue = (await client.get("/api/v1/requests/?overdue=true", headers=agent)).json()["items"]
    assert [r["id"] for r in overdue] == [late["id"]]
    everything = (await client.get("/api/v1/requests/", headers=agent)).json()["items"]
    assert {r["id"] for r in everything} == {late["id"], fine["id"]}


async def test_another_tenant_cannot_touch_the_clocks_holds_or_receipt(client, make_tenant, staff_token):
    owner = await staff_token(await make_tenant("acme"), "agent")
    intruder = await staff_token(await make_tenant("rival"), "agent", "admin")
    request = await opened(client, owner)
    base = f"/api/v1/requests/{request['id']}"
    hold = (await client.post(f"{base}/holds", json={"reason": "waiting_for_customer"}, headers=owner)).json()
    attempts = [
        client.post(f"{base}/contacts", json={}, headers=intruder),
        client.post(f"{base}/arrivals", json={}, headers=intruder),
        client.post(f"{base}/holds", json={"reason": "customer_unreachable"}, headers=intruder),
        client.get(f"{base}/holds", headers=intruder),
        client.post(f"{base}/holds/{hold['id']}/release", json={}, headers=intruder),
        client.get(f"{base}/receipt", headers=intruder),
    ]
    for attempt in attempts:
        response = await attempt
        assert response.status_code == 404, response.text
    holds = (await client.get(f"{base}/holds", headers=owner)).json()
    assert [h["ended_at"] for h in holds] == [None]
    kinds = [e["kind"] for e in (await client.get(f"{base}/timeline", headers=owner)).json()]
    assert kinds == ["opened", "held"]
    assert (await client.get("/api/v1/requests/?overdue=true", headers=intruder)).json()["items"] == []


async def test_complaints_are_not_opened_as_plain_requests(client, make_tenant, staff_token):
    agent = await staff_token(await make_tenant("acme"), "agent")
    response = await client.post("/api/v1/requests/", json={**WALK_IN, "kind": "complaint"}, headers=agent)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "kind"
    assert (await client.get("/api/v1/requests/", headers=agent)).json()["items"] == []
