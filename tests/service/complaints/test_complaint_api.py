"""Complaints through the API: filing on any channel, the record against an employee or a store with its counts,
filters and paging, answering and escalating (agents and admins only), closing refused before the answer, field
errors that write nothing, and tenant isolation on every endpoint."""

from __future__ import annotations

from sqlalchemy import select

from aftersales.outbox.models import OutboxMessage

PHONE_CUSTOMER = {"name": "Sara Example", "phone": "+49 30 901820"}
ANSWER = {"cause": "the order waited for a part from the supplier", "apology": "we apologise for the delay"}


async def file(client, headers, subject="cost", **extra):
    body = {"channel": "phone", "subject": subject, "summary": "nobody told me anything for a week",
            "customer": PHONE_CUSTOMER, **extra}
    response = await client.post("/api/v1/complaints/", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def staff_id(client, headers):
    return (await client.get("/api/v1/me", headers=headers)).json()["subject"]


async def listing(client, headers, **params):
    response = await client.get("/api/v1/complaints/", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def outbox(runtime, tenant, event):
    async with runtime.db.transaction(tenant.id) as session:
        return list(await session.scalars(select(OutboxMessage).where(OutboxMessage.event == event)))


async def test_a_complaint_filed_from_the_website_form_runs_its_response_clock(client, make_tenant, staff_token):
    agent = await staff_token(await make_tenant("acme"), "agent")
    filed = await file(client, agent, channel="portal")
    assert (filed["channel"], filed["state"], filed["subject"], filed["escalated_at"]) == ("portal", "received",
                                                                                          "cost", None)
    (clock,) = filed["clocks"]
    assert (clock["name"], clock["clock"], clock["state"]) == ("complaint_response", "business_hours", "on_track")
    request = (await client.get(f"/api/v1/requests/{filed['request_id']}", headers=agent)).json()
    assert (request["kind"], request["number"]) == ("complaint", filed["number"])


async def test_a_staff_behaviour_complaint_is_escalated_and_counts_against_the_employee(client, runtime, make_tenant,
                                                                                        staff_token):
    acme = await make_tenant("acme")
    admin, agent, other = (await staff_token(acme, "admin"), await staff_token(acme, "agent"),
                           await staff_token(acme, "technician"))
    rude, slow = await staff_id(client, agent), await staff_id(client, other)
    first = await file(client, agent, "staff_behaviour", staff_id=rude)
    await file(client, agent, "cost", staff_id=rude)
    await file(client, agent, "handling_time", staff_id=slow)
    admins = [s["email"] for s in (await client.get("/api/v1/staff", headers=admin)).json() if "admin" in s["roles"]]
    assert first["escalated_at"] is not None and first["escalated_to"] == admins
    record = await listing(client, admin, staff_id=rude)
    assert [c["subject"] for c in record["items"]] == ["cost", "staff_behaviour"]
    assert record["counts"] == {"total": 2, "escalated": 1, "answered": 0, "unanswered": 2,
                                "by_subject": {"cost": 1, "staff_behaviour": 1}}
    assert len(await outbox(runtime, acme, "complaint.escalated")) == 2
    timeline = (await client.get(f"/api/v1/requests/{first['request_id']}/timeline", headers=agent)).json()
    assert [e["kind"] for e in timeline] == ["opened", "escalated"]


async def test_a_store_violation_is_recorded_against_the_store(client, make_tenant, staff_token):
    agent = await staff_token(await make_tenant("acme"), "agent")
    missing = await client.post("/api/v1/complaints/", headers=agent, json={
        "channel": "phone", "subject": "store_violation", "summary": "pro-forma for the wrong model",
        "customer": PHONE_CUSTOMER})
    assert missing.status_code == 422
    assert missing.json()["errors"] == [{"field": "contractor",
                                         "reason": "name the store the violation is filed against"}]
    await file(client, agent, "store_violation", contractor="Store  12, Tehran")
    await file(client, agent, "store_violation", contractor="Store 13")
    record = await listing(client, agent, contractor="store 12,  TEHRAN")
    assert [c["contractor"] for c in record["items"]] == ["Store 12, Tehran"]
    assert record["counts"]["by_subject"] == {"store_violation": 1}


async def test_lists_filter_and_page(client, make_tenant, staff_token):
    agent = await staff_token(await make_tenant("acme"), "agent")
    oldest = await file(client, agent, "cost")
    middle = await file(client, agent, "other")
    newest = await file(client, agent, "handling_time")
    await client.post(f"/api/v1/complaints/{oldest['id']}/answer", json=ANSWER, headers=agent)
    assert [c["id"] for c in (await listing(client, agent, answered="true"))["items"]] == [oldest["id"]]
    assert len((await listing(client, agent, answered="false"))["items"]) == 2
    assert [c["id"] for c in (await listing(client, agent, escalated="true"))["items"]] == [newest["id"]]
    assert [c["subject"] for c in (await listing(client, agent, subject="other"))["items"]] == ["other"]
    first = await listing(client, agent, limit=2)
    second = await listing(client, agent, limit=2, cursor=first["next_cursor"])
    assert [c["id"] for c in first["items"] + second["items"]] == [newest["id"], middle["id"], oldest["id"]]
    assert second["next_cursor"] is None and first["counts"]["total"] == 3
    bad = await client.get("/api/v1/complaints/", params={"cursor": "nonsense"}, headers=agent)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "cursor"


async def test_the_answer_is_sent_and_meets_the_clock_once(client, runtime, make_tenant, staff_token):
    acme = await make_tenant("acme")
    agent = await staff_token(acme, "agent")
    filed = await file(client, agent)
    response = await client.post(f"/api/v1/complaints/{filed['id']}/answer", json=ANSWER, headers=agent)
    assert response.status_code == 200, response.text
    answered = response.json()
    assert (answered["cause"], answered["apology"], answered["answer_channel"]) == (
        ANSWER["cause"], ANSWER["apology"], "sms")
    assert answered["clocks"][0]["state"] == "met"
    (sms,) = await outbox(runtime, acme, "complaint.answered")
    assert (sms.recipient, str(sms.id)) == ("+4930901820", answered["answer_message_id"])
    assert ANSWER["cause"] in sms.body and ANSWER["apology"] in sms.body
    again = await client.post(f"/api/v1/complaints/{filed['id']}/answer", json=ANSWER, headers=agent)
    assert again.status_code == 409 and "already answered" in again.json()["detail"]


async def test_empty_cause_or_apology_is_refused_per_field_and_nothing_is_sent(client, runtime, make_tenant,
                                                                               staff_token):
    acme = await make_tenant("acme")
    agent = await staff_token(acme, "agent")
    filed = await file(client, agent)
    response = await client.post(f"/api/v1/complaints/{filed['id']}/answer", headers=agent,
                                 json={"cause": ANSWER["cause"], "apology": "   "})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "apology", "reason": "must not be empty"}]
    assert await outbox(runtime, acme, "complaint.answered") == []
    assert (await client.get(f"/api/v1/complaints/{filed['id']}", headers=agent)).json()["answered_at"] is None


