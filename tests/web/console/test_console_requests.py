"""The console's request queue and request page: SLA states as colour and words, filters (HTMX and plain GET),
most-urgent-first order, paging, and each action the API offers, with refusals shown beside the form and nothing
written; other tenants' staff and provider users see nothing of it."""

from __future__ import annotations

import re
import uuid
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from aftersales.db.base import utcnow
from aftersales.demo.console import EXAMPLES, QueueExample, open_example
from aftersales.i18n.formatting import LocaleFormat
from aftersales.service.models import RequestEvent, ServiceRequest
from aftersales.tenancy.current import bind_tenant
from aftersales.tenancy.models import Tenant
from aftersales.web.i18n.moments import Moments
from support.pages import post_form

QUEUE = "/t/acme/console/requests"


async def _bound(runtime, tenant):
    async with runtime.db.platform_session() as s:
        record = await s.scalar(select(Tenant).where(Tenant.id == tenant.id))
    return bind_tenant(record, runtime.plugins)


async def _open(runtime, tenant, *examples: QueueExample) -> list[ServiceRequest]:
    current = await _bound(runtime, tenant)
    async with runtime.db.transaction(tenant.id) as session:
        return [await open_example(session, current, e, now=utcnow(), email_domain=f"{tenant.slug}.example")
                for e in examples]


def _numbers(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'data-request="(\d+)"', html)]


def _sla_of_rows(html: str) -> list[str]:
    return re.findall(r'<tr data-request="\d+" data-sla="([a-z_]+)"', html)


async def _events(runtime, tenant, request_id) -> list[str]:
    async with runtime.db.transaction(tenant.id) as s:
        return list(await s.scalars(select(RequestEvent.kind).where(RequestEvent.request_id == request_id)
                                    .order_by(RequestEvent.occurred_at, RequestEvent.id)))


async def test_queue_puts_breached_first_and_says_each_state_in_words(pages, runtime, make_tenant, sign_in_staff):
    tenant = await make_tenant("acme")
    on_track, paused, at_risk, breached = EXAMPLES[3], EXAMPLES[2], EXAMPLES[1], EXAMPLES[0]
    opened = await _open(runtime, tenant, on_track, paused, at_risk, breached)
    await sign_in_staff(pages, tenant, "agent")
    page = await pages.get(QUEUE)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert _sla_of_rows(page.text) == ["breached", "at_risk", "on_track", "paused"]
    assert _numbers(page.text) == [opened[3].number, opened[2].number, opened[0].number, opened[1].number]
    for words in ("Breached", "At risk", "On track", "Paused"):
        assert f">{words}</span>" in page.text  # colour is never the only sign
    assert 'class="badge bad"' in page.text and 'class="badge warn"' in page.text
    assert "Demo Customer Breached" in page.text and "Unassigned" in page.text


async def test_sla_filter_narrows_to_breached_or_at_risk_and_htmx_gets_only_the_rows(pages, runtime, make_tenant,
                                                                                       sign_in_staff):
    tenant = await make_tenant("acme")
    await _open(runtime, tenant, *EXAMPLES)
    await sign_in_staff(pages, tenant, "agent")
    breached = await pages.get(QUEUE, params={"sla": "breached"})
    assert _sla_of_rows(breached.text) == ["breached"]
    attention = await pages.get(QUEUE, params={"sla": "attention"}, headers={"HX-Request": "true"})
    assert _sla_of_rows(attention.text) == ["breached", "at_risk"]
    assert "<html" not in attention.text and 'id="q"' not in attention.text
    assert attention.headers["vary"] == "HX-Request"
    paused = await pages.get(QUEUE, params={"sla": "paused"})
    assert _sla_of_rows(paused.text) == ["paused"]


