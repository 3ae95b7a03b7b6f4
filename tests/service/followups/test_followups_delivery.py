"""Sending follow-ups: the job sends what is due, once; an SMS or e-mail carries the questions and the answer link;
the customer answers through it (CSAT 1–5, once); a repeated plan stops at its count; two workers on PostgreSQL
send each occurrence once. The plans come from a third-party vertical that surveys by text, as a plugin would."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from aftersales.contract.hookspecs import hookimpl
from aftersales.contract.values import FollowUpPlan, PluginSettings, VerticalInfo
from aftersales.identity.customers import CustomerDetails
from aftersales.outbox.models import OutboxMessage
from aftersales.plugins import build_plugin_registry
from aftersales.service.followups.delivery import send_due_followups
from aftersales.service.followups.models import FollowUp
from aftersales.service.requests import services as service
from aftersales.service.states import RequestState
from aftersales.tenancy.current import bind_tenant

BERLIN = ZoneInfo("Europe/Berlin")
CLOSED_AT = datetime(2026, 6, 1, 11, 0, tzinfo=BERLIN)
TEXT_QUESTIONS = ("How would you rate our service from 1 to 5?", "What could we do better?")


class TextingSettings(PluginSettings):
    pass


class TextingVertical:
    """A vertical that surveys by SMS after a closed request and checks by e-mail weekly after a repair."""

    @hookimpl
    def aftersales_vertical_info(self) -> VerticalInfo:
        return VerticalInfo(name="texting", title="Texting", version="1.0", description="surveys by text",
                            settings_schema=TextingSettings)

    @hookimpl
    def aftersales_followups(self, tenant, event):
        if event.kind == "request_closed":
            return [FollowUpPlan(name="text_survey", after=timedelta(hours=2), channel="sms",
                                 questionnaire=TEXT_QUESTIONS)]
        if event.kind == "repaired":
            return [FollowUpPlan(name="weekly_check", after=timedelta(days=1), channel="email",
                                 questionnaire=("Still working?",), repeat_every=timedelta(weeks=1), repeat_count=3)]
        return []


@pytest.fixture
def plugins():
    """Installed plugins plus the texting vertical, as a deployment with a third-party vertical would have."""
    return build_plugin_registry(extra_plugins=[("texting", TextingVertical())])


async def closed_request(runtime, tenant, customer: CustomerDetails, *, kind="inquiry", states=("closed",)):
    async with runtime.db.transaction(tenant.record.id) as session:
        request = await service.open_request(session, tenant, service.NewRequest(
            kind=kind, channel="phone", summary="a question", customer=customer), actor="staff:test",
            now=CLOSED_AT - timedelta(hours=1))
        for state in states:
            await service.move_request(session, tenant, request.id, RequestState(state), actor="staff:test", note="",
                                       now=CLOSED_AT)
        return request.id


async def texting_tenant(runtime, make_tenant, slug="texto"):
    return bind_tenant(await make_tenant(slug, vertical="texting"), runtime.plugins)


async def rows(runtime, tenant, model, *where):
    async with runtime.db.transaction(tenant.record.id) as session:
        return list(await session.scalars(select(model).where(*where).order_by(model.created_at, model.id)))


def api_path(link: str) -> str:
    """The JSON route integrators answer at, with the token of the message's link (which opens the page)."""
    slug, token = re.fullmatch(r"http://testserver\.local/t/([^/]+)/surveys/([^/?]+)", link).groups()
    return f"/api/v1/public/{slug}/surveys/{token}"


SARA = CustomerDetails(name="Sara Example", phone="+49 30 901820", email="sara@example.com")


async def test_the_job_sends_due_followups_only_and_once(runtime, make_tenant):
    texto = await texting_tenant(runtime, make_tenant)
    await closed_request(runtime, texto, SARA)
    send = lambda hours: send_due_followups(runtime, texto.record.id, CLOSED_AT + timedelta(hours=hours))
    assert [await send(h) for h in (0.5, 1, 1.5, 2, 2, 30)] == [0, 1, 0, 1, 0, 0]
    survey, text = sorted(await rows(runtime, texto, FollowUp), key=lambda f: f.due_at)
    assert (survey.plan_name, survey.status, survey.sent_at) == ("satisfaction_survey", "sent",
                                                                 CLOSED_AT + timedelta(hours=1))
    assert (text.plan_name, text.status, text.sent_at) == ("text_survey", "sent", CLOSED_AT + timedelta(hours=2))
    [message] = await rows(runtime, texto, OutboxMessage)
    assert (message.channel, message.recipient, message.event, message.idempotency_key) == (
        "sms", "+4930901820", "followup.survey", f"followup:{text.id}")
    link = message.payload["link"]
    assert link.startswith("http://testserver.local/t/texto/surveys/")  # the survey link's page
    assert "1. How would you rate our service from 1 to 5?\n2. What could we do better?" in message.body
    assert link in message.body


