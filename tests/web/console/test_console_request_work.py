"""The request page's quotes and follow-ups: staff quote a repair by the hour with parts from the price list and
see the lines, a bad form is refused beside it with nothing stored; the customer reads the quote on their request
page and accepts it; a follow-up answered on the page is routed to its next step, shown with its reason."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from aftersales.db.base import utcnow
from aftersales.identity.customers import CustomerDetails
from aftersales.service.followups import services as followups
from aftersales.service.quotes.models import PartPrice, ServiceQuote
from aftersales.service.requests import services as service
from aftersales.tenancy.current import bind_tenant
from aftersales.tenancy.models import Tenant
from support.pages import post_form


async def _repair(runtime, tenant):
    async with runtime.db.platform_session() as s:
        current = bind_tenant(await s.scalar(select(Tenant).where(Tenant.id == tenant.id)), runtime.plugins)
    async with runtime.db.transaction(tenant.id) as session:
        session.add_all([PartPrice(code="labour_hour", name="hour", price_minor=60_00, currency="EUR", updated_by="t"),
                         PartPrice(code="FAN", name="cooling fan", price_minor=25_00, currency="EUR", updated_by="t")])
        opened = await service.open_request(session, current, service.NewRequest(
            kind="repair", channel="phone", summary="the unit overheats",
            customer=CustomerDetails(name="Page Customer", email="quoted@example.com")), actor="test", now=utcnow())
    return current, opened


async def _quotes(runtime, tenant):
    async with runtime.db.transaction(tenant.id) as session:
        return list(await session.scalars(select(ServiceQuote)))


async def test_staff_quote_a_repair_and_the_customer_accepts_it_on_their_page(pages, runtime, make_tenant,
                                                                             sign_in_staff, sign_in_customer):
    tenant = await make_tenant("acme")
    _, opened = await _repair(runtime, tenant)
    await sign_in_staff(pages, tenant, "agent")
    url = f"/t/acme/console/requests/{opened.id}"
    bad = await post_form(pages, f"{url}/quotes", {"labour_hours": "two", "parts": "FAN"})
    assert bad.status_code == 422 and "Give the hours as a number" in bad.text
    unknown = await post_form(pages, f"{url}/quotes", {"labour_hours": "2", "parts": "TURBO 1"})
    assert unknown.status_code == 422 and "is not on the tenant&#39;s price list" in unknown.text
    assert await _quotes(runtime, tenant) == []
    offered = await post_form(pages, f"{url}/quotes", {"labour_hours": "1.5", "parts": "FAN 2"})
    assert offered.status_code == 303
    page = (await pages.get(url)).text
    assert 'data-state="offered"' in page and "1.5 h of labour at €60.00 an hour" in page
    assert "€140.00" in page  # 90.00 labour + 2 × 25.00 parts

    await sign_in_customer(pages, tenant, opened.customer_id)
    mine = f"/t/acme/my/requests/{opened.id}"
    shown = (await pages.get(mine)).text
    assert "Accept quote" in shown and "€140.00" in shown
    [quote] = await _quotes(runtime, tenant)
    accepted = await post_form(pages, f"{mine}/quotes/{quote.id}/accept")
    assert accepted.status_code == 303
    [quote] = await _quotes(runtime, tenant)
    assert quote.state == "accepted" and quote.decided_by == f"customer:{opened.customer_id}"
    assert "Accept quote" not in (await pages.get(mine)).text


async def test_another_customer_cannot_see_or_accept_the_quote(pages, runtime, make_tenant, sign_in_staff,
                                                              sign_in_customer):
    tenant = await make_tenant("acme")
    _, opened = await _repair(runtime, tenant)
    await sign_in_staff(pages, tenant, "agent")
    await post_form(pages, f"/t/acme/console/requests/{opened.id}/quotes", {"labour_hours": "1"})
    [quote] = await _quotes(runtime, tenant)
    await sign_in_customer(pages, tenant)
    assert (await pages.get(f"/t/acme/my/requests/{opened.id}")).status_code == 404
    refused = await post_form(pages, f"/t/acme/my/requests/{opened.id}/quotes/{quote.id}/accept")
    assert refused.status_code == 404
    assert (await _quotes(runtime, tenant))[0].state == "offered"


async def test_a_follow_up_answered_on_the_page_is_routed_to_a_call_back(pages, runtime, make_tenant, sign_in_staff):
    tenant = await make_tenant("acme")
    current, opened = await _repair(runtime, tenant)
    async with runtime.db.transaction(tenant.id) as session:
        request = await service.get_request(session, opened.id)
        [survey] = await followups.record_request_event(session, current, request, "request_closed",
                                                        utcnow() - timedelta(hours=2))
    await sign_in_staff(pages, tenant, "agent")
    url = f"/t/acme/console/requests/{opened.id}"
    answered = await post_form(pages, f"{url}/followups/{survey.id}/answers",
                               {"answers": "2\nthe fan is loud", "problem": "it overheats again"})
    assert answered.status_code == 303, answered.text
    page = (await pages.get(url)).text
    assert 'data-routed-to="call_back"' in page and "the customer reported a problem: call them back" in page
    assert 'data-step="call_back" data-status="scheduled"' in page


async def test_another_tenants_staff_cannot_quote_or_answer_on_the_request(pages, runtime, make_tenant,
                                                                           sign_in_staff):
    tenant, other = await make_tenant("acme"), await make_tenant("othercorp")
    current, opened = await _repair(runtime, tenant)
    async with runtime.db.transaction(tenant.id) as session:
        request = await service.get_request(session, opened.id)
        [survey] = await followups.record_request_event(session, current, request, "request_closed", utcnow())
    await sign_in_staff(pages, other, "agent")
    url = f"/t/othercorp/console/requests/{opened.id}"
    assert (await post_form(pages, f"{url}/quotes", {"labour_hours": "1"})).status_code == 404
    answered = await post_form(pages, f"{url}/followups/{survey.id}/answers", {"answers": "5\nfine"})
    assert answered.status_code == 404
    assert await _quotes(runtime, tenant) == []
    async with runtime.db.transaction(tenant.id) as session:
        assert (await followups.get_followup(session, survey.id)).status == "scheduled"


async def test_the_request_page_shows_an_overseas_site(pages, runtime, make_tenant, sign_in_staff):
    tenant = await make_tenant("acme")
    async with runtime.db.platform_session() as s:
        current = bind_tenant(await s.scalar(select(Tenant).where(Tenant.id == tenant.id)), runtime.plugins)
    async with runtime.db.transaction(tenant.id) as session:
        opened = await service.open_request(session, current, service.NewRequest(
            kind="complaint", channel="email", summary="nobody came", site_country="am", site_latitude=40.18,
            site_longitude=44.5, customer=CustomerDetails(name="Ararat Metal", email="ararat@example.com")),
            actor="test", now=utcnow())
    await sign_in_staff(pages, tenant, "agent")
    page = (await pages.get(f"/t/acme/console/requests/{opened.id}")).text
    assert "<span data-site-country>AM</span>" in page and "40.18, 44.5" in page


async def test_the_customer_reads_the_quote_lines_in_their_language(pages, runtime, make_tenant, sign_in_staff,
                                                                    sign_in_customer):
    """The lines are stored as message ids: a Persian reader gets the labour line in Persian, digits too."""
    tenant = await make_tenant("acme", locales=["en", "fa"])
    _, opened = await _repair(runtime, tenant)
    await sign_in_staff(pages, tenant, "agent")
    offered = await post_form(pages, f"/t/acme/console/requests/{opened.id}/quotes", {"labour_hours": "1.5"})
    assert offered.status_code == 303
    await sign_in_customer(pages, tenant, opened.customer_id)
    mine = f"/t/acme/my/requests/{opened.id}"
    english = (await pages.get(mine)).text
    assert "1.5 h of labour at €60.00 an hour" in english, re.findall(r"<bdi>([^<]*labour[^<]*)</bdi>", english)
    persian = (await pages.get(f"{mine}?lang=fa")).text
    assert "h of labour" not in persian
    assert "۱٫۵" in persian and "ساعت دستمزد" in persian