async def test_search_finds_by_number_and_customer_and_unknown_filter_is_refused(pages, runtime, make_tenant,
                                                                                  sign_in_staff):
    tenant = await make_tenant("acme")
    opened = await _open(runtime, tenant, *EXAMPLES)
    await sign_in_staff(pages, tenant, "agent")
    by_number = await pages.get(QUEUE, params={"q": f"#{opened[2].number}"})
    assert _numbers(by_number.text) == [opened[2].number]
    by_name = await pages.get(QUEUE, params={"q": "customer ontrack"})
    assert _numbers(by_name.text) == [opened[3].number]
    nothing = await pages.get(QUEUE, params={"q": "nobody-like-this"})
    assert _numbers(nothing.text) == [] and "No request matches these filters." in nothing.text
    bad = await pages.get(QUEUE, params={"sla": "purple"})
    assert bad.status_code == 422 and 'id="sla-error"' in bad.text and "Not one of the choices." in bad.text


async def test_queue_pages_by_25(pages, runtime, make_tenant, sign_in_staff):
    tenant = await make_tenant("acme")
    await _open(runtime, tenant, *[EXAMPLES[3]] * 26)
    await sign_in_staff(pages, tenant, "agent")
    first = await pages.get(QUEUE)
    assert len(_numbers(first.text)) == 25 and "Page 1 of 2" in first.text and 'rel="next"' in first.text
    second = await pages.get(QUEUE, params={"page": "2"})
    assert len(_numbers(second.text)) == 1 and 'rel="prev"' in second.text
    assert not set(_numbers(first.text)) & set(_numbers(second.text))


async def test_request_page_shows_promises_due_in_the_tenants_time_zone(pages, runtime, make_tenant, sign_in_staff):
    tenant = await make_tenant("acme", time_zone="Asia/Tehran")
    (request,) = await _open(runtime, tenant, EXAMPLES[1])
    await sign_in_staff(pages, tenant, "agent")
    page = await pages.get(f"/t/acme/console/requests/{request.id}")
    assert page.status_code == 200
    async with runtime.db.transaction(tenant.id) as s:
        result = await s.scalar(select(ServiceRequest).where(ServiceRequest.id == request.id))
    tehran = Moments(LocaleFormat("en"), ZoneInfo("Asia/Tehran")).when(result.promised_at)
    utc = Moments(LocaleFormat("en"), ZoneInfo("UTC")).when(result.promised_at)
    assert tehran in page.text and utc not in page.text
    assert 'data-clock="result" data-sla="at_risk"' in page.text
    assert "Demo queue: the battery drains in an hour" in page.text


async def test_agent_assigns_to_self_notes_and_moves_along_and_the_timeline_tells_it(pages, runtime, make_tenant,
                                                                                      sign_in_staff):
    tenant = await make_tenant("acme")
    (request,) = await _open(runtime, tenant, EXAMPLES[0])
    await sign_in_staff(pages, tenant, "agent")
    url = f"/t/acme/console/requests/{request.id}"
    assigned = await post_form(pages, f"{url}/assign", {"assignee_id": "me"})
    assert assigned.status_code == 303 and assigned.headers["location"] == url
    noted = await post_form(pages, f"{url}/notes", {"note": "customer prefers a call after 5"})
    assert noted.status_code == 303
    moved = await post_form(pages, f"{url}/move", {"to": "diagnosing", "note": "on the bench"})
    assert moved.status_code == 303
    page = await pages.get(url)
    assert 'data-state="diagnosing"' in page.text and "Page Staff" in page.text
    assert "customer prefers a call after 5" in page.text and 'data-event="note"' in page.text
    assert await _events(runtime, tenant, request.id) == ["opened", "assigned", "note", "moved"]
    queue = await pages.get(QUEUE, params={"assignee": "me"})
    assert _numbers(queue.text) == [request.number]


async def test_refused_move_shows_the_reason_and_writes_nothing(pages, runtime, make_tenant, sign_in_staff):
    tenant = await make_tenant("acme")
    (request,) = await _open(runtime, tenant, EXAMPLES[3])
    await sign_in_staff(pages, tenant, "agent")
    url = f"/t/acme/console/requests/{request.id}"
    refused = await post_form(pages, f"{url}/move", {"to": "returned", "note": "done?"})
    assert refused.status_code == 409
    assert 'data-refused="move"' in refused.text
    assert "A request that is Received cannot become Returned. It can become:" in refused.text
    assert await _events(runtime, tenant, request.id) == ["opened"]
    unknown = await post_form(pages, f"{url}/move", {"to": "teleported"})
    assert unknown.status_code == 422 and 'id="move-to-error"' in unknown.text


