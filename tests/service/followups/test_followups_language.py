"""A follow-up's questions reach the customer in the customer's language: the vertical's questions are messages,
rendered from its catalogue for the customer's locale in the SMS, with their ids in the payload for integrators;
a customer with no language gets the tenant's default."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from aftersales.contract import messages
from aftersales.contract.hookspecs import hookimpl
from aftersales.contract.values import FollowUpPlan, PluginSettings, VerticalInfo
from aftersales.identity.customers import CustomerDetails
from aftersales.identity.models import Customer
from aftersales.outbox.models import OutboxMessage
from aftersales.plugins import build_plugin_registry
from aftersales.service.followups.delivery import send_due_followups
from aftersales.service.requests import services as service
from aftersales.service.states import RequestState
from aftersales.tenancy.current import bind_tenant

_ = messages("aftersales_electronics")  # questions the electronics vertical has catalogued
QUESTIONS = (_("Can you operate the machine independently?"), _("Were you told the service hotline number?"))
CLOSED_AT = datetime(2026, 6, 1, 11, 0, tzinfo=ZoneInfo("Europe/Berlin"))


class Settings(PluginSettings):
    pass


class SurveyingVertical:
    @hookimpl
    def aftersales_vertical_info(self) -> VerticalInfo:
        return VerticalInfo(name="surveying", title="Surveying", version="1.0", description="asks by SMS",
                            settings_schema=Settings)

    @hookimpl
    def aftersales_followups(self, tenant, event):
        if event.kind != "request_closed":
            return []
        return [FollowUpPlan(name="sms_survey", after=timedelta(hours=2), channel="sms", questionnaire=QUESTIONS)]


@pytest.fixture
def plugins():
    return build_plugin_registry(extra_plugins=[("surveying", SurveyingVertical())])


async def survey_sent(runtime, make_tenant, locale: str | None) -> OutboxMessage:
    tenant = bind_tenant(await make_tenant("asks", vertical="surveying", locales=["en", "fa", "zh"],
                                           default_locale="zh"), runtime.plugins)
    async with runtime.db.transaction(tenant.record.id) as session:
        request = await service.open_request(session, tenant, service.NewRequest(
            kind="inquiry", channel="phone", summary="a question",
            customer=CustomerDetails(name="Sara", phone="+49 30 901820")),
            actor="staff:test", now=CLOSED_AT - timedelta(hours=1))
        await session.execute(update(Customer).values(locale=locale))
        await service.move_request(session, tenant, request.id, RequestState.CLOSED, actor="staff:test", note="",
                                   now=CLOSED_AT)
    await send_due_followups(runtime, tenant.record.id, CLOSED_AT + timedelta(hours=2))
    async with runtime.db.transaction(tenant.record.id) as session:
        return await session.scalar(select(OutboxMessage).where(OutboxMessage.channel == "sms"))


async def test_the_sms_asks_a_persian_customer_in_persian(runtime, make_tenant):
    message = await survey_sent(runtime, make_tenant, "fa")
    assert ("1. آیا می‌توانید دستگاه را به‌تنهایی راه‌اندازی و کار کنید؟\n"
            "2. آیا شمارهٔ تلفن پشتیبانی به شما گفته شد؟") in message.body
    assert message.payload["questions"][0] == "آیا می‌توانید دستگاه را به‌تنهایی راه‌اندازی و کار کنید؟"
    assert message.payload["question_messages"][0] == {
        "id": "Can you operate the machine independently?", "domain": "aftersales_electronics", "params": {}}


async def test_a_customer_without_a_language_is_asked_in_the_tenants_default(runtime, make_tenant):
    message = await survey_sent(runtime, make_tenant, None)
    assert "1. 您能独立操作设备吗？" in message.body
