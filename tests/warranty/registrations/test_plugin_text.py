"""A vertical's sentences are stored as message id and parameters, and the API says them in the language the
caller asks for (``Accept-Language``), in English as before when it asks for none; a row stored before messages
had ids keeps reading as its English; a refused field names the message beside its reason."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import text

from support.warranty import add_unit
from support.warranty import tenant_today as today

IMEI = "490154203237518"
ENGLISH = "{months}-month warranty from the sale"


async def registered(client, runtime, make_tenant, staff_token):
    tenant = await make_tenant("mehr", locales=["en", "fa"])
    await add_unit(runtime, tenant, IMEI)
    agent = await staff_token(tenant, "agent")
    response = await client.post("/api/v1/registrations/", headers=agent, json={
        "serial": IMEI, "purchased_on": (today() - timedelta(days=10)).isoformat(), "price": "1200.00",
        "owner": {"name": "Sara Ahmadi", "email": "sara@example.com"}})
    assert response.status_code == 201, response.text
    return tenant, agent, response.json()


async def stored_reasons(runtime, tenant):
    async with runtime.db.transaction(tenant.id) as session:
        raw = (await session.execute(text("SELECT reasons FROM coverages"))).scalar_one()
    return json.loads(raw) if isinstance(raw, str) else raw


async def test_coverage_reasons_are_stored_as_message_id_and_params(client, runtime, make_tenant, staff_token):
    tenant, _, registration = await registered(client, runtime, make_tenant, staff_token)
    months = int(registration["coverage"]["reasons"][0].split("-")[0])
    assert (await stored_reasons(runtime, tenant))[0] == {
        "id": ENGLISH, "domain": "aftersales_electronics", "params": {"months": months}}


async def test_api_says_the_reasons_in_the_accept_language_and_in_english_without_one(client, runtime, make_tenant,
                                                                                       staff_token):
    _, agent, registration = await registered(client, runtime, make_tenant, staff_token)
    path = f"/api/v1/registrations/{registration['id']}"
    english = (await client.get(path, headers=agent)).json()["coverage"]["reasons"][0]
    persian = (await client.get(path, headers={**agent, "Accept-Language": "fa-IR,fa;q=0.9,en;q=0.5"})).json()
    chinese = (await client.get(path, headers={**agent, "Accept-Language": "zh-CN"})).json()
    german = (await client.get(path, headers={**agent, "Accept-Language": "de"})).json()
    months = english.split("-")[0]
    assert english == f"{months}-month warranty from the sale"
    persian_months = months.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert persian["coverage"]["reasons"][0] == f"گارانتی \u2068{persian_months}\u2069 ماهه از تاریخ فروش"
    assert persian["coverage"]["exclusions"] == ["استفادهٔ نادرست یا آسیب فیزیکی"]
    assert chinese["coverage"]["reasons"][0] == f"自销售起{months}个月保修"
    assert german["coverage"]["reasons"][0] == english


async def test_a_reason_stored_as_english_before_messages_still_reads(client, runtime, make_tenant, staff_token):
    tenant, agent, registration = await registered(client, runtime, make_tenant, staff_token)
    async with runtime.db.transaction(tenant.id) as session:
        await session.execute(text("UPDATE coverages SET reasons = :old"),
                              {"old": json.dumps(["18-month warranty from the sale"])})
    answer = await client.get(f"/api/v1/registrations/{registration['id']}",
                              headers={**agent, "Accept-Language": "fa"})
    assert answer.json()["coverage"]["reasons"] == ["18-month warranty from the sale"]


async def test_a_refused_serial_names_the_message_beside_its_reason_in_the_asked_language(client, runtime,
                                                                                         make_tenant, staff_token):
    _, agent, _ = await registered(client, runtime, make_tenant, staff_token)
    response = await client.post("/api/v1/registrations/", headers={**agent, "Accept-Language": "zh"}, json={
        "serial": "49015420323751", "purchased_on": today().isoformat(), "price": "10.00",
        "owner": {"name": "Li Wei", "email": "li@example.com"}})
    assert response.status_code == 422
    error = next(e for e in response.json()["errors"] if e["field"] == "serial")
    assert error["reason"] == "IMEI为15位数字；不接受不含校验位的14位形式"
    assert error["message"] == {"id": "an IMEI has 15 digits; the 14-digit form without its check digit is not accepted",
                                "domain": "aftersales_electronics", "params": {}}
