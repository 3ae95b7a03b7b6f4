"""Browser journeys of dispatch (Chromium): the dispatcher assigns the suggested technician to an unplanned visit
from the board; the technician, on a phone (390 × 844), works through the day sheet — the compressor to bring,
arrive, start, finish with it used and the customer's signature drawn on the canvas. Each run takes its own technician, skill and visit on the demo's
Entekhab tenant (the live server is shared)."""

from __future__ import annotations

import os
from datetime import date, time, timedelta

import pytest
from playwright.async_api import expect
from sqlalchemy import select

from aftersales.accounts.services import create_staff
from aftersales.db.base import utcnow
from aftersales.dispatch import planning, visits
from aftersales.dispatch.models import Technician
from aftersales.identity.customers import CustomerDetails
from aftersales.parts import locations, movements, reservations
from aftersales.runtime import build_runtime
from aftersales.service.quotes.models import PartPrice
from aftersales.service.requests import services as requests
from aftersales.tenancy.current import bind_tenant
from aftersales.tenancy.models import Tenant

pytestmark = [pytest.mark.browser]

SLUG = "entekhab"
ADMIN = f"admin@{SLUG}-demo.com"


async def _day_of_work(live_server, token: str, *, day_offset: int, state: str) -> tuple[str, str, str, date]:
    """A technician (a staff user with the technician role, skill ``fridge-<token>``) and a repair visit needing
    that skill, unplanned, or planned to them and fixed with a compressor reserved in their van, through the
    dispatch and stock services: (technician's e-mail, technician id, visit id, the visit's day)."""
    runtime = build_runtime(live_server.settings, plugins=live_server.plugins)
    try:
        async with runtime.db.platform_session() as session:
            record = await session.scalar(select(Tenant).where(Tenant.slug == SLUG))
        tenant = bind_tenant(record, runtime.plugins)
        day = tenant.today() + timedelta(days=day_offset)
        async with runtime.db.transaction(record.id) as session:
            email = f"tech-{token}@{SLUG}-demo.com"
            staff = await create_staff(session, email=email, name=f"رضا احمدی {token}", roles=["technician"],
                                       password=None)
            technician = Technician(name=f"رضا احمدی {token}", staff_user_id=staff.id, skills=[f"fridge-{token}"],
                                    home_latitude=35.7575, home_longitude=51.41, works_from=time(8),
                                    works_until=time(18), weekdays=list(range(7)), daily_capacity=6)
            session.add(technician)
            await session.flush()
            opened = await requests.open_request(session, tenant, requests.NewRequest(
                kind="repair", channel="phone", summary="یخچال سرد نمی‌کند",
                customer=CustomerDetails(name=f"مریم کریمی {token}", phone="+989121234567")),
                actor="staff:journey", now=utcnow())
            visit = await visits.create_visit(session, tenant, visits.NewVisit(
                day=day, window_start=time(9), window_end=time(12), skill=f"fridge-{token}",
                address="تهران، خیابان ونک، پلاک ۱۲", request_id=opened.id, site_latitude=35.76,
                site_longitude=51.415), actor="staff:journey", now=utcnow())
            if state == "fixed":
                await planning.plan_visit(session, tenant, visit.id, technician.id, actor="staff:journey",
                                          now=utcnow())
                await planning.fix_day(session, tenant, day, actor="staff:journey", now=utcnow())
                part = PartPrice(code=f"COMP-{token}", name="Compressor", names={"fa": f"کمپرسور {token}"},
                                 price_minor=9_000_000, currency="IRR", updated_by="staff:journey")
                session.add(part)
                await session.flush()
                van = await locations.create_location(session, locations.NewLocation(
                    code=f"VAN-{token}", name="Van", kind="van", technician_id=technician.id))
                await movements.receive(session, movements.Moved(part_id=part.id, location_id=van.id, quantity=1),
                                        actor="staff:journey", now=utcnow())
                await reservations.reserve(session, tenant, part_id=part.id, quantity=1, location_id=van.id,
                                           request_id=opened.id, actor="staff:journey", now=utcnow())
            return email, str(technician.id), str(visit.id), day
    finally:
        await runtime.close()