async def test_an_unknown_staff_member_is_refused_and_nothing_is_written(client, make_tenant, staff_token):
    agent = await staff_token(await make_tenant("acme"), "agent")
    response = await client.post("/api/v1/complaints/", headers=agent, json={
        "channel": "social", "subject": "staff_behaviour", "summary": "rude reply on Instagram",
        "customer": PHONE_CUSTOMER, "staff_id": "0190f3a0-0000-7000-8000-000000000000"})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "staff_id",
                                          "reason": "no member of this company's staff has this id"}]
    assert (await listing(client, agent))["counts"]["total"] == 0
    assert (await client.get("/api/v1/requests/", headers=agent)).json()["items"] == []


async def test_closing_before_the_answer_is_refused_with_the_reason(client, make_tenant, staff_token):
    agent = await staff_token(await make_tenant("acme"), "agent")
    filed = await file(client, agent)
    moves = f"/api/v1/requests/{filed['request_id']}/moves"
    refused = await client.post(moves, json={"to": "closed"}, headers=agent)
    assert refused.status_code == 409
    assert refused.json()["detail"] == (f"complaint #{filed['number']} has not been answered: send the customer the "
                                        "cause and an apology before it is closed")
    await client.post(f"/api/v1/complaints/{filed['id']}/answer", json=ANSWER, headers=agent)
    assert (await client.post(moves, json={"to": "closed"}, headers=agent)).json()["state"] == "closed"


