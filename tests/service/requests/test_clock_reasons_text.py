"""A clock's reason is the vertical's message, kept in its one text column as the message's JSON (no migration):
the API says it in the caller's language; a reason stored as plain English before reads as it was."""

from __future__ import annotations

import json

from sqlalchemy import text

REPAIR = {"kind": "repair", "channel": "walk_in", "summary": "screen flickers",
          "customer": {"name": "Sara Example", "phone": "+49 30 901820"}}


async def opened(client, make_tenant, staff_token):
    tenant = await make_tenant("mehr")
    agent = await staff_token(tenant, "agent")
    response = await client.post("/api/v1/requests/", json=REPAIR, headers=agent)
    assert response.status_code == 201, response.text
    return tenant, agent, response.json()["id"]


async def reason_of(client, agent, request_id, name, language=None):
    headers = {**agent, "Accept-Language": language} if language else agent
    clocks = (await client.get(f"/api/v1/requests/{request_id}", headers=headers)).json()["clocks"]
    return next(c["reason"] for c in clocks if c["name"] == name)


async def test_a_clock_reason_is_stored_as_its_message_and_said_in_the_asked_language(client, runtime, make_tenant,
                                                                                     staff_token):
    tenant, agent, request_id = await opened(client, make_tenant, staff_token)
    async with runtime.db.transaction(tenant.id) as session:
        raw = (await session.execute(text("SELECT reason FROM sla_clocks WHERE name = 'result'"))).scalar_one()
    assert json.loads(raw) == {"id": "the intake receipt promises a result within {days} business days",
                               "domain": "aftersales_electronics", "params": {"days": 7}}
    assert await reason_of(client, agent, request_id, "result") == (
        "the intake receipt promises a result within 7 business days")
    assert await reason_of(client, agent, request_id, "result", "fa") == (
        "رسید پذیرش، نتیجه را ظرف \u2068۷\u2069 روز کاری وعده می‌دهد")
    assert await reason_of(client, agent, request_id, "result", "ka") == (
        "მიღების ქვითარი შედეგს 7 სამუშაო დღეში გპირდებათ")


async def test_a_clock_reason_stored_as_english_text_reads_as_it_was(client, runtime, make_tenant, staff_token):
    tenant, agent, request_id = await opened(client, make_tenant, staff_token)
    async with runtime.db.transaction(tenant.id) as session:
        await session.execute(text("UPDATE sla_clocks SET reason = :old WHERE name = 'result'"),
                              {"old": "the intake receipt promises a result within 7 business days"})
    assert await reason_of(client, agent, request_id, "result", "fa") == (
        "the intake receipt promises a result within 7 business days")
