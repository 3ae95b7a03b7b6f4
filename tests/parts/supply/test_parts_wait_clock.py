"""Yizhongyi's parts wait through a back-order: placing it starts the 5-business-day ``parts_wait`` clock and
pauses the in-house repair clock; 4 days 23 h into the wait (Golden Week inside, a working Saturday counted) the
clock is still on time (at risk), at 5 days it is breached; receiving the part meets it and runs the repair clock again.

(The clock's terms themselves are tested in plugins/auto_service/tests/test_service_clocks.py; business-day
counting over Golden Week in tests/service/clocks/test_seed_clocks.py.)"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from aftersales.parts.supply import backorders
from aftersales.service.clocks.services import clocks_of, view
from aftersales.service.states import RequestState
from support.service import at
from support.supply import add_location, add_part, add_request

SHANGHAI = ZoneInfo("Asia/Shanghai")


async def clock_table(runtime, tenant, request_id, now):
    async with runtime.db.transaction(tenant.record.id) as session:
        return {c.name: (c, view(c, tenant.calendar, now)) for c in await clocks_of(session, request_id)}


async def test_parts_wait_of_4_days_23_hours_is_on_time_and_5_days_breached_over_golden_week(runtime, seed_tenant):
    yizhongyi = await seed_tenant("yizhongyi")
    part, location = await add_part(runtime, yizhongyi.record), await add_location(runtime, yizhongyi.record)
    started = at(SHANGHAI, "2026-09-30", 10)
    job = await add_request(runtime, yizhongyi.record, RequestState.IN_REPAIR, at=started, locale="zh")
    async with runtime.db.transaction(yizhongyi.record.id) as s:
        placed = await backorders.place(s, yizhongyi, backorders.BackorderAsk(
            part_id=part, quantity=1, request_id=job.request_id, location_id=location,
            expected_on=date(2026, 10, 9)), actor="staff:test", now=started)
    # Business days after Wed 30 September: 1–7 October is the National Day holiday; Thu 8, Fri 9, Sat 10 (a
    # working Saturday), Mon 12 and Tue 13 October: five business days end on Tuesday 13 October at 10:00.
    clocks = await clock_table(runtime, yizhongyi, job.request_id, at(SHANGHAI, "2026-10-13", 9))
    wait, repair = clocks["parts_wait"], clocks["in_house_repair"]
    assert wait[0].due_at == at(SHANGHAI, "2026-10-13", 10)
    assert wait[1].state == "at_risk"  # still on time (the portal says "On time"), an hour from the breach
    assert repair[0].paused_for == "waiting_for_parts" and repair[0].due_at is None
    assert (await clock_table(runtime, yizhongyi, job.request_id, at(SHANGHAI, "2026-10-13", 10)))[
        "parts_wait"][1].state == "breached"
    async with runtime.db.transaction(yizhongyi.record.id) as s:
        await backorders.receive(s, yizhongyi, placed.id, actor="staff:test", now=at(SHANGHAI, "2026-10-12", 15))
    after = await clock_table(runtime, yizhongyi, job.request_id, at(SHANGHAI, "2026-10-12", 15))
    assert after["parts_wait"][0].met_at == at(SHANGHAI, "2026-10-12", 15)
    assert after["in_house_repair"][0].paused_for is None and after["in_house_repair"][0].due_at is not None
