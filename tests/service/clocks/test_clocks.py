"""SLA clocks on a tenant's business calendar: due times across Nowruz, pauses that move the due time by
exactly the business time they lasted, on track / at risk / breached / met, and escalation exactly once.

These tests drive the service layer with fixed instants (the API stamps the real time). The tenant is an
Iranian one (Tehran time, Friday weekend, 08:00–17:00) and its requests are inquiries, whose one clock is the
core default (the electronics vertical sets none for inquiries): a first response
within 2 business days, met when the customer is contacted.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from aftersales.identity.customers import CustomerDetails
from aftersales.outbox.models import OutboxMessage
from aftersales.service.clocks.escalation import sweep_breaches
from aftersales.service.clocks.services import clocks_of, view
from aftersales.service.models import RequestEvent, SlaClock
from aftersales.service.requests import services as service
from aftersales.service.states import RequestState
from aftersales.tenancy.current import bind_tenant
from support.service import IRAN, tehran


@pytest.fixture
async def iranian(runtime, make_tenant):
    record = await make_tenant("mehr", **IRAN)
    return bind_tenant(record, runtime.plugins)


async def open_at(runtime, tenant, when: datetime, phone: str = "+98 912 000 0001"):
    async with runtime.db.transaction(tenant.record.id) as session:
        new = service.NewRequest(kind="inquiry", channel="phone", summary="how do I set up e-mail?",
                                 customer=CustomerDetails(name="Test Customer", phone=phone))
        request = await service.open_request(session, tenant, new, actor="staff:test", now=when)
    return request.id


async def first_response(runtime, tenant, request_id, now: datetime):
    async with runtime.db.transaction(tenant.record.id) as session:
        (clock,) = await clocks_of(session, request_id)
        return clock, view(clock, tenant.calendar, now)


async def test_a_business_day_clock_skips_the_weekend_and_nowruz(runtime, iranian):
    # Thursday 19 March 2026, 10:00. Friday is the weekend, 20 March a holiday, 21–24 March Nowruz:
    # the two business days are Wednesday 25 and Thursday 26 March.
    request_id = await open_at(runtime, iranian, tehran("2026-03-19", 10))
    clock, state = await first_response(runtime, iranian, request_id, tehran("2026-03-19", 10))
    assert clock.due_at == tehran("2026-03-26", 10)
    assert state.state == "on_track"
    assert state.remaining == timedelta(hours=18)  # Thu 10–17, Wed 08–17, Thu 08–10 in opening hours


async def test_waiting_for_the_customer_moves_the_due_time_by_the_business_time_it_lasted(runtime, iranian):
    # Saturday 4 April 2026, 10:00 (a working day in Iran): due Monday 6 April 10:00.
    request_id = await open_at(runtime, iranian, tehran("2026-04-04", 10))
    async with runtime.db.transaction(iranian.record.id) as session:
        hold = await service.put_on_hold(session, iranian, request_id, "waiting_for_customer", actor="staff:test",
                                         note="customer is sending the invoice", now=tehran("2026-04-04", 11))
    clock, paused = await first_response(runtime, iranian, request_id, tehran("2026-04-05", 9))
    assert (clock.due_at, paused.paused_for, paused.remaining) == (None, "waiting_for_customer", timedelta(hours=17))
    async with runtime.db.transaction(iranian.record.id) as session:
        await service.release_hold(session, iranian, request_id, hold.id, actor="staff:test", note="",
                                   now=tehran("2026-04-05", 11))
    clock, running = await first_response(runtime, iranian, request_id, tehran("2026-04-05", 11))
    # Paused Saturday 11:00 – Sunday 11:00: 9 opening hours, one business day later than promised.
    assert clock.due_at == tehran("2026-04-07", 10)
    assert running.paused_for is None and running.remaining == timedelta(hours=17)


async def test_a_hold_the_clock_does_not_pause_for_leaves_the_due_time_alone(runtime, iranian):
    request_id = await open_at(runtime, iranian, tehran("2026-04-04", 10))
    async with runtime.db.transaction(iranian.record.id) as session:
        await service.put_on_hold(session, iranian, request_id, "customer_unreachable", actor="staff:test", note="",
                                  now=tehran("2026-04-04", 11))
    clock, state = await first_response(runtime, iranian, request_id, tehran("2026-04-04", 12))
    assert clock.due_at == tehran("2026-04-06", 10) and state.paused_for is None


async def test_a_clock_is_on_track_then_at_risk_then_breached(runtime, iranian):
    request_id = await open_at(runtime, iranian, tehran("2026-04-04", 10))
    # An 18-hour budget: at risk from 80 % (14.4 h) used. Saturday gives 7 h, Sunday 9 h.
    assert (await first_response(runtime, iranian, request_id, tehran("2026-04-05", 15)))[1].state == "on_track"
    assert (await first_response(runtime, iranian, request_id, tehran("2026-04-05", 16)))[1].state == "at_risk"
    _, late = await first_response(runtime, iranian, request_id, tehran("2026-04-06", 10, 1))
    assert late.state == "breached" and late.remaining == timedelta(minutes=-1)


async def test_contacting_the_customer_meets_the_clock_on_time_or_late(runtime, iranian):
    on_time = await open_at(runtime, iranian, tehran("2026-04-04", 10))
    late = await open_at(runtime, iranian, tehran("2026-04-04", 10), phone="+98 912 000 0002")
    for request_id, when in ((on_time, tehran("2026-04-06", 9, 59)), (late, tehran("2026-04-06", 10, 1))):
        async with runtime.db.transaction(iranian.record.id) as session:
            await service.record_milestone(session, iranian, request_id, "contacted", actor="staff:test", note="",
                                           now=when)
    assert (await first_response(runtime, iranian, on_time, tehran("2026-04-09", 9)))[1].state == "met"
    clock, state = await first_response(runtime, iranian, late, tehran("2026-04-09", 9))
    assert state.state == "breached" and clock.met_at == tehran("2026-04-06", 10, 1)


async def test_ending_the_request_stops_its_clocks_and_its_holds(runtime, iranian):
    request_id = await open_at(runtime, iranian, tehran("2026-04-04", 10))
    async with runtime.db.transaction(iranian.record.id) as session:
        await service.put_on_hold(session, iranian, request_id, "waiting_for_customer", actor="staff:test",
                                  note="", now=tehran("2026-04-04", 11))
        await service.move_request(session, iranian, request_id, RequestState.CANCELLED, actor="staff:test",
                                   note="customer withdrew", now=tehran("2026-04-04", 12))
        holds = await service.holds_of(session, request_id)
    assert holds[0].ended_at == tehran("2026-04-04", 12)
    clock, state = await first_response(runtime, iranian, request_id, tehran("2026-05-01", 12))
    assert state.state == "met" and clock.used_seconds == 3600


async def test_a_breach_is_acted_on_once_and_only_when_due(runtime, iranian):
    request_id = await open_at(runtime, iranian, tehran("2026-04-04", 10))
    assert await sweep_breaches(runtime, iranian.record.id, tehran("2026-04-06", 9, 59)) == 0
    assert await sweep_breaches(runtime, iranian.record.id, tehran("2026-04-06", 10)) == 1
    assert await sweep_breaches(runtime, iranian.record.id, tehran("2026-04-06", 11)) == 0
    async with runtime.db.transaction(iranian.record.id) as session:
        events = (await session.scalars(select(RequestEvent).where(RequestEvent.request_id == request_id,
                                                                   RequestEvent.kind == "sla_breached"))).all()
        messages = (await session.scalars(select(OutboxMessage))).all()
    assert len(events) == 1 and "first_response clock was due 2026-04-06 10:00" in events[0].note
    assert [(m.channel, m.recipient, m.event) for m in messages] == [("email", "help@mehr-demo.com", "sla.breached")]
    clock, state = await first_response(runtime, iranian, request_id, tehran("2026-04-06", 11))
    assert state.state == "breached" and clock.breached_at == tehran("2026-04-06", 10)


async def test_a_paused_clock_is_never_due(runtime, iranian):
    request_id = await open_at(runtime, iranian, tehran("2026-04-04", 10))
    async with runtime.db.transaction(iranian.record.id) as session:
        await service.put_on_hold(session, iranian, request_id, "waiting_for_customer", actor="staff:test",
                                  note="", now=tehran("2026-04-04", 11))
    assert await sweep_breaches(runtime, iranian.record.id, tehran("2026-05-30", 10)) == 0


async def test_a_sweep_sees_only_its_own_tenant(runtime, make_tenant, iranian):
    other = bind_tenant(await make_tenant("rival", **IRAN), runtime.plugins)
    await open_at(runtime, other, tehran("2026-04-04", 10))
    assert await sweep_breaches(runtime, iranian.record.id, tehran("2026-05-01", 10)) == 0
    assert await sweep_breaches(runtime, other.record.id, tehran("2026-05-01", 10)) == 1


@pytest.mark.postgres_only
async def test_two_workers_act_on_each_breach_exactly_once(runtime, iranian):
    for n in range(30):
        await open_at(runtime, iranian, tehran("2026-04-04", 10), phone=f"+98 912 000 {n:04d}")
    later = tehran("2026-04-20", 10)
    done = await asyncio.gather(*(sweep_breaches(runtime, iranian.record.id, later, limit=7) for _ in range(6)))
    while sum(done) < 30:
        more = await asyncio.gather(*(sweep_breaches(runtime, iranian.record.id, later, limit=7) for _ in range(2)))
        assert sum(more) > 0, "due breaches were left behind"
        done += more
    assert sum(done) == 30
    async with runtime.db.transaction(iranian.record.id) as session:
        events = await session.scalar(select(func.count()).select_from(RequestEvent)
                                      .where(RequestEvent.kind == "sla_breached"))
        messages = await session.scalar(select(func.count()).select_from(OutboxMessage))
        unhandled = await session.scalar(select(func.count()).select_from(SlaClock)
                                         .where(SlaClock.breach_handled_at.is_(None)))
    assert (events, messages, unhandled) == (30, 30, 0)
