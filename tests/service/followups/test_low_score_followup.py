"""A low satisfaction score is followed up (seed 000, Mehr: "dissatisfaction is followed up continuously"): the
customer answers the satisfaction survey after a closed request through its public link, and a score at or below
the electronics vertical's ``low_satisfaction_score`` puts one call back on the agents' list, as a reported
problem does; a score above it closes the survey. Edges at the default (2) and at a tenant's own threshold."""

from __future__ import annotations

from datetime import timedelta

from aftersales.db.base import utcnow
from aftersales.service.followups.delivery import send_due_followups, survey_token

INQUIRY = {"kind": "inquiry", "channel": "phone", "summary": "the phone restarts by itself",
           "customer": {"name": "Reza Example", "phone": "+49 30 5550100"}}


async def answered_survey(client, runtime, tenant, agent, csat):
    """A request opened and closed through the API, its satisfaction survey sent by the job and answered through
    the public survey route with ``csat``; returns the survey as staff see it afterwards."""
    opened = (await client.post("/api/v1/requests/", json=INQUIRY, headers=agent)).json()
    moved = await client.post(f"/api/v1/requests/{opened['id']}/moves", json={"to": "closed"}, headers=agent)
    assert moved.status_code == 200, moved.text
    await send_due_followups(runtime, tenant.id, utcnow() + timedelta(hours=2))
    surveys = (await client.get("/api/v1/followups", params={"channel": "portal"}, headers=agent)).json()["items"]
    [survey] = [s for s in surveys if s["request_id"] == opened["id"]]
    path = f"/api/v1/public/{tenant.slug}/surveys/{survey_token(runtime.code_key, tenant.id, survey['id'])}"
    response = await client.post(path, json={"csat": csat, "comment": "it still restarts"})
    assert response.status_code == 200, response.text
    assert (await client.post(path, json={"csat": 1})).status_code == 409, "a link answers once"
    return (await client.get(f"/api/v1/followups/{survey['id']}", headers=agent)).json()


async def call_backs(client, agent, survey):
    listed = (await client.get("/api/v1/followups", params={"step": "call_back"}, headers=agent)).json()["items"]
    return [f for f in listed if f["routed_from_id"] == survey["id"]]


async def test_a_score_at_the_default_threshold_is_called_back_once_and_one_above_is_not(
        client, runtime, make_tenant, staff_token):
    mehr = await make_tenant("mehr-csat")
    agent = await staff_token(mehr, "agent")

    low = await answered_survey(client, runtime, mehr, agent, 2)
    assert (low["routed_to"], low["routing_reason"]) == (
        "call_back", "the customer scored the service 2 out of 5, at or below 2: call them back")
    [call] = await call_backs(client, agent, low)
    assert (call["channel"], call["step"], call["status"], call["routing"]) == (
        "call", "call_back", "scheduled", ["call_back"])
    assert call["questionnaire"] == ["What left the customer dissatisfied?", "Is the customer satisfied now?"]
    notes = [e["note"] for e in (await client.get(f"/api/v1/requests/{low['request_id']}/timeline",
                                                  headers=agent)).json()]
    assert notes[-1] == ("the satisfaction survey follow-up was routed to a call back: the customer scored the "
                         "service 2 out of 5, at or below 2: call them back")

    answered = await client.post(f"/api/v1/followups/{call['id']}/answers", headers=agent,
                                 json={"answers": ["a software update fixed it", "yes"], "csat": 1})
    assert answered.status_code == 200, answered.text
    assert answered.json()["routed_to"] == "close", "the call back is the one call: its own score calls no more"
    assert await call_backs(client, agent, answered.json()) == []
    assert len(await call_backs(client, agent, low)) == 1

    fine = await answered_survey(client, runtime, mehr, agent, 3)
    assert (fine["routed_to"], fine["routing_reason"]) == ("close", "no problem reported")
    assert await call_backs(client, agent, fine) == []


async def test_the_tenant_s_own_threshold_decides(client, runtime, make_tenant, staff_token):
    strict = await make_tenant("strict-csat", settings={"electronics": {"low_satisfaction_score": 3}})
    agent = await staff_token(strict, "agent")

    at = await answered_survey(client, runtime, strict, agent, 3)
    assert at["routed_to"] == "call_back" and len(await call_backs(client, agent, at)) == 1
    above = await answered_survey(client, runtime, strict, agent, 4)
    assert above["routed_to"] == "close" and await call_backs(client, agent, above) == []


async def test_a_tenant_that_turns_it_off_calls_no_low_score_back(client, runtime, make_tenant, staff_token):
    quiet = await make_tenant("quiet-csat", settings={"electronics": {"low_satisfaction_score": 0}})
    agent = await staff_token(quiet, "agent")

    lowest = await answered_survey(client, runtime, quiet, agent, 1)
    assert lowest["routed_to"] == "close" and await call_backs(client, agent, lowest) == []
