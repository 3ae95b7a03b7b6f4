"""My disputes on the portal (issue 19 §2.7): the customer opens one from a booking or request, reads the other
side's answer and customer service's ruling with its reason, accepts a settlement; another customer's booking or
dispute is not found, and the words are the reader's (Persian here)."""

from __future__ import annotations

import html
import uuid

from sqlalchemy import select

from aftersales.disputes.models import Dispute
from support.disputes import parties
from support.pages import post_form

MY = "/t/yizhongyi-test/my/disputes"


async def _disputes(runtime, tenant):
    async with runtime.db.transaction(tenant.id) as s:
        return list(await s.scalars(select(Dispute)))


async def test_the_customer_opens_a_dispute_from_a_booking_and_reads_the_ruling(
        pages, client, runtime, make_tenant, staff_token, sign_in_customer):
    tenant = await make_tenant("yizhongyi-test")
    sara = await parties(runtime, tenant)
    await sign_in_customer(pages, tenant, sara.customer_id)

    booking = await pages.get(f"/t/yizhongyi-test/my/bookings/{sara.booking_id}")
    assert f"/my/disputes/new?booking={sara.booking_id}" in booking.text, "opened from the booking's page"
    request = await pages.get(f"/t/yizhongyi-test/my/requests/{sara.request_id}")
    assert f"/my/disputes/new?request={sara.request_id}" in request.text, "and from the request's page"
    picker = await pages.get(f"{MY}/new")
    assert picker.status_code == 200 and f"?booking={sara.booking_id}" in picker.text
    assert f"?request={sara.request_id}" in picker.text
    form = await pages.get(f"{MY}/new", params={"booking": str(sara.booking_id)})
    assert 'value="provider_absent"' in form.text and 'value="claim_decision"' not in form.text

    refused = await post_form(pages, f"{MY}/new", {"subject": "booking", "subject_id": str(sara.booking_id),
                                                   "grounds": "provider_absent", "statement": ""})
    assert refused.status_code == 422 and 'id="statement-error"' in refused.text
    assert await _disputes(runtime, tenant) == []
    opened = await post_form(pages, f"{MY}/new", {"subject": "booking", "subject_id": str(sara.booking_id),
                                                  "grounds": "provider_absent",
                                                  "statement": "Nobody came at 10:00."})
    assert opened.status_code == 303, opened.text
    (dispute,) = await _disputes(runtime, tenant)
    assert opened.headers["location"] == f"{MY}/{dispute.id}"
    again = await post_form(pages, f"{MY}/new", {"subject": "booking", "subject_id": str(sara.booking_id),
                                                 "grounds": "other", "statement": "Again."})
    assert again.status_code == 409 and "already a dispute under way" in again.text

    admin = await staff_token(tenant, "admin")
    url = f"/api/v1/disputes/{dispute.id}"
    assert (await client.post(f"{url}/mediation", headers=admin)).status_code == 200
    assert (await client.post(f"{url}/notes", json={"body": "SECRET NOTE"}, headers=admin)).status_code == 201
    ruled = await client.post(f"{url}/ruling", headers=admin, json={
        "outcome": "for_customer", "reason": "The provider logged no arrival.", "refund_minor": 50_00})
    assert ruled.status_code == 200

    page = await pages.get(f"{MY}/{dispute.id}")
    assert page.status_code == 200 and 'data-outcome="for_customer"' in page.text
    assert "The provider logged no arrival." in page.text and "SECRET NOTE" not in page.text
    assert "You are owed" in html.unescape(page.text)
    listed = await pages.get(MY)
    assert f'data-dispute="{dispute.id}"' in listed.text and 'data-state="ruled"' in listed.text


async def test_a_settlement_is_accepted_on_the_page_in_persian(pages, client, runtime, make_tenant, staff_token,
                                                              sign_in_customer):
    tenant = await make_tenant("yizhongyi-test", locales=["fa", "en"], default_locale="fa")
    sara = await parties(runtime, tenant)
    await sign_in_customer(pages, tenant, sara.customer_id)
    agent = await staff_token(tenant, "agent")
    opened = await post_form(pages, f"{MY}/new", {"subject": "request", "subject_id": str(sara.request_id),
                                                  "grounds": "poor_workmanship", "statement": "Still flickers."})
    assert opened.status_code == 303
    dispute_id = opened.headers["location"].rsplit("/", 1)[1]
    url = f"/api/v1/disputes/{dispute_id}"
    assert (await client.post(f"{url}/mediation", headers=agent)).status_code == 200
    assert (await client.post(f"{url}/settlement", headers=agent,
                              json={"terms": "A second repair, free.", "refund_minor": 0})).status_code == 200

    page = await pages.get(f"{MY}/{dispute_id}?lang=fa")
    assert "پذیرش راه‌حل سازش" in page.text and "A second repair, free." in page.text
    accepted = await post_form(pages, f"{MY}/{dispute_id}/settlement", {"answer": "accept"})
    assert accepted.status_code == 303
    too_late = await post_form(pages, f"{MY}/{dispute_id}/settlement", {"answer": "decline"})
    assert too_late.status_code == 409
    (dispute,) = await _disputes(runtime, tenant)
    assert (dispute.state, dispute.settlement_answer) == ("settled", "accepted")


async def test_another_customers_booking_and_dispute_are_not_found(pages, client, runtime, make_tenant,
                                                                  customer_token, sign_in_customer):
    tenant = await make_tenant("yizhongyi-test")
    sara = await parties(runtime, tenant)
    omid = await parties(runtime, tenant, name="Omid Other", serial="490154203237526", number=2)
    _, omid_token = await customer_token(tenant, omid.customer_id)
    theirs = await client.post("/api/v1/disputes/", headers=omid_token, json={
        "subject": "booking", "subject_id": str(omid.booking_id), "grounds": "other", "statement": "Mine."})
    await sign_in_customer(pages, tenant, sara.customer_id)
    assert (await pages.get(f"{MY}/{theirs.json()['id']}")).status_code == 404
    assert (await post_form(pages, f"{MY}/{theirs.json()['id']}/withdrawal")).status_code == 404
    stolen = await post_form(pages, f"{MY}/new", {"subject": "booking", "subject_id": str(omid.booking_id),
                                                  "grounds": "other", "statement": "Not mine."})
    assert stolen.status_code == 422 and 'id="subject_id-error"' in stolen.text
    assert (await pages.get(f"{MY}/{uuid.uuid4()}")).status_code == 404
    other = await make_tenant("carmax-test", vertical="auto_service")
    stranger = await parties(runtime, other)
    await sign_in_customer(pages, other, stranger.customer_id)
    assert (await pages.get(f"/t/carmax-test/my/disputes/{theirs.json()['id']}")).status_code == 404
