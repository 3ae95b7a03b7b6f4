"""The survey link's page: the link in a follow-up SMS or e-mail opens a page in the tenant's branding and the
customer's language, without signing in; CSAT 1–5 and a comment through the same service as the signed-in page,
once; an unknown, expired or other tenant's token is a 404 page. The JSON route keeps answering integrators."""

from __future__ import annotations

import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import select

from aftersales.db.base import utcnow
from aftersales.identity.models import Customer
from aftersales.outbox.models import OutboxMessage
from aftersales.service.followups.delivery import send_due_followups
from aftersales.service.followups.models import FollowUp
from support.pages import post_form

QUESTION = "Was the problem solved?"


async def _sent_survey(runtime, tenant, *, locale=None, channel="sms"):
    """A follow-up due now, sent by the real job: returns its id and the link path the message carries."""
    now = utcnow()
    async with runtime.db.transaction(tenant.id) as session:
        unique = secrets.randbelow(10**6)
        customer = Customer(name="Link Customer", phone=f"+4930{unique:06d}", email=f"link-{unique}@example.com",
                            locale=locale)
        session.add(customer)
        await session.flush()
        followup = FollowUp(
            customer_id=customer.id, source_event=f"request_closed:link:{customer.id}", event_kind="request_closed",
            event_at=now - timedelta(days=2), plan_name="satisfaction_survey", channel=channel,
            questionnaire=[QUESTION], after={"days": 1}, occurrence=1, due_at=now - timedelta(minutes=1),
            status="scheduled")
        session.add(followup)
        await session.flush()
        followup_id = followup.id
    assert await send_due_followups(runtime, tenant.id, now) == 1
    async with runtime.db.transaction(tenant.id) as session:
        message = await session.scalar(select(OutboxMessage).where(
            OutboxMessage.idempotency_key == f"followup:{followup_id}"))
    link = message.payload["link"]
    assert link in message.body
    parts = urlsplit(link)
    return followup_id, parts.path + (f"?{parts.query}" if parts.query else "")


async def _followup(runtime, tenant, followup_id):
    async with runtime.db.transaction(tenant.id) as session:
        return await session.scalar(select(FollowUp).where(FollowUp.id == followup_id))


def _address(path):
    return path.split("?")[0]


async def test_the_message_link_opens_the_page_in_english_and_takes_the_answer(pages, runtime, make_tenant):
    tenant = await make_tenant("acme", locales=["en", "fa"])
    followup_id, path = await _sent_survey(runtime, tenant, locale="en")
    assert path.startswith("/t/acme/surveys/") and path.endswith("?lang=en")
    shown = await pages.get(path)
    assert shown.status_code == 200 and 'dir="ltr"' in shown.text
    assert QUESTION in shown.text and "How did we do?" in shown.text and 'name="_csrf_token"' in shown.text
    assert f'action="{_address(path)}"' in shown.text
    assert shown.headers["referrer-policy"] == "no-referrer"
    done = await post_form(pages, _address(path), {"csat": "5", "comment": "Quick and kind."})
    assert done.status_code == 303 and done.headers["location"] == _address(path)
    answered = await _followup(runtime, tenant, followup_id)
    assert (answered.status, answered.csat, answered.comment) == ("answered", 5, "Quick and kind.")
    assert answered.answered_by == f"customer:{answered.customer_id}"
    thanks = await pages.get(done.headers["location"])
    assert "Thank you for your answer" in thanks.text and "Quick and kind." in thanks.text
    assert 'name="csat"' not in thanks.text


async def test_the_page_is_persian_right_to_left_with_persian_digits(pages, runtime, make_tenant):
    tenant = await make_tenant("acme", locales=["en", "fa"])
    _, path = await _sent_survey(runtime, tenant, locale="fa")
    assert path.endswith("?lang=fa")
    shown = await pages.get(path)
    assert shown.status_code == 200 and 'lang="fa" dir="rtl"' in shown.text
    assert "کار ما چطور بود؟" in shown.text and "ارسال پاسخ" in shown.text and "How did we do?" not in shown.text
    for digit in "۱۲۳۴۵":
        assert f"<span>{digit}</span>" in shown.text
    refused = await post_form(pages, _address(path), {"csat": "0"})
    assert refused.status_code == 422 and 'dir="rtl"' in refused.text  # the language stays (cookie from ?lang=)


