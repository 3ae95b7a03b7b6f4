"""The next day's plan is fixed the afternoon before (Yizhongyi, seed 003: 15:00 in Shanghai, an assumption):
at 14:59 nothing is fixed, at 15:00 the worker fixes the planned visits, e-mails each technician their route
and tells each customer the window (in their language), and flags each visit still unplanned (timeline, list
filter, webhook event). A visit on the day after a holiday is fixed on the last business day before it; a
visit planned after the cut-off is fixed and told at once; fixing twice tells once."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select

from aftersales.dispatch import planning
from aftersales.dispatch.models import Visit
from aftersales.dispatch.visits import list_visits
from aftersales.outbox.models import OutboxMessage, WebhookEndpoint
from aftersales.service.models import RequestEvent
from support.dispatch import add_request, add_technician, add_visit, plan
from support.service import at

SHANGHAI = ZoneInfo("Asia/Shanghai")
SITE = (31.2304, 121.4737)
THURSDAY = date(2027, 3, 11)
"""A working Thursday: its plan is fixed on Wednesday 10 March 2027 at 15:00."""


async def yizhongyi_with_a_day(runtime, seed_tenant, day=THURSDAY):
    """Yizhongyi with a planned visit (customer speaks Chinese) and an unplanned one on ``day``."""
    yizhongyi = await seed_tenant("yizhongyi")
    async with runtime.db.transaction(yizhongyi.record.id) as s:
        s.add(WebhookEndpoint(url="https://hooks.example.com/yz", events=["visit.unplanned_at_cutoff"],
                              secret_encrypted="unused"))
    wang = await add_technician(runtime, yizhongyi, "Wang Wei", at=SITE, email="wang@yizhongyi.example")
    request_id = await add_request(runtime, yizhongyi, site=SITE, phone="+86 139 1234 5678", locale="zh")
    planned = await add_visit(runtime, yizhongyi, day, request_id=request_id, window=(9, 11))
    await plan(runtime, yizhongyi, planned, wang, now=at(SHANGHAI, "2027-03-01", 10))
    unplanned = await add_visit(runtime, yizhongyi, day, window=(13, 15), site=SITE)
    return yizhongyi, wang, planned, unplanned


async def states(runtime, tenant):
    async with runtime.db.transaction(tenant.record.id) as s:
        return {v.id: (v.state, v.flagged_at is not None) for v in await s.scalars(select(Visit))}


async def outbox(runtime, tenant, event):
    async with runtime.db.transaction(tenant.record.id) as s:
        return list(await s.scalars(select(OutboxMessage).where(OutboxMessage.event == event)))


async def test_nothing_is_fixed_at_1459_and_the_plan_is_fixed_at_1500(runtime, seed_tenant):
    yizhongyi, _, planned, unplanned = await yizhongyi_with_a_day(runtime, seed_tenant)
    assert await planning.fix_due_plans(runtime, yizhongyi.record.id, at(SHANGHAI, "2027-03-10", 14, 59)) == 0
    assert await states(runtime, yizhongyi) == {planned: ("planned", False), unplanned: ("unplanned", False)}
    assert await outbox(runtime, yizhongyi, "dispatch.visit_fixed") == []

    assert await planning.fix_due_plans(runtime, yizhongyi.record.id, at(SHANGHAI, "2027-03-10", 15)) == 2
    assert await states(runtime, yizhongyi) == {planned: ("fixed", False), unplanned: ("unplanned", True)}
    [to_wang] = await outbox(runtime, yizhongyi, "dispatch.plan_fixed")
    assert (to_wang.channel, to_wang.recipient) == ("email", "wang@yizhongyi.example")
    assert "09:00–11:00" in to_wang.body
    [to_customer] = await outbox(runtime, yizhongyi, "dispatch.visit_fixed")
    assert (to_customer.channel, to_customer.recipient) == ("sms", "+8613912345678")
    assert "我们的技术员将于" in to_customer.body and "09:00–11:00" in to_customer.body
    [hook] = await outbox(runtime, yizhongyi, "visit.unplanned_at_cutoff")
    assert (hook.payload["visit_id"], hook.payload["day"], hook.payload["window_start"]) == (
        str(unplanned), "2027-03-11", "13:00")
    async with runtime.db.transaction(yizhongyi.record.id) as s:
        kinds = set(await s.scalars(select(RequestEvent.kind)))
        flagged = await list_visits(s, flagged=True)
    assert {"visit_taken", "visit_planned", "visit_fixed", "visit_unplanned"} <= kinds
    assert [v.id for v in flagged] == [unplanned]

    assert await planning.fix_due_plans(runtime, yizhongyi.record.id, at(SHANGHAI, "2027-03-10", 15, 5)) == 0
    assert len(await outbox(runtime, yizhongyi, "dispatch.visit_fixed")) == 1


async def test_the_day_after_a_holiday_is_fixed_on_the_last_business_day_before_it(runtime, seed_tenant):
    # Monday 5 April 2027 is Tomb-Sweeping Day, the 3rd and 4th a weekend: Tuesday's plan is fixed on Friday.
    yizhongyi, _, planned, unplanned = await yizhongyi_with_a_day(runtime, seed_tenant, date(2027, 4, 6))
    for before in (at(SHANGHAI, "2027-04-02", 14, 59), at(SHANGHAI, "2027-04-01", 15)):
        assert await planning.fix_due_plans(runtime, yizhongyi.record.id, before) == 0
    assert await planning.fix_due_plans(runtime, yizhongyi.record.id, at(SHANGHAI, "2027-04-02", 15)) == 2
    assert await states(runtime, yizhongyi) == {planned: ("fixed", False), unplanned: ("unplanned", True)}


async def test_a_visit_planned_after_the_cutoff_is_fixed_and_told_at_once(runtime, seed_tenant):
    yizhongyi, wang, _, unplanned = await yizhongyi_with_a_day(runtime, seed_tenant)
    await planning.fix_due_plans(runtime, yizhongyi.record.id, at(SHANGHAI, "2027-03-10", 15))
    late = await plan(runtime, yizhongyi, unplanned, wang, now=at(SHANGHAI, "2027-03-10", 16))
    assert (late.state, late.route_order) == ("fixed", 2)
    assert len(await outbox(runtime, yizhongyi, "dispatch.visit_fixed")) == 2
    assert len(await outbox(runtime, yizhongyi, "dispatch.plan_fixed")) == 2


async def test_a_dispatcher_fixes_a_day_early_without_flagging_before_the_cutoff(runtime, seed_tenant):
    yizhongyi, _, planned, unplanned = await yizhongyi_with_a_day(runtime, seed_tenant)
    async with runtime.db.transaction(yizhongyi.record.id) as s:
        fixed = await planning.fix_day(s, yizhongyi, THURSDAY, actor="staff:dispatcher",
                                       now=at(SHANGHAI, "2027-03-10", 11))
    assert ([v.id for v in fixed.fixed], fixed.flagged) == ([planned], [])
    assert fixed.cutoff_at == at(SHANGHAI, "2027-03-10", 15)
    assert await states(runtime, yizhongyi) == {planned: ("fixed", False), unplanned: ("unplanned", False)}


async def test_a_tenant_without_a_cutoff_is_never_fixed_by_the_worker(runtime, seed_tenant):
    entekhab = await seed_tenant("entekhab")
    technician = await add_technician(runtime, entekhab, "Reza")
    visit_id = await add_visit(runtime, entekhab, date(2027, 3, 13))
    await plan(runtime, entekhab, visit_id, technician, now=at(ZoneInfo("Asia/Tehran"), "2027-03-01", 10))
    assert await planning.fix_due_plans(runtime, entekhab.record.id, at(ZoneInfo("Asia/Tehran"), "2027-03-13", 8)) == 0


async def test_an_iranian_customer_reads_the_window_in_persian_digits_and_the_jalali_date(runtime, seed_tenant):
    entekhab = await seed_tenant("entekhab")
    technician = await add_technician(runtime, entekhab, "Reza")
    request_id = await add_request(runtime, entekhab, locale="fa")
    visit_id = await add_visit(runtime, entekhab, date(2027, 3, 13), request_id=request_id)  # 22 Esfand 1405
    now = at(ZoneInfo("Asia/Tehran"), "2027-03-01", 10)
    await plan(runtime, entekhab, visit_id, technician, now=now)
    async with runtime.db.transaction(entekhab.record.id) as s:
        await planning.fix_day(s, entekhab, date(2027, 3, 13), actor="staff:dispatcher", now=now)
    [sms] = await outbox(runtime, entekhab, "dispatch.visit_fixed")
    assert "۰۹:۰۰–۱۲:۰۰" in sms.body and "اسفند" in sms.body and "۱۴۰۵" in sms.body