async def test_the_dispatcher_assigns_the_suggested_technician(live_server, open_phone, sign_in_browser, screenshot):
    token = os.urandom(3).hex()
    _email, technician_id, visit_id, day = await _day_of_work(live_server, token, day_offset=2, state="unplanned")
    staff = await open_phone(lang="fa")
    await staff.set_viewport_size({"width": 1280, "height": 900})
    await sign_in_browser(staff, SLUG, email=ADMIN, kind="staff")
    await staff.goto(f"/t/{SLUG}/console/dispatch?day={day.isoformat()}")
    visit = staff.locator(f"article[data-visit='{visit_id}']")
    suggested = visit.locator(f"tr[data-suggestion='{technician_id}'] input[type=radio]")
    await expect(suggested).to_be_checked()
    await visit.locator("input[name=window_start]").fill("10:00")
    await visit.locator("input[name=window_end]").fill("12:00")
    await visit.locator("button[type=submit]").click()
    route = staff.locator(f"[data-technician='{technician_id}'] li[data-visit='{visit_id}']")
    await expect(route).to_be_visible()
    await expect(route.locator("[data-state]")).to_have_attribute("data-state", "planned")
    await expect(staff.locator(f"article[data-visit='{visit_id}']")).to_have_count(0)
    await screenshot(staff, "dispatch-board-fa")


async def test_the_technician_works_the_day_on_a_phone(live_server, open_phone, sign_in_browser, screenshot):
    token = os.urandom(3).hex()
    email, _technician_id, visit_id, _day = await _day_of_work(live_server, token, day_offset=0, state="fixed")
    phone = await open_phone(lang="fa")
    await phone.set_viewport_size({"width": 390, "height": 844})
    await sign_in_browser(phone, SLUG, email=email, kind="staff")
    await phone.goto(f"/t/{SLUG}/console/technician/day")
    assert await phone.get_attribute("html", "dir") == "rtl"
    stop = phone.locator(f"article[data-visit='{visit_id}']")
    await expect(stop.locator("[data-state]")).to_have_attribute("data-state", "fixed")
    await expect(stop).to_contain_text("خیابان ونک")
    await expect(stop.locator("ul.parts")).to_contain_text(f"کمپرسور {token}")
    await screenshot(phone, "dispatch-day-sheet-fa")

    arrive = stop.locator("[data-action=arrive] button")
    box = await arrive.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 300  # a thumb's target, full width
    await arrive.click()
    await expect(stop.locator("[data-state]")).to_have_attribute("data-state", "arrived")
    await stop.locator("[data-action=start] button").click()
    await expect(stop.locator("[data-state]")).to_have_attribute("data-state", "started")

    canvas = stop.locator("canvas.signature")
    await canvas.scroll_into_view_if_needed()
    area = await canvas.bounding_box()
    assert area is not None
    await phone.mouse.move(area["x"] + 20, area["y"] + 30)
    await phone.mouse.down()
    for step in range(1, 12):
        await phone.mouse.move(area["x"] + 20 + step * 25, area["y"] + 30 + (step % 3) * 30)
    await phone.mouse.up()
    await expect(stop.locator("input[type=number]")).to_have_value("1")  # the reserved compressor, used
    await stop.locator("input[name=signed_by]").fill(f"مریم کریمی {token}")
    await screenshot(phone, "dispatch-signature-fa")
    await stop.locator("[data-action=finish] button[type=submit]").click()
    await expect(stop.locator("[data-state]")).to_have_attribute("data-state", "finished")
    await expect(stop.locator("img[data-signature]")).to_be_visible()
    await screenshot(phone, "dispatch-finished-fa")