async def test_only_agents_and_admins_answer_and_escalate(client, make_tenant, staff_token):
    acme = await make_tenant("acme")
    agent, admin, technician, finance = [await staff_token(acme, role)
                                         for role in ("agent", "admin", "technician", "finance")]
    filed = await file(client, technician)  # anyone who takes requests may file one
    base = f"/api/v1/complaints/{filed['id']}"
    assert (await client.post(f"{base}/answer", json=ANSWER, headers=technician)).status_code == 403
    assert (await client.post(f"{base}/escalation", json={}, headers=technician)).status_code == 403
    assert (await client.post("/api/v1/complaints/", json={}, headers=finance)).status_code == 403
    assert (await client.get(base, headers=finance)).status_code == 200
    escalated = await client.post(f"{base}/escalation", json={"note": "third complaint this month"}, headers=admin)
    assert escalated.status_code == 200 and escalated.json()["escalation_note"] == "third complaint this month"
    assert (await client.post(f"{base}/escalation", json={}, headers=agent)).status_code == 409
    assert (await client.post(f"{base}/answer", json=ANSWER, headers=agent)).status_code == 200


async def test_another_tenants_complaints_are_out_of_reach(client, runtime, make_tenant, staff_token):
    acme, globex = await make_tenant("acme"), await make_tenant("globex")
    ours, theirs = await staff_token(acme, "agent"), await staff_token(globex, "admin")
    our_staff = await staff_id(client, ours)
    filed = await file(client, ours, "staff_behaviour", staff_id=our_staff)
    base = f"/api/v1/complaints/{filed['id']}"
    assert (await client.get(base, headers=theirs)).status_code == 404
    assert (await client.post(f"{base}/answer", json=ANSWER, headers=theirs)).status_code == 404
    assert (await client.post(f"{base}/escalation", json={}, headers=theirs)).status_code == 404
    assert (await listing(client, theirs))["counts"]["total"] == 0
    assert (await listing(client, theirs, staff_id=our_staff))["items"] == []
    for field, value in (("staff_id", our_staff), ("about_request_id", filed["request_id"])):
        refused = await client.post("/api/v1/complaints/", headers=theirs, json={
            "channel": "email", "subject": "other", "summary": "x", "customer": PHONE_CUSTOMER, field: value})
        assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == field
    refused = await client.post(f"/api/v1/requests/{filed['request_id']}/moves", json={"to": "closed"},
                                headers=theirs)
    assert refused.status_code == 404
    assert await outbox(runtime, globex, "complaint.answered") == []
    mine = (await client.get(base, headers=ours)).json()
    assert (mine["answered_at"], mine["escalated_by"]) == (None, f"staff:{our_staff}")


async def test_a_complaint_summary_over_the_request_limit_is_refused_naming_it(client, make_tenant, staff_token):
    mehr = await make_tenant("mehr")
    agent = await staff_token(mehr, "agent")
    body = {"channel": "phone", "subject": "cost", "summary": "s" * 2001, "customer": PHONE_CUSTOMER}
    refused = await client.post("/api/v1/complaints/", json=body, headers=agent)
    assert refused.status_code == 422 and [e["field"] for e in refused.json()["errors"]] == ["summary"]


def test_the_complaint_api_takes_exactly_the_subjects_and_answer_channels_the_service_knows():
    from typing import get_args

    from aftersales.service.complaints.schemas import AnswerIn, ComplaintIn
    from aftersales.service.complaints.services import ANSWER_CHANNELS, SUBJECTS

    assert get_args(ComplaintIn.model_fields["subject"].annotation) == SUBJECTS
    channel, none = get_args(AnswerIn.model_fields["channel"].annotation)
    assert get_args(channel) == ANSWER_CHANNELS and none is type(None)


def test_the_documented_text_limits_are_the_ones_the_services_apply():
    from aftersales.service.complaints.schemas import AnswerIn, ComplaintIn, EscalateIn
    from aftersales.service.complaints.services import MAX_CONTRACTOR, MAX_TEXT
    from aftersales.warranty.recalls.schemas import CampaignIn, FixIn
    from aftersales.warranty.recalls.services import MAX_REMEDY, MAX_TITLE
    from aftersales.warranty.recalls.units import MAX_FIX_NOTE
    from aftersales.warranty.unit_status import MAX_REASON

    def limits(model):
        return {name: field.get("maxLength") for name, field in model.model_json_schema()["properties"].items()}

    assert limits(AnswerIn)["cause"] == limits(AnswerIn)["apology"] == limits(EscalateIn)["note"] == MAX_TEXT
    assert limits(ComplaintIn)["contractor"] == MAX_CONTRACTOR
    assert (limits(CampaignIn)["title"], limits(CampaignIn)["reason"], limits(CampaignIn)["remedy"]) == (
        MAX_TITLE, MAX_REASON, MAX_REMEDY)
    assert limits(FixIn)["note"] == MAX_FIX_NOTE
