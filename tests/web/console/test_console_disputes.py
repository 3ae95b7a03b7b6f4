"""Disputes in the console (issue 19 §2.7): staff list them, answer for the company, mediate with notes and a
settlement, and customer service rules with a reason; an agent cannot rule, a finance clerk cannot read them,
a wrong step is refused with its reason, and another tenant's staff find nothing."""

from __future__ import annotations

from sqlalchemy import select

from aftersales.disputes.models import Dispute
from support.disputes import parties
from support.pages import post_form

DESK = "/t/yizhongyi-test/console/disputes"


async def _open(client, customer_token, tenant, sara, subject="request", grounds="other"):
    _, header = await customer_token(tenant, sara.customer_id)
    subject_id = {"request": sara.request_id, "booking": sara.booking_id}[subject]
    answer = await client.post("/api/v1/disputes/", headers=header, json={
        "subject": subject, "subject_id": str(subject_id), "grounds": grounds, "statement": "The repair failed again."})
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


async def _dispute(runtime, tenant):
    async with runtime.db.transaction(tenant.id) as s:
        return await s.scalar(select(Dispute))


async def test_staff_answer_mediate_and_customer_service_rules(pages, client, runtime, make_tenant, customer_token,
                                                               sign_in_staff):
    tenant = await make_tenant("yizhongyi-test")
    sara = await parties(runtime, tenant)
    dispute_id = await _open(client, customer_token, tenant, sara)
    await sign_in_staff(pages, tenant, "agent")
    desk = await pages.get(DESK)
    assert desk.status_code == 200 and f'data-dispute="{dispute_id}"' in desk.text
    page = await pages.get(f"{DESK}/{dispute_id}")
    assert 'data-action="answer"' in page.text and 'data-action="rule"' not in page.text

    too_early = await post_form(pages, f"{DESK}/{dispute_id}/settlement", {"terms": "Half back."})
    assert too_early.status_code == 409 and "data-refused" in too_early.text
    empty = await post_form(pages, f"{DESK}/{dispute_id}/answer", {"answer": ""})
    assert empty.status_code == 422 and 'id="answer-error"' in empty.text
    assert (await post_form(pages, f"{DESK}/{dispute_id}/answer", {"answer": "The part was faulty."})).status_code == 303
    assert (await post_form(pages, f"{DESK}/{dispute_id}/mediation")).status_code == 303
    assert (await post_form(pages, f"{DESK}/{dispute_id}/notes", {"body": "Customer has photos."})).status_code == 303
    not_money = await post_form(pages, f"{DESK}/{dispute_id}/settlement", {"terms": "Part back.", "refund_minor": "ten"})
    assert not_money.status_code == 422 and 'id="refund_minor-error"' in not_money.text
    proposed = await post_form(pages, f"{DESK}/{dispute_id}/settlement", {"terms": "Part back.", "refund_minor": "2000"})
    assert proposed.status_code == 303
    agent_rules = await post_form(pages, f"{DESK}/{dispute_id}/ruling", {"outcome": "partly", "reason": "x"})
    assert agent_rules.status_code == 403

    await sign_in_staff(pages, tenant, "customer_service")
    page = await pages.get(f"{DESK}/{dispute_id}")
    assert "Customer has photos." in page.text and 'data-action="rule"' in page.text
    ruled = await post_form(pages, f"{DESK}/{dispute_id}/ruling",
                            {"outcome": "partly", "reason": "The part was faulty, the labour was fine.",
                             "refund_minor": "2500"})
    assert ruled.status_code == 303
    dispute = await _dispute(runtime, tenant)
    assert (dispute.state, dispute.outcome, dispute.refund_owed_minor) == ("ruled", "partly", 2500)
    page = await pages.get(f"{DESK}/{dispute_id}")
    assert 'data-outcome="partly"' in page.text and 'data-action="rule"' not in page.text


async def test_who_reaches_the_desk(pages, client, runtime, make_tenant, customer_token, sign_in_staff):
    tenant = await make_tenant("yizhongyi-test")
    sara = await parties(runtime, tenant)
    dispute_id = await _open(client, customer_token, tenant, sara)
    await sign_in_staff(pages, tenant, "finance")
    assert (await pages.get(DESK)).status_code == 403
    assert (await pages.get(f"{DESK}/{dispute_id}")).status_code == 403
    other = await make_tenant("carmax-test", vertical="auto_service")
    await sign_in_staff(pages, other, "admin")
    assert f'data-dispute="{dispute_id}"' not in (await pages.get("/t/carmax-test/console/disputes")).text
    assert (await pages.get(f"/t/carmax-test/console/disputes/{dispute_id}")).status_code == 404
    assert (await post_form(pages, f"/t/carmax-test/console/disputes/{dispute_id}/mediation")).status_code == 404
    assert (await _dispute(runtime, tenant)).state == "open"
