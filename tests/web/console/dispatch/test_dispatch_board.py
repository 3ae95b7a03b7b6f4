"""The dispatcher's board (``/console/dispatch``): the day's routes by technician and the unplanned visits with the
suggested technicians; assigning one in a chosen window, fixing tomorrow's plan, the unplanned-at-cut-off flag;
the day in the reader's calendar (Jalali with Persian digits in ``fa``); refusals beside the field with nothing
written; the link for dispatchers only; and tenants kept apart."""

from __future__ import annotations

from datetime import time, timedelta

import jdatetime
import pytest

from aftersales.db.base import utcnow
from aftersales.dispatch import planning
from aftersales.dispatch.terms import plan_cutoff
from aftersales.onboarding.manifest import read_manifest_file
from aftersales.onboarding.services import onboard
from aftersales.settings import REPO_ROOT
from support.dispatch_pages import TAJRISH, add_technician, add_visit, current, visit_of
from support.order_pages import order_desk
from support.pages import post_form

BOARD = "/t/entekhab-test/console/dispatch"
DISPATCHER = "agent"


async def test_the_board_shows_routes_and_the_suggestions_for_an_unplanned_visit(pages, runtime, make_tenant,
                                                                                 sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    day = tenant_today = (utcnow() + timedelta(hours=3, minutes=30)).date()  # Tehran's today
    near = await add_technician(runtime, tenant, "Reza Ahmadi")
    far = await add_technician(runtime, tenant, "Ali Rostami", home=TAJRISH)
    planned, _ = await add_visit(runtime, tenant, tenant_today, customer="Sara Mohammadi",
                                 technician_id=far.technician_id, state="planned", window=(14, 16))
    unplanned, _ = await add_visit(runtime, tenant, day, customer="Maryam Karimi")
    await sign_in_staff(pages, tenant, DISPATCHER)
    console = await pages.get("/t/entekhab-test/console/")
    assert 'href="/t/entekhab-test/console/dispatch"' in console.text
    board = await pages.get(BOARD)
    assert board.status_code == 200
    text = board.text
    assert f'data-visit="{unplanned}"' in text and "Maryam Karimi" in text
    assert f'data-suggestion="{near.technician_id}"' in text and f'data-suggestion="{far.technician_id}"' in text
    assert text.index(f'data-suggestion="{near.technician_id}"') < text.index(f'data-suggestion="{far.technician_id}"')
    assert f'data-technician="{far.technician_id}"' in text and "Sara Mohammadi" in text
    assert f'<li data-visit="{planned}">' in text


async def test_a_dispatcher_assigns_the_suggested_technician_in_a_chosen_window(pages, runtime, make_tenant,
                                                                                sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    day = (utcnow() + timedelta(days=2)).date()
    tech = await add_technician(runtime, tenant, "Reza Ahmadi")
    visit_id, _ = await add_visit(runtime, tenant, day)
    await sign_in_staff(pages, tenant, DISPATCHER)
    assigned = await post_form(pages, f"{BOARD}/visits/{visit_id}/assign",
                               {"technician_id": str(tech.technician_id), "window_start": "13:00",
                                "window_end": "15:00"})
    assert assigned.status_code == 303 and assigned.headers["location"].endswith(f"?day={day.isoformat()}#routes")
    visit = await visit_of(runtime, tenant, visit_id)
    assert (visit.technician_id, visit.state) == (tech.technician_id, "planned")
    assert (visit.window_start, visit.window_end) == (time(13), time(15))
    board = await pages.get(f"{BOARD}?day={day.isoformat()}")
    assert f'<li data-visit="{visit_id}">' in board.text


@pytest.mark.parametrize(("form", "field"), [
    ({"technician_id": "not-an-id"}, "technician_id"),
    ({"window_start": "25:00"}, "window"),
    ({"window_start": "16:00", "window_end": "15:00"}, "window"),
    ({"window_start": "\x00"}, "window"),
])
async def test_a_bad_assignment_is_refused_beside_its_field_and_nothing_is_written(pages, runtime, make_tenant,
                                                                                   sign_in_staff, form, field):
    tenant = await order_desk(make_tenant, runtime)
    day = (utcnow() + timedelta(days=2)).date()
    tech = await add_technician(runtime, tenant, "Reza Ahmadi")
    visit_id, _ = await add_visit(runtime, tenant, day)
    await sign_in_staff(pages, tenant, DISPATCHER)
    refused = await post_form(pages, f"{BOARD}/visits/{visit_id}/assign", {
        "technician_id": str(tech.technician_id), "window_start": "13:00", "window_end": "15:00", **form})
    assert refused.status_code == 422
    if "\x00" not in form.get("window_start", ""):
        assert f'id="{visit_id}-{field}-error"' in refused.text
    visit = await visit_of(runtime, tenant, visit_id)
    assert (visit.technician_id, visit.state) == (None, "unplanned")


async def test_the_day_is_read_in_jalali_and_written_in_the_readers_calendar(pages, runtime, make_tenant,
                                                                             sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    day = (utcnow() + timedelta(days=3)).date()
    visit_id, _ = await add_visit(runtime, tenant, day)
    await sign_in_staff(pages, tenant, DISPATCHER)
    jalali = jdatetime.date.fromgregorian(date=day)
    typed = f"{jalali.year}/{jalali.month:02d}/{jalali.day:02d}".translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    board = await pages.get(BOARD, params={"day": typed, "lang": "fa"})
    assert board.status_code == 200 and f'data-day="{day.isoformat()}"' in board.text
    assert f'data-visit="{visit_id}"' in board.text
    assert jdatetime.date.j_months_fa[jalali.month - 1] in board.text
    assert "۰۹:۰۰" in board.text  # the window in Persian digits


@pytest.mark.parametrize("typed", ["9999-12-31", "0001-01-01", "2026-02-30", "tomorrow", "\x00"])
async def test_an_unreadable_or_far_day_is_refused_and_today_is_shown(pages, runtime, make_tenant, sign_in_staff,
                                                                       typed):
    tenant = await order_desk(make_tenant, runtime)
    await sign_in_staff(pages, tenant, DISPATCHER)
    board = await pages.get(BOARD, params={"day": typed})
    assert board.status_code == 422
    if "\x00" not in typed:
        assert 'id="day-error"' in board.text


async def test_fixing_tomorrows_plan_fixes_the_planned_visits_and_says_how_many(pages, runtime, make_tenant,
                                                                               sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    tomorrow = (utcnow() + timedelta(hours=3, minutes=30)).date() + timedelta(days=1)
    tech = await add_technician(runtime, tenant, "Reza Ahmadi")
    visit_id, _ = await add_visit(runtime, tenant, tomorrow, technician_id=tech.technician_id, state="planned")
    await sign_in_staff(pages, tenant, DISPATCHER)
    fixed = await post_form(pages, f"{BOARD}/plan", {})
    assert fixed.status_code == 200 and 'data-fixed="1"' in fixed.text
    assert (await visit_of(runtime, tenant, visit_id)).state == "fixed"


@pytest.mark.parametrize("role", ["finance", "customer_service"])
async def test_staff_without_dispatch_get_no_link_and_a_403(pages, runtime, make_tenant, sign_in_staff, role):
    tenant = await order_desk(make_tenant, runtime)
    visit_id, _ = await add_visit(runtime, tenant, (utcnow() + timedelta(days=2)).date())
    tech = await add_technician(runtime, tenant, "Reza Ahmadi")
    await sign_in_staff(pages, tenant, role)
    console = await pages.get("/t/entekhab-test/console/")
    assert "/console/dispatch" not in console.text
    assert (await pages.get(BOARD)).status_code == 403
    refused = await post_form(pages, f"{BOARD}/visits/{visit_id}/assign", {
        "technician_id": str(tech.technician_id), "window_start": "13:00", "window_end": "15:00"})
    assert refused.status_code == 403
    assert (await visit_of(runtime, tenant, visit_id)).state == "unplanned"


async def test_another_tenants_dispatcher_neither_sees_nor_assigns_this_tenants_visits(pages, runtime, make_tenant,
                                                                                       sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    day = (utcnow() + timedelta(days=2)).date()
    visit_id, _ = await add_visit(runtime, tenant, day, customer="Maryam Karimi")
    mine = await add_technician(runtime, tenant, "Reza Ahmadi")
    other = await order_desk(make_tenant, runtime, "other-test")
    theirs = await add_technician(runtime, other, "Their Technician")
    await sign_in_staff(pages, other, DISPATCHER)
    board = await pages.get(f"/t/other-test/console/dispatch?day={day.isoformat()}")
    assert board.status_code == 200 and "Maryam Karimi" not in board.text and str(visit_id) not in board.text
    for technician in (theirs, mine):
        across = await post_form(pages, f"/t/other-test/console/dispatch/visits/{visit_id}/assign", {
            "technician_id": str(technician.technician_id), "window_start": "13:00", "window_end": "15:00"})
        assert across.status_code == 404
    assert (await visit_of(runtime, tenant, visit_id)).state == "unplanned"
    sheet = await pages.get(f"/t/other-test/console/technicians/{mine.technician_id}/day")
    assert sheet.status_code == 404


async def _yizhongyi(runtime):
    """Yizhongyi (seed 003) from its manifest: the next day's plan fixed at 15:00 the day before, staff on site
    within 24 hours: (record, bound tenant)."""
    async with runtime.db.transaction(None) as s:
        record, _ = await onboard(s, runtime.plugins, read_manifest_file(REPO_ROOT / "tenants" / "yizhongyi.toml"))
    return record, await current(runtime, record)


async def test_a_visit_still_unplanned_at_the_cut_off_is_flagged_on_the_board(pages, runtime, sign_in_staff):
    record, yizhongyi = await _yizhongyi(runtime)
    day = yizhongyi.today() + timedelta(days=14)
    left, _ = await add_visit(runtime, record, day, customer="王芳", site=(31.2304, 121.4737))
    cutoff = plan_cutoff(yizhongyi, day)
    assert cutoff is not None
    async with runtime.db.transaction(record.id) as s:
        before = await planning.fix_day(s, yizhongyi, day, actor="worker", now=cutoff - timedelta(minutes=1))
        assert before.flagged == []
    await sign_in_staff(pages, record, DISPATCHER)
    board = await pages.get(f"/t/yizhongyi/console/dispatch?day={day.isoformat()}&lang=zh")
    assert "data-flag>" not in board.text
    async with runtime.db.transaction(record.id) as s:
        await planning.fix_day(s, yizhongyi, day, actor="worker", now=cutoff)
    board = await pages.get(f"/t/yizhongyi/console/dispatch?day={day.isoformat()}&lang=zh")
    assert f'data-visit="{left}" data-flagged' in board.text
    assert "截止时间（" in board.text and "前未安排" in board.text
    assert 'data-breach="onsite"' in board.text  # the 24-hour on-site promise ends long before the window


async def test_the_board_warns_when_the_window_would_breach_the_on_site_promise(pages, runtime, sign_in_staff):
    record, yizhongyi = await _yizhongyi(runtime)
    today = yizhongyi.today()
    await add_technician(runtime, record, "Wang Wei", home=(31.2304, 121.4737))
    soon, _ = await add_visit(runtime, record, today, customer="Li Na", site=(31.2304, 121.4737), window=(17, 18))
    late, _ = await add_visit(runtime, record, today + timedelta(days=5), customer="Zhang Wei",
                              site=(31.2304, 121.4737))
    await sign_in_staff(pages, record, DISPATCHER)
    board = await pages.get(f"/t/yizhongyi/console/dispatch?day={today + timedelta(days=5)}&lang=en")
    visit = board.text[board.text.index(f'data-visit="{late}"'):]
    assert 'data-breach="onsite"' in visit[:visit.index("</article>")]
    assert "whoever goes arrives late" in visit
    today = await pages.get(f"/t/yizhongyi/console/dispatch?day={today}&lang=en")
    kept = today.text[today.text.index(f'data-visit="{soon}"'):]
    assert "data-breach" not in kept[:kept.index("</article>")]


async def test_a_technician_busy_in_the_window_is_refused_by_the_rules_code(pages, runtime, make_tenant,
                                                                            sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    day = (utcnow() + timedelta(days=2)).date()
    tech = await add_technician(runtime, tenant, "Reza Ahmadi")
    await add_visit(runtime, tenant, day, technician_id=tech.technician_id, state="planned", window=(9, 12))
    second, _ = await add_visit(runtime, tenant, day, customer="Sara Mohammadi", window=(10, 12))
    await sign_in_staff(pages, tenant, DISPATCHER)
    board = await pages.get(f"{BOARD}?day={day.isoformat()}")
    shown = board.text[board.text.index(f'data-visit="{second}"'):]
    assert f'data-suggestion="{tech.technician_id}"' not in shown[:shown.index("</article>")]
    assert "busy in the window 1" in shown  # why he is left out
    stale = await post_form(pages, f"{BOARD}/visits/{second}/assign?lang=fa", {
        "technician_id": str(tech.technician_id), "window_start": "10:00", "window_end": "12:00"})
    assert stale.status_code == 409 and f'data-refused="{second}"' in stale.text
    assert "این تکنسین در آن بازه بازدید دیگری دارد." in stale.text
    assert (await visit_of(runtime, tenant, second)).state == "unplanned"
