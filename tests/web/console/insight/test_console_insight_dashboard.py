"""The console dashboard (``/console/``): the numbers a manager sees, in their language and digits, and who may
see them (staff who read requests, of this tenant only)."""

from __future__ import annotations

import re
from datetime import timedelta

from aftersales.db.base import utcnow
from aftersales.identity.customers import CustomerDetails
from aftersales.service import metrics
from aftersales.service.clocks.services import clocks_of
from aftersales.service.requests import services as service
from aftersales.tenancy.current import bind_tenant
from aftersales.web.page_auth import SESSION_COOKIE

BILINGUAL = {"locales": ["fa", "en"], "default_locale": "fa"}


async def kept_and_breached(runtime, tenant):
    """Two inquiries opened three weeks ago: one contacted exactly at its due time, one a second later.
    Returns the index of the week their clocks were decided in."""
    current = bind_tenant(tenant, runtime.plugins)
    opened = utcnow() - timedelta(weeks=3)
    async with runtime.db.transaction(tenant.id) as session:
        ids = []
        for _ in range(2):
            new = service.NewRequest(kind="inquiry", channel="phone", summary="how do I pair it?",
                                     customer=CustomerDetails(name="Ana", phone="+49 30 1234568"))
            ids.append((await service.open_request(session, current, new, actor="staff:test", now=opened)).id)
        (clock,) = await clocks_of(session, ids[0])
        due = clock.due_at
        await service.record_milestone(session, current, ids[0], "contacted", actor="staff:test", note="", now=due)
        await service.record_milestone(session, current, ids[1], "contacted", actor="staff:test", note="",
                                       now=due + timedelta(seconds=1))
    span = metrics.weeks(current, utcnow())
    return next(i for i, week in enumerate(span) if week.start <= due < week.end)


def cell(html: str, **attributes: str) -> str:
    """The opening tag of the table cell with ``attributes`` (data-…)."""
    pattern = "".join(f'(?=[^>]*data-{name}="{re.escape(str(value))}")' for name, value in attributes.items())
    match = re.search(f"<td{pattern}[^>]*>", html)
    assert match, f"no cell with {attributes}"
    return match.group(0)


async def test_the_dashboard_shows_promises_kept_to_the_second(runtime, make_tenant, pages, sign_in_staff):
    tenant = await make_tenant("acme")
    week = await kept_and_breached(runtime, tenant)
    await sign_in_staff(pages, tenant, "agent")
    response = await pages.get("/t/acme/console/")
    assert response.status_code == 200
    html = response.text
    assert 'data-kept="1" data-decided="2"' in cell(html, clock="first_response", week=week)
    assert "1 of 2" in html and "50%" in html  # the table and the clock's total badge
    assert "<title id=\"chart-first_response-title\">First response: share of promises kept per week</title>" in html
    assert cell(html, week=11, total=2)  # contacted, not ended: both still open now
    assert 'role="img"' in html and 'dir="ltr"' in html


async def test_the_dashboard_reads_in_persian_right_to_left_with_persian_digits(runtime, make_tenant, pages,
                                                                               sign_in_staff):
    tenant = await make_tenant("acme", **BILINGUAL)
    current = bind_tenant(tenant, runtime.plugins)
    async with runtime.db.transaction(tenant.id) as session:
        for _ in range(12):
            await service.open_request(session, current, service.NewRequest(
                kind="inquiry", channel="phone", summary="still waiting",
                customer=CustomerDetails(name="Ana", phone="+49 30 1234568")), actor="staff:test", now=utcnow())
    await sign_in_staff(pages, tenant, "admin")
    html = (await pages.get("/t/acme/console/")).text
    assert 'dir="rtl"' in html and 'lang="fa"' in html
    assert '<span class="tile-value" id="tile-open">۱۲</span>' in html
    assert "داشبورد" in html  # "Dashboard"
    # Time runs right to left: the current week's bar is the leftmost.
    bars = re.findall(r'<g class="bar">\s*<title>[^<]*</title>\s*(?:<rect class="state-received" x="([\d.]+)")?',
                      html.split('id="chart-backlog"')[1].split('</svg>')[0])
    assert bars[-1] and float(bars[-1]) < 53.4


async def test_staff_without_the_right_to_read_requests_are_refused(runtime, make_tenant, pages, sign_in_staff):
    from support.marketplace import add_provider

    tenant = await make_tenant("acme")
    garage = await add_provider(runtime, tenant)
    await sign_in_staff(pages, tenant, "provider", provider_id=garage.provider_id)
    assert (await pages.get("/t/acme/console/")).status_code == 403


async def test_a_visitor_is_sent_to_sign_in(make_tenant, pages):
    await make_tenant("acme")
    response = await pages.get("/t/acme/console/")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/t/acme/console/sign-in?next=")


async def test_another_tenants_session_sees_nothing_of_this_tenant(runtime, make_tenant, pages, sign_in_staff):
    acme = await make_tenant("acme")
    await kept_and_breached(runtime, acme)
    other = await make_tenant("other")
    await sign_in_staff(pages, other, "admin")
    token = pages.cookies.get(SESSION_COOKIE, path="/t/other")
    pages.cookies.set(SESSION_COOKIE, token, domain="testserver.local", path="/t/acme")
    response = await pages.get("/t/acme/console/")
    assert response.status_code == 303 and "sign-in" in response.headers["location"]
    own = (await pages.get("/t/other/console/")).text
    assert 'data-decided="2"' not in own and "First response" not in own


async def test_the_demo_history_fills_the_charts_once(runtime, make_tenant, pages, sign_in_staff):
    from aftersales.demo.insight import PER_WEEK, WEEKS, seed_demo_insight

    tenant = await make_tenant("acme")
    assert await seed_demo_insight(runtime, tenant) == WEEKS * PER_WEEK
    assert await seed_demo_insight(runtime, tenant) == 0
    await sign_in_staff(pages, tenant, "admin")
    html = (await pages.get("/t/acme/console/")).text
    decided = [int(n) for n in re.findall(r'data-clock="result" data-week="\d+" data-kept="\d+" data-decided="(\d+)"', html)]
    assert sum(decided) >= (WEEKS - 1) * PER_WEEK and 'id="tile-csat">—' not in html