async def test_the_customer_answers_through_the_link_once_with_a_score_from_1_to_5(runtime, client, make_tenant):
    texto = await texting_tenant(runtime, make_tenant)
    await closed_request(runtime, texto, SARA)
    await send_due_followups(runtime, texto.record.id, CLOSED_AT + timedelta(hours=2))
    [message] = await rows(runtime, texto, OutboxMessage)
    path = api_path(message.payload["link"])
    shown = await client.get(path)
    assert shown.status_code == 200
    assert shown.json() == {"company": "Texto", "questions": list(TEXT_QUESTIONS), "answered": False}
    for score in (0, 6):
        refused = await client.post(path, json={"csat": score, "comment": "meh"})
        assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "csat"
    assert (await client.post(path, json={"comment": "no score"})).status_code == 400
    answered = await client.post(path, json={"csat": 5, "comment": "Quick and friendly",
                                             "answers": ["5", "Nothing"]})
    assert answered.status_code == 200 and answered.json()["answered"] is True
    again = await client.post(path, json={"csat": 1, "comment": "changed my mind"})
    assert again.status_code == 409
    [text] = await rows(runtime, texto, FollowUp, FollowUp.plan_name == "text_survey")
    assert (text.status, text.csat, text.comment, text.answers) == ("answered", 5, "Quick and friendly", ["5", "Nothing"])
    assert text.answered_by == f"customer:{text.customer_id}"
    assert (await client.post(path.replace("/surveys/", "/surveys/x"), json={"csat": 3})).status_code == 404


async def test_a_problem_reported_through_the_link_opens_a_linked_request(runtime, client, make_tenant):
    texto = await texting_tenant(runtime, make_tenant)
    first = await closed_request(runtime, texto, SARA)
    await send_due_followups(runtime, texto.record.id, CLOSED_AT + timedelta(hours=2))
    [message] = await rows(runtime, texto, OutboxMessage)
    path = api_path(message.payload["link"])
    blank = await client.post(path, json={"csat": 2, "problem": {"summary": "  "}})
    assert blank.status_code == 422 and blank.json()["errors"][0]["field"] == "problem.summary"
    assert (await client.post(path, json={"csat": 2, "problem": {"summary": "The answer did not help"}})).status_code == 200
    [text] = await rows(runtime, texto, FollowUp, FollowUp.plan_name == "text_survey", FollowUp.step.is_(None))
    async with runtime.db.transaction(texto.record.id) as session:
        opened = await service.get_request(session, text.problem_request_id)
        source = await service.get_request(session, first)
        notes = [e.note for e in await service.timeline(session, first)]
    assert (opened.kind, opened.channel, opened.customer_id, opened.state) == (
        "inquiry", "portal", source.customer_id, "received")
    assert opened.summary.startswith("The answer did not help")
    assert notes[-2:] == [f"the text survey follow-up found a problem: request #{opened.number} opened",
                          ("the text survey follow-up was routed to a call back: the customer reported a problem: "
                           "call them back")]


async def test_an_sms_survey_goes_by_e_mail_to_a_customer_without_a_phone(runtime, make_tenant):
    texto = await texting_tenant(runtime, make_tenant)
    await closed_request(runtime, texto, CustomerDetails(name="Mail Only", email="mail.only@example.com"))
    assert await send_due_followups(runtime, texto.record.id, CLOSED_AT + timedelta(hours=2)) == 2
    [message] = await rows(runtime, texto, OutboxMessage)
    assert (message.channel, message.recipient) == ("email", "mail.only@example.com")
    [text] = await rows(runtime, texto, FollowUp, FollowUp.plan_name == "text_survey")
    assert (text.status, text.status_reason) == ("sent", "sent by email: the customer has no phone number")


async def test_a_plan_repeated_three_times_is_sent_three_times(runtime, make_tenant):
    texto = await texting_tenant(runtime, make_tenant)
    await closed_request(runtime, texto, SARA, kind="repair", states=("in_repair", "ready"))
    sent = [await send_due_followups(runtime, texto.record.id, CLOSED_AT + timedelta(days=day)) for day in range(30)]
    assert sent == [0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1] + [0] * 14
    checks = await rows(runtime, texto, FollowUp, FollowUp.plan_name == "weekly_check")
    assert [(c.occurrence, c.due_at) for c in checks] == [
        (n, CLOSED_AT + timedelta(days=1, weeks=n - 1)) for n in (1, 2, 3)]
    messages = await rows(runtime, texto, OutboxMessage)
    assert [m.idempotency_key for m in messages] == [f"followup:{c.id}" for c in checks]


@pytest.mark.postgres_only
async def test_two_workers_send_each_followup_once(runtime, make_tenant):
    texto = await texting_tenant(runtime, make_tenant)
    for n in range(12):
        await closed_request(runtime, texto, CustomerDetails(name=f"Customer {n}", phone=f"+49 30 9018{n:02d}"))
    now = CLOSED_AT + timedelta(hours=3)
    counts = await asyncio.gather(*(send_due_followups(runtime, texto.record.id, now) for _ in range(2)))
    assert sum(counts) == 24  # 12 portal surveys and 12 text surveys
    assert len(await rows(runtime, texto, OutboxMessage)) == 12
    assert await send_due_followups(runtime, texto.record.id, now) == 0


async def test_another_tenant_s_survey_link_is_not_found(runtime, client, make_tenant):
    texto = await texting_tenant(runtime, make_tenant)
    await texting_tenant(runtime, make_tenant, slug="other")
    await closed_request(runtime, texto, SARA)
    await send_due_followups(runtime, texto.record.id, CLOSED_AT + timedelta(hours=2))
    [message] = await rows(runtime, texto, OutboxMessage)
    foreign = api_path(message.payload["link"]).replace("/texto/", "/other/")
    assert (await client.get(foreign)).status_code == 404
    assert (await client.post(foreign, json={"csat": 5})).status_code == 404
    [text] = await rows(runtime, texto, FollowUp, FollowUp.plan_name == "text_survey")
    assert text.status == "sent"
