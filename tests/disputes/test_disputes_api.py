"""Disputes over the API (issue 19 §2.7, seed 003 Yizhongyi; grounds from seed 002 Carmax): the customer opens
one about their booking, request or claim; the other side answers; staff mediate; customer service rules with a
reason both sides read. Wrong moves are refused, one dispute per subject is live at a time, and every token
reaches only its own tenant's, customer's or provider's disputes."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from aftersales.disputes.models import Dispute, DisputeNote
from aftersales.outbox.models import OutboxMessage
from support.disputes import parties, set_locale

URL = "/api/v1/disputes"


@pytest.fixture
async def shop(make_tenant):
    return await make_tenant("yizhongyi-test")


@pytest.fixture
async def sara(runtime, shop):
    return await parties(runtime, shop)


async def open_dispute(client, header, subject, subject_id, grounds="charged_more_than_accepted",
                       statement="I accepted 50 EUR and was charged 80 EUR."):
    return await client.post(f"{URL}/", json={"subject": subject, "subject_id": str(subject_id), "grounds": grounds,
                                              "statement": statement}, headers=header)


async def opened(client, header, subject, subject_id, **body):
    answer = await open_dispute(client, header, subject, subject_id, **body)
    assert answer.status_code == 201, answer.text
    return answer.json()


async def messages(runtime, tenant, event_prefix="dispute."):
    async with runtime.db.transaction(tenant.id) as s:
        rows = await s.scalars(select(OutboxMessage).where(OutboxMessage.event.startswith(event_prefix))
                               .order_by(OutboxMessage.created_at, OutboxMessage.id))
        return [(m.event, m.recipient, m.body) for m in rows]


async def count(runtime, tenant, model=Dispute):
    async with runtime.db.transaction(tenant.id) as s:
        return await s.scalar(select(func.count()).select_from(model))


async def test_a_booking_disputed_answered_by_its_provider_and_ruled_by_customer_service(
        runtime, client, shop, sara, customer_token, provider_token, staff_token):
    _, customer = await customer_token(shop, sara.customer_id)
    provider = await provider_token(shop, sara.garage.provider_id)
    agent, service = await staff_token(shop, "agent"), await staff_token(shop, "customer_service")

    dispute = await opened(client, customer, "booking", sara.booking_id)
    assert (dispute["state"], dispute["respondent"], dispute["provider_id"]) == (
        "open", "provider", str(sara.garage.provider_id))
    assert dispute["notes"] is None and dispute["currency"] == "EUR"
    url = f"{URL}/{dispute['id']}"

    answered = await client.post(f"{url}/answer", json={"statement": "The customer agreed to the extra part."},
                                 headers=provider)
    assert answered.status_code == 200, answered.text
    assert answered.json()["state"] == "answered"

    assert (await client.post(f"{url}/mediation", headers=agent)).json()["state"] == "mediation"
    note = await client.post(f"{url}/notes", json={"body": "Provider has no signed consent form."}, headers=agent)
    assert note.status_code == 201, note.text

    ruled = await client.post(f"{url}/ruling", headers=service, json={
        "outcome": "for_customer", "reason": "No consent was recorded for the extra part.", "refund_minor": 30_00})
    assert ruled.status_code == 200, ruled.text
    assert (ruled.json()["state"], ruled.json()["outcome"], ruled.json()["refund_owed_minor"]) == (
        "ruled", "for_customer", 30_00)
    assert [n["body"] for n in ruled.json()["notes"]] == ["Provider has no signed consent form."]

    for side in (customer, provider):
        seen = (await client.get(url, headers=side)).json()
        assert (seen["outcome"], seen["ruling_reason"]) == ("for_customer", "No consent was recorded for the extra part.")
        assert seen["notes"] is None, "mediation notes are kept from the parties"

    sent = await messages(runtime, shop)
    assert [(event, to) for event, to, _ in sent] == [
        ("dispute.opened", "garage@example.com"), ("dispute.answered", sent[1][1]),
        ("dispute.decided", sent[1][1]), ("dispute.decided", "garage@example.com")]
    assert "charged more than the accepted price" in sent[0][2]
    assert "The customer agreed to the extra part." in sent[1][2]
    assert "in your favour" in sent[2][2] and "No consent was recorded" in sent[2][2] and "30" in sent[2][2]
    assert "in the customer's favour" in sent[3][2]


async def test_the_ruling_reaches_a_persian_reader_in_persian(runtime, client, shop, sara, customer_token,
                                                            staff_token):
    await set_locale(runtime, shop, sara.customer_id, "fa")
    _, customer = await customer_token(shop, sara.customer_id)
    admin = await staff_token(shop, "admin")
    dispute = await opened(client, customer, "claim", sara.claim_id, grounds="claim_decision",
                           statement="The unit was returned within 7 days.")
    url = f"{URL}/{dispute['id']}"
    assert (await client.post(f"{url}/answer", json={"statement": "The box was opened."}, headers=admin)).status_code == 200
    assert (await client.post(f"{url}/ruling", headers=admin, json={
        "outcome": "for_respondent", "reason": "The seal was broken."})).status_code == 200
    bodies = [body for event, _, body in await messages(runtime, shop) if event == "dispute.decided"]
    assert len(bodies) == 1, "a company dispute has no provider to tell"
    assert "خدمات مشتریان" in bodies[0] and "The seal was broken." in bodies[0]


async def test_the_grounds_are_a_closed_list_that_fits_the_subject(runtime, client, shop, sara, customer_token):
    _, customer = await customer_token(shop, sara.customer_id)
    cases = [
        (("booking", sara.booking_id, "lost_my_keys"), "grounds"),
        (("claim", sara.claim_id, "provider_absent"), "grounds"),
        (("request", sara.request_id, "consumables_not_as_requested"), "grounds"),
        (("invoice", sara.request_id, "other"), "subject"),
    ]
    for (subject, subject_id, grounds), field in cases:
        refused = await open_dispute(client, customer, subject, subject_id, grounds=grounds)
        assert refused.status_code == 422, refused.text
        assert [e["field"] for e in refused.json()["errors"]] == [field]
    empty = await open_dispute(client, customer, "booking", sara.booking_id, statement="   ")
    huge = await open_dispute(client, customer, "booking", sara.booking_id, statement="x" * 4001)
    for refused in (empty, huge):
        assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "statement"
    exactly = await open_dispute(client, customer, "booking", sara.booking_id, statement="x" * 4000,
                                 grounds="provider_absent")
    assert exactly.status_code == 201, "4000 characters is the limit, not past it"
    nul = await open_dispute(client, customer, "request", sara.request_id, statement="no\x00way", grounds="other")
    assert nul.status_code in (400, 422) and nul.headers["content-type"] == "application/problem+json"
    assert await count(runtime, shop) == 1


async def test_one_dispute_per_subject_until_it_ends(client, shop, sara, customer_token, staff_token):
    _, customer = await customer_token(shop, sara.customer_id)
    agent = await staff_token(shop, "agent")
    first = await opened(client, customer, "request", sara.request_id, grounds="poor_workmanship")
    again = await open_dispute(client, agent, "request", sara.request_id, grounds="other")
    assert again.status_code == 409 and again.json()["code"] == "dispute.already_open"
    assert again.json()["params"] == {"dispute_id": first["id"]}
    other_subject = await open_dispute(client, customer, "booking", sara.booking_id)
    assert other_subject.status_code == 201
    withdrawn = await client.post(f"{URL}/{first['id']}/withdrawal", headers=customer)
    assert withdrawn.json()["state"] == "withdrawn"
    by_staff = await open_dispute(client, agent, "request", sara.request_id, grounds="other")
    assert by_staff.status_code == 201, "an ended dispute frees its subject"
    assert (by_staff.json()["customer_id"], by_staff.json()["opened_by"].split(":")[0]) == (
        str(sara.customer_id), "staff")


async def test_wrong_moves_are_refused_with_the_state(client, shop, sara, customer_token, provider_token,
                                                      staff_token):
    _, customer = await customer_token(shop, sara.customer_id)
    provider = await provider_token(shop, sara.garage.provider_id)
    agent, admin = await staff_token(shop, "agent"), await staff_token(shop, "admin")
    url = f"{URL}/{(await opened(client, customer, 'booking', sara.booking_id))['id']}"
    ruling = {"outcome": "partly", "reason": "Both had a point."}

    not_heard = await client.post(f"{url}/ruling", json=ruling, headers=admin)
    assert not_heard.status_code == 409 and not_heard.json()["code"] == "dispute.not_heard"
    premature = await client.post(f"{url}/settlement", json={"terms": "Half back."}, headers=agent)
    assert premature.status_code == 409 and premature.json()["params"] == {"state": "open", "to": "settlement_proposed"}
    nothing_to_accept = await client.post(f"{url}/settlement/answer", json={"accept": True}, headers=customer)
    assert nothing_to_accept.status_code == 409
    staff_for_provider = await client.post(f"{url}/answer", json={"statement": "We say no."}, headers=agent)
    assert staff_for_provider.status_code == 403
    assert (await client.post(f"{url}/answer", json={"statement": "No."}, headers=provider)).status_code == 200
    twice = await client.post(f"{url}/answer", json={"statement": "Still no."}, headers=provider)
    assert twice.status_code == 409 and twice.json()["code"] == "dispute.wrong_state"
    assert (await client.post(f"{url}/ruling", json=ruling, headers=admin)).status_code == 200
    for step, body, header in ((f"{url}/ruling", ruling, admin), (f"{url}/withdrawal", None, customer),
                               (f"{url}/mediation", None, agent)):
        refused = await client.post(step, json=body, headers=header)
        assert refused.status_code == 409, (step, refused.text)
        assert refused.json()["params"]["state"] == "ruled"


async def test_a_settlement_declined_goes_back_to_mediation_and_one_accepted_settles(
        runtime, client, shop, sara, customer_token, staff_token):
    _, customer = await customer_token(shop, sara.customer_id)
    agent = await staff_token(shop, "agent")
    dispute = await opened(client, customer, "request", sara.request_id, grounds="charged_more_than_accepted")
    url = f"{URL}/{dispute['id']}"
    assert (await client.post(f"{url}/mediation", headers=agent)).json()["state"] == "mediation"

    offer = {"terms": "We refund the diagnosis fee.", "refund_minor": 15_00}
    assert (await client.post(f"{url}/settlement", json=offer, headers=agent)).json()["state"] == "settlement_proposed"
    declined = await client.post(f"{url}/settlement/answer", json={"accept": False}, headers=customer)
    assert (declined.json()["state"], declined.json()["settlement_answer"]) == ("mediation", "declined")

    offer = {"terms": "We refund the diagnosis fee and the part.", "refund_minor": 40_00}
    assert (await client.post(f"{url}/settlement", json=offer, headers=agent)).status_code == 200
    accepted = (await client.post(f"{url}/settlement/answer", json={"accept": True}, headers=customer)).json()
    assert (accepted["state"], accepted["outcome"], accepted["refund_owed_minor"]) == ("settled", "settled", 40_00)
    events = [event for event, _, _ in await messages(runtime, shop)]
    assert events == ["dispute.settlement", "dispute.settlement", "dispute.decided"]


async def test_refunds_owed_must_be_possible_and_fit_the_outcome(client, shop, sara, customer_token, staff_token):
    _, customer = await customer_token(shop, sara.customer_id)
    admin = await staff_token(shop, "admin")
    url = f"{URL}/{(await opened(client, customer, 'claim', sara.claim_id, grounds='claim_decision'))['id']}"
    assert (await client.post(f"{url}/mediation", headers=admin)).status_code == 200
    for body, field in (({"outcome": "for_respondent", "reason": "Seal broken.", "refund_minor": 1}, "refund_minor"),
                        ({"outcome": "partly", "reason": "Half.", "refund_minor": -1}, "refund_minor"),
                        ({"outcome": "partly", "reason": "Half.", "refund_minor": 10**14 + 1}, "refund_minor"),
                        ({"outcome": "maybe", "reason": "Hm."}, "outcome"),
                        ({"outcome": "partly", "reason": " "}, "reason")):
        refused = await client.post(f"{url}/ruling", json=body, headers=admin)
        assert refused.status_code == 422, refused.text
        assert [e["field"] for e in refused.json()["errors"]] == [field]
    at_cap = await client.post(f"{url}/ruling", json={"outcome": "partly", "reason": "Half.", "refund_minor": 10**14},
                               headers=admin)
    assert at_cap.status_code == 200 and at_cap.json()["refund_owed_minor"] == 10**14


async def test_who_may_do_what(client, shop, sara, customer_token, provider_token, staff_token):
    _, customer = await customer_token(shop, sara.customer_id)
    provider = await provider_token(shop, sara.garage.provider_id)
    agent, technician = await staff_token(shop, "agent"), await staff_token(shop, "technician")
    assert (await open_dispute(client, provider, "booking", sara.booking_id)).status_code == 403
    assert (await open_dispute(client, technician, "booking", sara.booking_id)).status_code == 403
    url = f"{URL}/{(await opened(client, customer, 'request', sara.request_id, grounds='other'))['id']}"
    assert (await client.post(f"{url}/answer", json={"statement": "Fine."}, headers=customer)).status_code == 403
    assert (await client.post(f"{url}/mediation", headers=customer)).status_code == 403
    assert (await client.post(f"{url}/answer", json={"statement": "We looked."}, headers=agent)).status_code == 200
    agent_rules = await client.post(f"{url}/ruling", json={"outcome": "partly", "reason": "x"}, headers=agent)
    assert agent_rules.status_code == 403, "customer service rules, agents mediate"
    assert (await client.get(url, headers=technician)).status_code == 403


async def test_a_provider_and_a_customer_reach_only_their_own_disputes(
        runtime, client, shop, sara, customer_token, provider_token, staff_token):
    omid = await parties(runtime, shop, name="Omid Other", serial="490154203237526", number=2)
    _, sara_token = await customer_token(shop, sara.customer_id)
    _, omid_token = await customer_token(shop, omid.customer_id)
    garage = await provider_token(shop, sara.garage.provider_id)
    other_garage = await provider_token(shop, omid.garage.provider_id)
    about_booking = await opened(client, sara_token, "booking", sara.booking_id)
    about_request = await opened(client, sara_token, "request", sara.request_id, grounds="other")
    omids = await opened(client, omid_token, "booking", omid.booking_id)

    assert (await open_dispute(client, sara_token, "booking", omid.booking_id)).status_code == 404
    assert (await open_dispute(client, sara_token, "claim", omid.claim_id, grounds="claim_decision")).status_code == 404
    listed = {d["id"] for d in (await client.get(f"{URL}/", headers=sara_token)).json()["items"]}
    assert listed == {about_booking["id"], about_request["id"]}
    listed = {d["id"] for d in (await client.get(f"{URL}/", headers=garage)).json()["items"]}
    assert listed == {about_booking["id"]}, "a provider sees only disputes about its own bookings"
    assert (await client.get(f"{URL}/{about_request['id']}", headers=garage)).status_code == 404
    assert (await client.get(f"{URL}/{omids['id']}", headers=sara_token)).status_code == 404
    stranger = await client.post(f"{URL}/{about_booking['id']}/answer", json={"statement": "?"}, headers=other_garage)
    assert stranger.status_code == 404
    assert (await client.post(f"{URL}/{omids['id']}/withdrawal", headers=sara_token)).status_code == 404
    staff = {d["id"] for d in (await client.get(f"{URL}/?state=open", headers=await staff_token(shop, "agent"))).json()["items"]}
    assert staff == {about_booking["id"], about_request["id"], omids["id"]}
    bad_state = await client.get(f"{URL}/?state=closed", headers=sara_token)
    assert bad_state.status_code == 422 and bad_state.json()["errors"][0]["field"] == "state"


async def test_another_tenants_tokens_reach_none_of_it(runtime, client, make_tenant, shop, sara, customer_token,
                                                      provider_token, staff_token):
    _, customer = await customer_token(shop, sara.customer_id)
    url = f"{URL}/{(await opened(client, customer, 'booking', sara.booking_id))['id']}"
    other = await make_tenant("carmax-test", vertical="auto_service")
    theirs = await parties(runtime, other)
    admin = await staff_token(other, "admin")
    _, their_customer = await customer_token(other, theirs.customer_id)
    their_provider = await provider_token(other, theirs.garage.provider_id)

    for header in (admin, their_customer):
        assert (await open_dispute(client, header, "booking", sara.booking_id)).status_code == 404
    assert (await client.get(f"{URL}/", headers=admin)).json()["items"] == []
    steps = [("get", url, None, admin), ("get", url, None, their_customer), ("get", url, None, their_provider),
             ("post", f"{url}/answer", {"statement": "x"}, their_provider), ("post", f"{url}/answer", {"statement": "x"}, admin),
             ("post", f"{url}/mediation", None, admin), ("post", f"{url}/notes", {"body": "x"}, admin),
             ("post", f"{url}/settlement", {"terms": "x"}, admin),
             ("post", f"{url}/settlement/answer", {"accept": True}, their_customer),
             ("post", f"{url}/ruling", {"outcome": "partly", "reason": "x"}, admin),
             ("post", f"{url}/withdrawal", None, their_customer), ("post", f"{url}/withdrawal", None, admin)]
    for method, path, body, header in steps:
        answer = await getattr(client, method)(path, headers=header, **({"json": body} if body else {}))
        assert answer.status_code == 404, (method, path, answer.text)
    assert (await client.get(url, headers=customer)).json()["state"] == "open"
    assert await count(runtime, shop, DisputeNote) == 0