async def test_scores_1_and_5_are_recorded_0_and_6_refused_with_the_reason(pages, runtime, make_tenant):
    tenant = await make_tenant("acme")
    for score in ("0", "6", "", "x"):
        followup_id, path = await _sent_survey(runtime, tenant, channel="email")
        page = await post_form(pages, _address(path), {"csat": score, "comment": "kept"})
        assert page.status_code == 422 and 'id="csat-error"' in page.text
        assert "Choose a score from 1 to 5." in page.text and ">kept</textarea>" in page.text
        assert (await _followup(runtime, tenant, followup_id)).status == "sent"
    for score in ("5", "1"):  # 1 last: a score that low puts a call back on the list, which the next job would send
        followup_id, path = await _sent_survey(runtime, tenant)
        assert (await post_form(pages, _address(path), {"csat": score})).status_code == 303
        assert (await _followup(runtime, tenant, followup_id)).csat == int(score)


async def test_too_long_a_comment_is_refused(pages, runtime, make_tenant):
    from aftersales.service.followups.services import MAX_COMMENT

    tenant = await make_tenant("acme")
    followup_id, path = await _sent_survey(runtime, tenant)
    page = await post_form(pages, _address(path), {"csat": "4", "comment": "a" * (MAX_COMMENT + 1)})
    assert page.status_code == 422 and 'id="comment-error"' in page.text
    assert (await _followup(runtime, tenant, followup_id)).status == "sent"
    assert (await post_form(pages, _address(path), {"csat": "4", "comment": "a" * MAX_COMMENT})).status_code == 303


async def test_a_second_answer_is_refused_with_a_clear_message(pages, runtime, make_tenant):
    tenant = await make_tenant("acme")
    followup_id, path = await _sent_survey(runtime, tenant)
    assert (await post_form(pages, _address(path), {"csat": "4", "comment": "Good"})).status_code == 303
    again = await post_form(pages, _address(path), {"csat": "1", "comment": "Changed my mind"})
    assert again.status_code == 409
    assert "This survey was answered already; the answer given first is kept." in again.text
    assert "Thank you for your answer" in again.text and 'name="csat"' not in again.text
    assert ((await _followup(runtime, tenant, followup_id)).csat,
            (await _followup(runtime, tenant, followup_id)).comment) == (4, "Good")


async def test_a_form_without_the_csrf_token_is_refused(pages, runtime, make_tenant):
    tenant = await make_tenant("acme")
    followup_id, path = await _sent_survey(runtime, tenant)
    assert (await pages.post(_address(path), data={"csat": "5"})).status_code == 403
    assert (await _followup(runtime, tenant, followup_id)).status == "sent"


async def test_unknown_and_expired_tokens_are_a_404_page(pages, runtime, make_tenant):
    tenant = await make_tenant("acme")
    followup_id, path = await _sent_survey(runtime, tenant)
    unknown = await pages.get(_address(path) + "x")
    assert unknown.status_code == 404 and unknown.headers["content-type"].startswith("text/html")
    assert (await post_form(pages, _address(path) + "x", {"csat": "5"})).status_code == 404
    async with runtime.db.transaction(tenant.id) as session:
        (await session.scalar(select(FollowUp).where(FollowUp.id == followup_id))).status = "cancelled"
    assert (await pages.get(path)).status_code == 404
    assert (await post_form(pages, _address(path), {"csat": "5"})).status_code == 404
    assert (await _followup(runtime, tenant, followup_id)).csat is None


async def test_another_tenant_s_token_on_this_tenant_s_address_is_not_found(pages, runtime, make_tenant):
    alpha = await make_tenant("alpha")
    await make_tenant("bravo")
    followup_id, path = await _sent_survey(runtime, alpha)
    foreign = _address(path).replace("/t/alpha/", "/t/bravo/")
    page = await pages.get(foreign)
    assert page.status_code == 404 and QUESTION not in page.text
    assert (await post_form(pages, foreign, {"csat": "5"})).status_code == 404
    assert (await _followup(runtime, alpha, followup_id)).status == "sent"


async def test_the_json_route_still_answers_integrators_with_the_same_token(pages, runtime, make_tenant):
    tenant = await make_tenant("acme")
    followup_id, path = await _sent_survey(runtime, tenant)
    token = _address(path).rsplit("/", 1)[1]
    shown = await pages.get(f"/api/v1/public/acme/surveys/{token}")
    assert shown.status_code == 200 and shown.json()["questions"] == [QUESTION]
    assert (await pages.post(f"/api/v1/public/acme/surveys/{token}", json={"csat": 3})).status_code == 200
    assert (await _followup(runtime, tenant, followup_id)).csat == 3
    page = await pages.get(path)
    assert "Thank you for your answer" in page.text
