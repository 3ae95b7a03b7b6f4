"""Follow-ups through the API, on Golden Laser's real manifest: the training sign-off, the agents' call list,
a call's answers (a problem found goes to the engineer who did the job), satisfaction figures, and tenant
isolation of every endpoint."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from aftersales.onboarding.manifest import read_manifest_file
from aftersales.onboarding.services import onboard
from aftersales.service.followups.delivery import send_due_followups, survey_token
from aftersales.settings import REPO_ROOT

INSTALLATION = {"kind": "installation", "channel": "phone", "summary": "install the fibre laser cutter",
                "customer": {"name": "Giorgi Workshop", "phone": "+995 32 200 0001"}}


@pytest.fixture
async def golden(runtime):
    async with runtime.db.transaction(None) as session:
        record, _ = await onboard(session, runtime.plugins,
                                  read_manifest_file(REPO_ROOT / "tenants" / "golden-laser.toml"))
    return record


async def staff_id(client, headers):
    return (await client.get("/api/v1/me", headers=headers)).json()["subject"]


async def installed_and_signed(client, headers, engineer_id=None):
    opened = (await client.post("/api/v1/requests/", json=INSTALLATION, headers=headers)).json()
    if engineer_id:
        await client.post(f"/api/v1/requests/{opened['id']}/assignment", json={"assignee_id": engineer_id},
                          headers=headers)
    signed = await client.post(f"/api/v1/requests/{opened['id']}/training-signoff",
                               json={"signed_by": "Giorgi Beridze", "note": "two operators trained"}, headers=headers)
    assert signed.status_code == 201, signed.text
    return opened, signed.json()


async def test_the_sign_off_is_recorded_and_schedules_the_calls(client, golden, staff_token):
    agent = await staff_token(golden, "agent")
    before = datetime.now().astimezone()
    opened, signed = await installed_and_signed(client, agent)
    assert (signed["signed_by"], signed["note"]) == ("Giorgi Beridze", "two operators trained")
    signed_at = datetime.fromisoformat(signed["signed_at"])
    assert before <= signed_at
    calls = {f["plan_name"]: f for f in signed["followups"]}
    # the industrial vertical's calls and review; a return visit too when the sign-off falls in its 10 % sample
    assert set(calls) - {"return_visit"} == {"installation_call_3d", "installation_call_3m", "maintenance_review"}
    assert datetime.fromisoformat(calls["installation_call_3d"]["due_at"]) == signed_at + timedelta(days=3)
    assert calls["installation_call_3d"]["customer"] == {"name": "Giorgi Workshop", "phone": "+995322000001",
                                                       "email": None}
    timeline = (await client.get(f"/api/v1/requests/{opened['id']}/timeline", headers=agent)).json()
    assert (timeline[-1]["kind"], timeline[-1]["note"]) == (
        "training_signed", "training signed off by Giorgi Beridze: two operators trained")
    url = f"/api/v1/requests/{opened['id']}/training-signoff"
    assert (await client.post(url, json={"signed_by": "Again"}, headers=agent)).status_code == 409
    unsigned = await client.post(url, json={"signed_by": " "}, headers=agent)
    assert unsigned.status_code == 422 and unsigned.json()["errors"][0]["field"] == "signed_by"


async def test_an_agent_records_the_call_and_a_problem_goes_to_the_engineer(runtime, client, golden, staff_token):
    agent, technician = await staff_token(golden, "agent"), await staff_token(golden, "technician")
    engineer_id = await staff_id(client, technician)
    opened, signed = await installed_and_signed(client, agent, engineer_id)
    three_days = next(f for f in signed["followups"] if f["plan_name"] == "installation_call_3d")
    assert await send_due_followups(runtime, golden.id, datetime.fromisoformat(three_days["due_at"])) == 1
    call_list = (await client.get("/api/v1/followups", params={"status": "sent", "channel": "call"},
                                  headers=agent)).json()
    assert [f["id"] for f in call_list["items"]] == [three_days["id"]]
    url = f"/api/v1/followups/{three_days['id']}/answers"
    short = await client.post(url, json={"answers": ["yes"]}, headers=agent)
    assert short.status_code == 422 and short.json()["errors"][0]["field"] == "answers"
    too_happy = await client.post(url, json={"answers": ["yes"] * 4, "csat": 6}, headers=agent)
    assert too_happy.status_code == 422 and too_happy.json()["errors"][0]["field"] == "csat"
    assert (await client.get(f"/api/v1/followups/{three_days['id']}", headers=agent)).json()["status"] == "sent"
    answered = await client.post(url, headers=agent, json={
        "answers": ["yes", "not yet: the nesting software", "yes", "yes"], "csat": 4, "comment": "friendly engineer",
        "problem": {"summary": "cannot run the nesting software alone"}})
    assert answered.status_code == 200, answered.text
    body = answered.json()
    assert (body["status"], body["csat"], body["answers"][1]) == ("answered", 4, "not yet: the nesting software")
    assert body["answered_by"].startswith("staff:")
    problem = (await client.get(f"/api/v1/requests/{body['problem_request_id']}", headers=agent)).json()
    assert (problem["kind"], problem["channel"], problem["customer_id"], problem["assignee_id"]) == (
        "inquiry", "phone", opened["customer_id"], engineer_id)
    notes = [e["note"] for e in (await client.get(f"/api/v1/requests/{opened['id']}/timeline", headers=agent)).json()]
    assert notes[-2:] == [f"the installation call 3d follow-up found a problem: request #{problem['number']} opened",
                          ("the installation call 3d follow-up was routed to the engineer: a problem found on the "
                           "call goes to the service or training engineer")]  # the industrial vertical (seed 004)
    assert (body["routed_to"], body["routing_reason"]) == (
        "engineer", "a problem found on the call goes to the service or training engineer")
    assert (await client.post(url, json={"answers": ["yes"] * 4}, headers=agent)).status_code == 409
    still_to_call = (await client.get("/api/v1/followups", params={"status": "sent"}, headers=agent)).json()
    assert still_to_call["items"] == []


async def test_the_list_filters_by_due_time_and_pages(client, golden, staff_token):
    agent = await staff_token(golden, "agent")
    for _ in range(2):
        await installed_and_signed(client, agent)
    everything = (await client.get("/api/v1/followups", headers=agent)).json()["items"]
    names = [f["plan_name"] for f in everything]
    assert names[:4] == ["installation_call_3d"] * 2 + ["installation_call_3m"] * 2
    # then the industrial vertical's 6-monthly reviews (and a return visit for a sign-off in its sample)
    assert names.count("maintenance_review") == 2 and set(names[4:]) <= {"maintenance_review", "return_visit"}
    cutoff = (datetime.now().astimezone() + timedelta(days=10)).isoformat()
    soon = (await client.get("/api/v1/followups", params={"due_before": cutoff}, headers=agent)).json()["items"]
    assert [f["plan_name"] for f in soon] == ["installation_call_3d"] * 2
    paged, cursor = [], None
    while True:
        page = (await client.get("/api/v1/followups", params={"limit": 3, **({"cursor": cursor} if cursor else {})},
                                 headers=agent)).json()
        paged += [f["id"] for f in page["items"]]
        if (cursor := page["next_cursor"]) is None:
            break
    assert paged == [f["id"] for f in everything] and len(paged) > 3
    naive = await client.get("/api/v1/followups", params={"due_before": "2026-12-01T00:00:00"}, headers=agent)
    assert naive.status_code == 422 and naive.json()["errors"][0]["field"] == "due_before"
    forged = await client.get("/api/v1/followups", params={"cursor": "WyJ4Il0"}, headers=agent)
    assert forged.status_code == 422 and forged.json()["errors"][0]["field"] == "cursor"


async def test_csat_figures_count_the_scores_of_the_period(runtime, client, golden, staff_token):
    agent = await staff_token(golden, "agent")
    for score in (5, 4, 2):
        opened = (await client.post("/api/v1/requests/", headers=agent, json={
            **INSTALLATION, "kind": "inquiry", "summary": "price of a lens"})).json()
        await client.post(f"/api/v1/requests/{opened['id']}/moves", json={"to": "closed"}, headers=agent)
        [survey] = [f for f in (await client.get("/api/v1/followups", headers=agent)).json()["items"]
                    if f["request_id"] == opened["id"]]
        answered = await client.post(f"/api/v1/followups/{survey['id']}/answers", headers=agent,
                                     json={"answers": [str(score), ""], "csat": score})
        assert answered.status_code == 200, answered.text
    figures = (await client.get("/api/v1/followups/csat", headers=agent)).json()
    assert figures == {"count": 3, "average": 3.67, "distribution": {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1}}
    later = (datetime.now().astimezone() + timedelta(minutes=5)).isoformat()
    assert (await client.get("/api/v1/followups/csat", params={"since": later}, headers=agent)).json() == {
        "count": 0, "average": None, "distribution": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0}}


async def test_another_tenant_s_followups_are_not_found(runtime, client, golden, make_tenant, staff_token):
    golden_agent = await staff_token(golden, "agent")
    opened, signed = await installed_and_signed(client, golden_agent)
    followup_id = signed["followups"][0]["id"]
    other = await make_tenant("bravo")
    bravo = await staff_token(other, "admin")
    assert (await client.get(f"/api/v1/followups/{followup_id}", headers=bravo)).status_code == 404
    assert (await client.post(f"/api/v1/followups/{followup_id}/answers", headers=bravo,
                              json={"answers": ["yes"] * 4})).status_code == 404
    assert (await client.get("/api/v1/followups", headers=bravo)).json()["items"] == []
    assert (await client.get("/api/v1/followups/csat", headers=bravo)).json()["count"] == 0
    assert (await client.post(f"/api/v1/requests/{opened['id']}/training-signoff", headers=bravo,
                              json={"signed_by": "Intruder"})).status_code == 404
    token = survey_token(runtime.code_key, golden.id, followup_id)
    assert (await client.get(f"/api/v1/public/bravo/surveys/{token}")).status_code == 404
    assert (await client.get(f"/api/v1/followups/{followup_id}", headers=golden_agent)).json()["status"] == "scheduled"


async def test_the_followup_endpoints_need_a_token_with_request_scopes(client, golden, staff_token):
    finance = await staff_token(golden, "finance")
    assert (await client.get("/api/v1/followups")).status_code == 401
    assert (await client.get("/api/v1/followups", headers=finance)).status_code == 200
    assert (await client.post(f"/api/v1/followups/{'0' * 8}-0000-7000-8000-{'0' * 12}/answers", headers=finance,
                              json={"answers": []})).status_code == 403