async def test_empty_note_is_refused_beside_the_field(pages, runtime, make_tenant, sign_in_staff):
    tenant = await make_tenant("acme")
    (request,) = await _open(runtime, tenant, EXAMPLES[3])
    await sign_in_staff(pages, tenant, "agent")
    refused = await post_form(pages, f"/t/acme/console/requests/{request.id}/notes", {"note": "   "})
    assert refused.status_code == 422 and 'id="note-note-error"' in refused.text
    assert "Write the note first." in refused.text
    assert await _events(runtime, tenant, request.id) == ["opened"]


async def test_hold_pauses_the_promises_and_resume_runs_them_again(pages, runtime, make_tenant, sign_in_staff):
    tenant = await make_tenant("acme")
    (request,) = await _open(runtime, tenant, EXAMPLES[3])
    await sign_in_staff(pages, tenant, "agent")
    url = f"/t/acme/console/requests/{request.id}"
    held = await post_form(pages, f"{url}/holds", {"reason": "waiting_for_customer", "note": "invoice asked"})
    assert held.status_code == 303
    page = await pages.get(url)
    assert 'data-clock="result" data-sla="paused"' in page.text
    again = await post_form(pages, f"{url}/holds", {"reason": "waiting_for_customer"})
    assert again.status_code == 409 and 'data-refused="hold"' in again.text  # a stale page is told why
    hold_id = re.search(r"/holds/([0-9a-f-]{36})/release", page.text).group(1)
    resumed = await post_form(pages, f"{url}/holds/{hold_id}/release")
    assert resumed.status_code == 303
    page = await pages.get(url)
    assert 'data-clock="result" data-sla="on_track"' in page.text
    assert await _events(runtime, tenant, request.id) == ["opened", "held", "released"]


async def test_read_only_staff_see_no_actions_and_cannot_post_them(pages, runtime, make_tenant, sign_in_staff):
    tenant = await make_tenant("acme")
    (request,) = await _open(runtime, tenant, EXAMPLES[3])
    await sign_in_staff(pages, tenant, "finance")
    url = f"/t/acme/console/requests/{request.id}"
    page = await pages.get(url)
    assert page.status_code == 200 and 'data-action="move"' not in page.text
    refused = await post_form(pages, f"{url}/notes", {"note": "hi"})
    assert refused.status_code == 403 and "No access" in refused.text
    assert await _events(runtime, tenant, request.id) == ["opened"]


async def test_signed_out_visitor_is_sent_to_sign_in_and_provider_users_get_403(pages, runtime, make_tenant,
                                                                                 sign_in_staff):
    tenant = await make_tenant("acme")
    signed_out = await pages.get(QUEUE)
    assert signed_out.status_code == 303 and signed_out.headers["location"].startswith("/t/acme/console/sign-in")
    from support.marketplace import add_provider

    setup = await add_provider(runtime, tenant)
    await sign_in_staff(pages, tenant, "provider", provider_id=setup.provider_id)
    assert (await pages.get(QUEUE)).status_code == 403


async def test_another_tenants_staff_see_nothing_of_acmes_requests(pages, runtime, make_tenant, sign_in_staff):
    acme = await make_tenant("acme")
    other = await make_tenant("other")
    (request,) = await _open(runtime, acme, EXAMPLES[0])
    await sign_in_staff(pages, other, "admin")
    theirs = await pages.get("/t/other/console/requests")
    assert theirs.status_code == 200 and _numbers(theirs.text) == []
    assert "Demo Customer Breached" not in theirs.text
    assert (await pages.get(f"/t/other/console/requests/{request.id}")).status_code == 404
    posted = await post_form(pages, f"/t/other/console/requests/{request.id}/notes", {"note": "sneaky"})
    assert posted.status_code == 404
    # B's session cookie is scoped to /t/other: on acme's pages nobody is signed in
    assert (await pages.get(QUEUE)).status_code == 303
    async with runtime.db.transaction(acme.id) as s:
        assert await s.scalar(select(func.count()).select_from(RequestEvent)
                              .where(RequestEvent.request_id == request.id)) == 1
    assert uuid.UUID(str(request.id))
