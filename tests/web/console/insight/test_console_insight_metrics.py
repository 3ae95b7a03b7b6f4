"""The dashboard's figures at their edges, through the services that make the data (fixed instants): weeks start
after the tenant's weekend, a clock stopped at its due time to the second is kept and one second later is not,
the backlog counts the state a request was in at each week's end, CSAT scores fall in the week they were given,
and a repair is a first-time fix unless it went back into repair or its unit came back within 30 days."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from aftersales.identity.customers import CustomerDetails
from aftersales.service import metrics
from aftersales.service.clocks.services import clocks_of
from aftersales.service.followups.models import FollowUp
from aftersales.service.followups.services import Answers, record_answers
from aftersales.service.requests import services as service
from aftersales.service.states import RequestState
from aftersales.tenancy.current import bind_tenant

TEHRAN = ZoneInfo("Asia/Tehran")
IRAN = {"time_zone": "Asia/Tehran", "currency": "IRR",
        "calendar": {"country": "IR", "weekend_days": ["fri"], "business_hours": {"opens": "08:00", "closes": "17:00"}}}
S = RequestState


def tehran(day: str, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, minute=minute, second=second, tzinfo=TEHRAN)


@pytest.fixture
async def iranian(runtime, make_tenant):
    return bind_tenant(await make_tenant("mehr", **IRAN), runtime.plugins)


async def open_at(runtime, tenant, when, kind="inquiry", registration_id=None):
    async with runtime.db.transaction(tenant.record.id) as session:
        new = service.NewRequest(
            kind=kind, channel="phone", summary="the screen flickers", registration_id=registration_id,
            customer=None if registration_id else CustomerDetails(name="Test Customer", phone="+98 912 000 0001"))
        return (await service.open_request(session, tenant, new, actor="staff:test", now=when)).id


async def move(runtime, tenant, request_id, *steps):
    """Move the request through ``(state, when)`` steps."""
    async with runtime.db.transaction(tenant.record.id) as session:
        for state, when in steps:
            await service.move_request(session, tenant, request_id, state, actor="staff:test", note="", now=when)


async def read(runtime, tenant, metric, span, *args):
    async with runtime.db.transaction(tenant.record.id) as session:
        return await metric(session, span, *args)


def test_a_week_starts_on_the_first_working_day_after_the_weekend():
    assert metrics.week_start_weekday([5]) == 6  # Iran: Friday off, the week starts on Saturday
    assert metrics.week_start_weekday([6, 7]) == 1  # Georgia, China: Monday
    assert metrics.week_start_weekday([5, 6]) == 7  # a Friday–Saturday weekend: Sunday
    assert metrics.week_start_weekday([]) == 1


async def test_weeks_are_the_tenants_local_weeks_up_to_now(iranian):
    now = tehran("2026-04-15", 12)  # a Wednesday
    span = metrics.weeks(iranian, now, count=3)
    assert [w.first_day.isoformat() for w in span] == ["2026-03-28", "2026-04-04", "2026-04-11"]
    assert span[0].start == tehran("2026-03-28") and span[0].end == tehran("2026-04-04")
    assert span[-1].end == now


async def test_a_clock_stopped_at_its_due_time_is_kept_and_a_second_later_breached(runtime, iranian):
    # Saturday 4 April 2026, 10:00: the first response is due Monday 6 April, 10:00 (2 business days).
    opened = tehran("2026-04-04", 10)
    on_time, late, never = [await open_at(runtime, iranian, opened) for _ in range(3)]
    async with runtime.db.transaction(iranian.record.id) as session:
        (clock,) = await clocks_of(session, on_time)
        due = clock.due_at
        assert due == tehran("2026-04-06", 10)
        await service.record_milestone(session, iranian, on_time, "contacted", actor="staff:test", note="", now=due)
        await service.record_milestone(session, iranian, late, "contacted", actor="staff:test", note="",
                                       now=due + timedelta(seconds=1))
    now = tehran("2026-04-20", 12)
    span = metrics.weeks(iranian, now, count=4)
    (first_response,) = await read(runtime, iranian, metrics.sla_compliance, span, now)
    assert first_response.name == "first_response"
    week = [w.first_day.isoformat() for w in span].index("2026-04-04")
    # The never-contacted request's clock is overdue since its due time: decided that week, not kept.
    assert [(c.kept, c.decided) for c in first_response.weeks] == [
        (1, 3) if i == week else (0, 0) for i in range(4)]
    assert first_response.total.percent == pytest.approx(100 / 3)
    assert never  # opened, never contacted


async def test_a_running_clock_not_yet_due_is_not_counted(runtime, iranian):
    opened = tehran("2026-04-18", 10)  # Saturday: due Monday 20 April 10:00
    await open_at(runtime, iranian, opened)
    now = tehran("2026-04-20", 9, 59, 59)
    (week,) = metrics.weeks(iranian, now, count=1)
    assert await read(runtime, iranian, metrics.sla_compliance, [week], now) == []
    now = tehran("2026-04-20", 10)
    (clock,) = await read(runtime, iranian, metrics.sla_compliance, metrics.weeks(iranian, now, count=1), now)
    assert [(c.kept, c.decided) for c in clock.weeks] == [(0, 1)]  # due now: overdue


async def test_the_backlog_counts_each_request_in_the_state_it_was_in_at_the_weeks_end(runtime, iranian):
    first = await open_at(runtime, iranian, tehran("2026-04-04", 10))
    await move(runtime, iranian, first, (S.DIAGNOSING, tehran("2026-04-08", 10)), (S.CLOSED, tehran("2026-04-14", 10)))
    second = await open_at(runtime, iranian, tehran("2026-04-12", 10))
    # Closed exactly at the end of the week of 11 April (Saturday 18 April 00:00): not open at its end.
    third = await open_at(runtime, iranian, tehran("2026-04-12", 11))
    await move(runtime, iranian, third, (S.CLOSED, tehran("2026-04-18")))
    now = tehran("2026-04-20", 12)
    span = metrics.weeks(iranian, now, count=3)
    backlog = await read(runtime, iranian, metrics.backlog, span)
    assert [w.first_day.isoformat() for w in span] == ["2026-04-04", "2026-04-11", "2026-04-18"]
    assert backlog[0].by_state["diagnosing"] == 1 and backlog[0].total == 1
    assert backlog[1].by_state["received"] == 1 and backlog[1].total == 1
    assert backlog[2].total == 1
    assert second and set(backlog[0].by_state) == set(metrics.OPEN_STATES)


async def answer_survey(runtime, tenant, request_id, score, when):
    async with runtime.db.transaction(tenant.record.id) as session:
        followup = await session.scalar(select(FollowUp).where(FollowUp.request_id == request_id))
        await record_answers(session, tenant, followup, Answers(csat=score), actor="staff:test", channel="phone",
                             now=when)


async def test_csat_is_the_weekly_mean_of_the_scores_answered_that_week(runtime, iranian):
    closed = []
    for _ in range(3):
        request_id = await open_at(runtime, iranian, tehran("2026-04-04", 9))
        await move(runtime, iranian, request_id, (S.CLOSED, tehran("2026-04-04", 10)))
        closed.append(request_id)
    await answer_survey(runtime, iranian, closed[0], 4, tehran("2026-04-05", 12))
    await answer_survey(runtime, iranian, closed[1], 5, tehran("2026-04-10", 23, 59, 59))  # last second of the week
    await answer_survey(runtime, iranian, closed[2], 2, tehran("2026-04-11"))  # the next week's first instant
    now = tehran("2026-04-12", 12)
    trend = await read(runtime, iranian, metrics.csat_trend, metrics.weeks(iranian, now, count=3))
    assert [(w.responses, w.average) for w in trend] == [(0, None), (2, 4.5), (1, 2.0)]


async def register_unit(runtime, iranian, client, staff_token, serial):
    from support.recalls import register
    from support.warranty import add_unit

    await add_unit(runtime, iranian.record, serial)
    return uuid.UUID(await register(client, await staff_token(iranian.record, "admin"), serial, phone="+98 912 000 0002"))


async def test_first_time_fix_excludes_repairs_sent_back_and_units_back_within_30_days(runtime, iranian, client,
                                                                                          staff_token):
    from support.warranty import imei

    ended = tehran("2026-04-05", 12)
    clean = await open_at(runtime, iranian, tehran("2026-04-04", 9), kind="repair")
    await move(runtime, iranian, clean, (S.IN_REPAIR, tehran("2026-04-04", 10)), (S.READY, tehran("2026-04-04", 11)),
               (S.RETURNED, ended))
    sent_back = await open_at(runtime, iranian, tehran("2026-04-04", 9), kind="repair")
    await move(runtime, iranian, sent_back, (S.IN_REPAIR, tehran("2026-04-04", 10)),
               (S.READY, tehran("2026-04-04", 11)), (S.IN_REPAIR, tehran("2026-04-04", 12)),
               (S.READY, tehran("2026-04-04", 13)), (S.RETURNED, ended))
    back_on_day_30 = await register_unit(runtime, iranian, client, staff_token, imei(1))
    back_on_day_31 = await register_unit(runtime, iranian, client, staff_token, imei(2))
    for registration_id in (back_on_day_30, back_on_day_31):
        request_id = await open_at(runtime, iranian, tehran("2026-04-04", 9), kind="repair",
                                   registration_id=registration_id)
        await move(runtime, iranian, request_id, (S.IN_REPAIR, tehran("2026-04-04", 10)),
                   (S.READY, tehran("2026-04-04", 11)), (S.RETURNED, ended))
    await open_at(runtime, iranian, ended + timedelta(days=30), kind="repair", registration_id=back_on_day_30)
    await open_at(runtime, iranian, ended + timedelta(days=30, seconds=1), kind="repair", registration_id=back_on_day_31)
    cancelled = await open_at(runtime, iranian, tehran("2026-04-04", 9), kind="repair")
    await move(runtime, iranian, cancelled, (S.CANCELLED, ended))
    now = tehran("2026-05-20", 12)
    rates = await read(runtime, iranian, metrics.first_time_fix, metrics.weeks(iranian, now, count=7))
    week = [r for r in rates if r.ended]
    # clean and back-on-day-31 are first-time fixes; sent back, and back on day 30, are not; cancelled is no repair.
    assert [(r.first_time, r.ended) for r in week] == [(2, 4)]
