"""My complaints (filed on the portal through the same service as the API, answered with the cause and an
apology) and my surveys (answered once with a CSAT score 1–5 and a comment, as through the survey link).
Nobody sees another customer's complaints or surveys."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from aftersales.db.base import utcnow
from aftersales.service.complaints import services as complaint_service
from aftersales.service.followups.models import FollowUp
from aftersales.service.models import Complaint, ServiceRequest
from aftersales.tenancy.current import bind_tenant
from aftersales.tenancy.models import Tenant
from support.pages import post_form


async def _current(runtime, tenant):
    async with runtime.db.platform_session() as s:
        record = await s.scalar(select(Tenant).where(Tenant.id == tenant.id))
    return bind_tenant(record, runtime.plugins)


async def _complaints(runtime, tenant):
    async with runtime.db.transaction(tenant.id) as session:
        return list((await session.execute(select(Complaint, ServiceRequest).join(
            ServiceRequest, ServiceRequest.id == Complaint.request_id))).all())


async def test_file_a_complaint_and_see_it_waiting_then_answered(pages, runtime, make_tenant, sign_in_customer):
    tenant = await make_tenant("acme")
    customer_id = await sign_in_customer(pages, tenant)
    done = await post_form(pages, "/t/acme/my/complaints/new",
                           {"subject": "handling_time", "summary": "Three weeks and still no phone."})
    assert done.status_code == 303 and done.headers["location"] == "/t/acme/my/complaints"
    ((complaint, filed),) = await _complaints(runtime, tenant)
    assert (filed.customer_id, filed.channel, complaint.subject) == (customer_id, "portal", "handling_time")
    assert complaint.escalated_at is not None  # handling time goes to management at once
    waiting = await pages.get("/t/acme/my/complaints")
    assert "Three weeks and still no phone." in waiting.text and "Waiting for our answer" in waiting.text
    async with runtime.db.transaction(tenant.id) as session:
        await complaint_service.answer_complaint(
            session, await _current(runtime, tenant), complaint.id, cause="A part was back-ordered.",
            apology="We are sorry for the wait.", channel="email", actor="staff:x", now=utcnow())
    answered = await pages.get("/t/acme/my/complaints")
    assert "A part was back-ordered." in answered.text and "We are sorry for the wait." in answered.text


async def test_store_violation_needs_the_store_and_nothing_is_filed_without_it(pages, runtime, make_tenant,
                                                                              sign_in_customer):
    tenant = await make_tenant("acme")
    await sign_in_customer(pages, tenant)
    page = await post_form(pages, "/t/acme/my/complaints/new",
                           {"subject": "store_violation", "summary": "The pro-forma was wrong."})
    assert page.status_code == 422 and 'id="contractor-error"' in page.text and "Name the store." in page.text
    assert "The pro-forma was wrong." in page.text  # what was written is kept
    assert await _complaints(runtime, tenant) == []
    named = await post_form(pages, "/t/acme/my/complaints/new", {
        "subject": "store_violation", "summary": "The pro-forma was wrong.", "contractor": "Shop 12"})
    assert named.status_code == 303


async def test_complaint_without_subject_or_text_names_both_fields(pages, runtime, make_tenant, sign_in_customer):
    tenant = await make_tenant("acme")
    await sign_in_customer(pages, tenant)
    page = await post_form(pages, "/t/acme/my/complaints/new", {"subject": "", "summary": " "})
    assert page.status_code == 422
    assert 'id="subject-error"' in page.text and 'id="summary-error"' in page.text
    assert await _complaints(runtime, tenant) == []


async def test_another_customers_complaints_are_not_listed(pages, runtime, make_tenant, sign_in_customer):
    tenant = await make_tenant("acme")
    await sign_in_customer(pages, tenant)
    await post_form(pages, "/t/acme/my/complaints/new", {"subject": "cost", "summary": "Too expensive."})
    await sign_in_customer(pages, tenant)
    page = await pages.get("/t/acme/my/complaints")
    assert "Too expensive." not in page.text and "You have made no complaints." in page.text


async def _survey(runtime, tenant, customer_id, *, channel="sms", status="sent"):
    async with runtime.db.transaction(tenant.id) as session:
        now = utcnow()
        followup = FollowUp(
            customer_id=customer_id, source_event=f"request_closed:customer:{customer_id}:{channel}",
            event_kind="request_closed", event_at=now - timedelta(days=2), plan_name="satisfaction_survey",
            channel=channel, questionnaire=["Was the problem solved?"], after={"days": 1}, occurrence=1,
            due_at=now - timedelta(days=1), status=status, sent_at=now - timedelta(days=1))
        session.add(followup)
        await session.flush()
        return followup.id


async def _followup(runtime, tenant, followup_id):
    async with runtime.db.transaction(tenant.id) as session:
        return await session.scalar(select(FollowUp).where(FollowUp.id == followup_id))


async def test_answer_a_survey_with_a_score_and_a_comment(pages, runtime, make_tenant, sign_in_customer):
    tenant = await make_tenant("acme")
    customer_id = await sign_in_customer(pages, tenant)
    survey_id = await _survey(runtime, tenant, customer_id)
    listed = await pages.get("/t/acme/my/surveys")
    assert f'data-survey="{survey_id}"' in listed.text and "Waiting for your answer" in listed.text
    form = await pages.get(f"/t/acme/my/surveys/{survey_id}")
    assert "Was the problem solved?" in form.text
    done = await post_form(pages, f"/t/acme/my/surveys/{survey_id}", {"csat": "5", "comment": "Quick and kind."})
    assert done.status_code == 303
    answered = await _followup(runtime, tenant, survey_id)
    assert (answered.status, answered.csat, answered.comment) == ("answered", 5, "Quick and kind.")
    assert answered.answered_by == f"customer:{customer_id}"
    shown = await pages.get(done.headers["location"])
    assert "Thank you for your answer" in shown.text and "Quick and kind." in shown.text


async def test_scores_1_and_5_are_accepted_0_and_6_refused(pages, runtime, make_tenant, sign_in_customer):
    tenant = await make_tenant("acme")
    customer_id = await sign_in_customer(pages, tenant)
    for score in ("0", "6", ""):
        survey_id = await _survey(runtime, tenant, customer_id, channel="email")
        page = await post_form(pages, f"/t/acme/my/surveys/{survey_id}", {"csat": score})
        assert page.status_code == 422 and 'id="csat-error"' in page.text
        assert (await _followup(runtime, tenant, survey_id)).status == "sent"
        async with runtime.db.transaction(tenant.id) as session:
            await session.delete(await session.get(FollowUp, (tenant.id, survey_id)))
    for score, channel in (("1", "sms"), ("5", "email")):
        survey_id = await _survey(runtime, tenant, customer_id, channel=channel)
        assert (await post_form(pages, f"/t/acme/my/surveys/{survey_id}", {"csat": score})).status_code == 303


async def test_a_survey_is_answered_once(pages, runtime, make_tenant, sign_in_customer):
    tenant = await make_tenant("acme")
    customer_id = await sign_in_customer(pages, tenant)
    survey_id = await _survey(runtime, tenant, customer_id)
    await post_form(pages, f"/t/acme/my/surveys/{survey_id}", {"csat": "4"})
    again = await post_form(pages, f"/t/acme/my/surveys/{survey_id}", {"csat": "1"})
    assert again.status_code == 409 and "Thank you for your answer" in again.text
    assert (await _followup(runtime, tenant, survey_id)).csat == 4


async def test_another_customers_survey_and_an_agents_call_are_not_found(pages, runtime, make_tenant,
                                                                         sign_in_customer):
    tenant = await make_tenant("acme")
    someone = await sign_in_customer(pages, tenant)
    theirs = await _survey(runtime, tenant, someone)
    me = await sign_in_customer(pages, tenant)
    call = await _survey(runtime, tenant, me, channel="call")
    for survey_id in (theirs, call):
        assert (await pages.get(f"/t/acme/my/surveys/{survey_id}")).status_code == 404
        assert (await post_form(pages, f"/t/acme/my/surveys/{survey_id}", {"csat": "5"})).status_code == 404
    assert (await _followup(runtime, tenant, theirs)).status == "sent"
    assert "There are no surveys for you right now." in (await pages.get("/t/acme/my/surveys")).text


async def test_demo_customer_finds_a_survey_to_answer(pages, runtime, make_tenant, sign_in_customer):
    from aftersales.demo.account import seed_demo_account
    from aftersales.identity.models import Customer

    tenant = await make_tenant("acme")
    assert await seed_demo_account(runtime, tenant) is None  # no demo customer yet
    async with runtime.db.transaction(tenant.id) as session:
        customer = Customer(name="Demo Customer", email="customer@acme-demo.com")
        session.add(customer)
        await session.flush()
        customer_id = customer.id
    survey_id = await seed_demo_account(runtime, tenant)
    assert survey_id is not None and await seed_demo_account(runtime, tenant) is None  # once
    await sign_in_customer(pages, tenant, customer_id)
    page = await pages.get(f"/t/acme/my/surveys/{survey_id}")
    assert page.status_code == 200 and "Was your device fixed the first time?" in page.text
