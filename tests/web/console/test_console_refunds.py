"""Refund approvals in the console: finance sees what waits with amounts, reasons and the identity checks,
approves, rejects with a reason, and pays out with the bank's reference; an agent without ``refunds:approve``
gets the 403 page and nothing changes; another tenant's finance sees nothing."""

from __future__ import annotations

import html
import uuid

from sqlalchemy import select

from aftersales.payments.refunds.models import Refund
from support.pages import post_form
from support.payments import add_payment
from support.refunds import entekhab, record_identity

DESK = "/t/entekhab-test/console/refunds"


async def _awaiting(runtime, client, tenant, staff_token, customer_token):
    agent = await staff_token(tenant, "agent")
    customer_id, customer = await customer_token(tenant)
    payment = await add_payment(runtime, tenant, customer_id, 29_999_999, currency="IRR")
    assert (await record_identity(client, agent, customer_id)).status_code == 200
    asked = await client.post("/api/v1/refunds", json={"source": "payment", "payment_id": str(payment),
                                                       "note": "the fridge is too big"}, headers=customer)
    return asked.json()


async def _state(runtime, tenant, refund_id):
    async with runtime.db.transaction(tenant.id) as s:
        return await s.scalar(select(Refund.state).where(Refund.id == uuid.UUID(str(refund_id))))


async def test_finance_sees_amounts_reasons_and_identity_then_approves_and_pays_out(
        pages, client, runtime, make_tenant, staff_token, customer_token, sign_in_staff):
    tenant = await entekhab(make_tenant)
    refund = await _awaiting(runtime, client, tenant, staff_token, customer_token)
    assert refund["state"] == "awaiting_approval"
    await sign_in_staff(pages, tenant, "finance")
    desk = await pages.get(DESK)
    assert desk.status_code == 200 and f'data-refund="{refund["id"]}"' in desk.text
    assert 'data-identity="verified"' in desk.text and "the fridge is too big" in desk.text
    assert refund["reasons"][0] in html.unescape(desk.text)
    approved = await post_form(pages, f"{DESK}/{refund['id']}/approve", {"note": "ok"})
    assert approved.status_code == 303 and approved.headers["location"].startswith(f"{DESK}?state=approved")
    no_reference = await post_form(pages, f"{DESK}/{refund['id']}/execute", {"reference": ""})
    assert no_reference.status_code == 422 and f'id="reference-error-{refund["id"]}"' in no_reference.text
    assert await _state(runtime, tenant, refund["id"]) == "approved"
    paid = await post_form(pages, f"{DESK}/{refund['id']}/execute", {"reference": "SATNA-7781"})
    assert paid.status_code == 303
    executed = await pages.get(DESK, params={"state": "executed"})
    assert "SATNA-7781" in executed.text and "data-executed" in executed.text


async def test_rejection_needs_a_reason_for_the_customer(pages, client, runtime, make_tenant, staff_token,
                                                         customer_token, sign_in_staff):
    tenant = await entekhab(make_tenant)
    refund = await _awaiting(runtime, client, tenant, staff_token, customer_token)
    await sign_in_staff(pages, tenant, "finance")
    empty = await post_form(pages, f"{DESK}/{refund['id']}/reject", {"note": "  "})
    assert empty.status_code == 422 and "Say why: the customer is told." in empty.text
    assert await _state(runtime, tenant, refund["id"]) == "awaiting_approval"
    rejected = await post_form(pages, f"{DESK}/{refund['id']}/reject", {"note": "identity not confirmed"})
    assert rejected.status_code == 303 and await _state(runtime, tenant, refund["id"]) == "rejected"
    again = await post_form(pages, f"{DESK}/{refund['id']}/approve")
    assert again.status_code == 409 and "not awaiting approval" in again.text


async def test_agent_without_refunds_approve_sees_the_desk_but_cannot_approve(
        pages, client, runtime, make_tenant, staff_token, customer_token, sign_in_staff):
    tenant = await entekhab(make_tenant)
    refund = await _awaiting(runtime, client, tenant, staff_token, customer_token)
    await sign_in_staff(pages, tenant, "agent")
    desk = await pages.get(DESK)
    assert desk.status_code == 200 and 'data-action="approve"' not in desk.text
    refused = await post_form(pages, f"{DESK}/{refund['id']}/approve")
    assert refused.status_code == 403 and "No access" in refused.text
    assert await _state(runtime, tenant, refund["id"]) == "awaiting_approval"


async def test_technician_gets_403_and_another_tenants_finance_sees_nothing(
        pages, client, runtime, make_tenant, staff_token, customer_token, sign_in_staff):
    tenant = await entekhab(make_tenant)
    other = await entekhab(make_tenant, "other-shop")
    refund = await _awaiting(runtime, client, tenant, staff_token, customer_token)
    await sign_in_staff(pages, tenant, "technician")
    assert (await pages.get(DESK)).status_code == 403
    await sign_in_staff(pages, other, "finance")
    theirs = await pages.get("/t/other-shop/console/refunds")
    assert theirs.status_code == 200 and refund["id"] not in theirs.text
    approve = await post_form(pages, f"/t/other-shop/console/refunds/{refund['id']}/approve")
    assert approve.status_code == 404
    assert await _state(runtime, tenant, refund["id"]) == "awaiting_approval"
