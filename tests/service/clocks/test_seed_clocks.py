"""The seed companies' clocks, computed by the engine on each tenant's own calendar from its real manifest:
Mehr's 7-business-day result across Nowruz and its 30-business-day replacement offer, Golden Laser's on-site
time by distance to the nearest service point and its overseas clocks, Yizhongyi's first contact across Golden
Week and a working Saturday (调休)."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from aftersales.identity.customers import CustomerDetails
from aftersales.outbox.models import OutboxMessage
from aftersales.service.clocks.escalation import sweep_breaches
from aftersales.service.clocks.services import clocks_of, view
from aftersales.service.models import RequestEvent, ServicePoint
from aftersales.service.requests import services as service
from aftersales.service.requests.receipts import receipt_of
from aftersales.service.states import RequestState
from aftersales.warranty.registrations.services import PurchaseDetails, register_purchase
from support.service import at
from support.warranty import add_unit, imei

TEHRAN, SHANGHAI, TBILISI = ZoneInfo("Asia/Tehran"), ZoneInfo("Asia/Shanghai"), ZoneInfo("Asia/Tbilisi")
KM_PER_DEGREE = 111.19508
"""Kilometres per degree of latitude on the haversine package's mean Earth radius (6371.0088 km)."""


async def open_request(runtime, tenant, when, *, kind="repair", registration_id=None, **site):
    async with runtime.db.transaction(tenant.record.id) as session:
        customer = None if registration_id else CustomerDetails(name="Test Customer", email="customer@example.com")
        new = service.NewRequest(kind=kind, channel="phone", summary="does not work", customer=customer,
                                 registration_id=registration_id, **site)
        return (await service.open_request(session, tenant, new, actor="staff:test", now=when)).id


async def clock_table(runtime, tenant, request_id, now):
    async with runtime.db.transaction(tenant.record.id) as session:
        return {c.name: (c, view(c, tenant.calendar, now)) for c in await clocks_of(session, request_id)}


async def mehr_registration(runtime, mehr):
    await add_unit(runtime, mehr.record, imei(1))
    async with runtime.db.transaction(mehr.record.id) as session:
        registered = await register_purchase(session, mehr, PurchaseDetails(
            serial=imei(1), purchased_on=date(2026, 3, 1), price="250000000", invoice_number="F-1",
            owner=CustomerDetails(name="Test Owner", phone="+98 912 000 0001")), registered_by="staff:test",
            now=at(TEHRAN, "2026-03-01", 12))
    return registered.registration.id


async def test_mehr_promises_a_result_in_seven_business_days_past_nowruz(runtime, seed_tenant):
    mehr = await seed_tenant("mehr")
    registration_id = await mehr_registration(runtime, mehr)
    request_id = await open_request(runtime, mehr, at(TEHRAN, "2026-03-19", 10), registration_id=registration_id)
    clocks = await clock_table(runtime, mehr, request_id, at(TEHRAN, "2026-03-19", 10))
    # Business days after Thu 19 March: 25, 26, 28, 29, 30, 31 March (Fri weekend; 20 March and Nowruz 21–24
    # off), then 1 and 2 April are holidays (Islamic Republic Day, Nature's Day), 3 April a Friday: Sat 4 April.
    assert clocks["result"][0].due_at == at(TEHRAN, "2026-04-04", 10)
    async with runtime.db.transaction(mehr.record.id) as session:
        receipt = await receipt_of(session, mehr, await service.get_request(session, request_id))
    assert (receipt.promised_local_date, receipt.serial) == ("2026-04-04", imei(1))
    assert set(clocks) == {"result", "replacement"}


async def test_mehr_offers_a_replacement_after_thirty_business_days(runtime, seed_tenant):
    mehr = await seed_tenant("mehr")
    registration_id = await mehr_registration(runtime, mehr)
    opened_at = at(TEHRAN, "2026-04-04", 10)
    request_id = await open_request(runtime, mehr, opened_at, registration_id=registration_id)
    due = (await clock_table(runtime, mehr, request_id, opened_at))["replacement"][0].due_at
    assert mehr.calendar.business_days_between(date(2026, 4, 4), due.astimezone(TEHRAN).date()) == 30
    assert await sweep_breaches(runtime, mehr.record.id, due - timedelta(minutes=1)) == 1  # only `result`
    assert await sweep_breaches(runtime, mehr.record.id, due) == 1
    async with runtime.db.transaction(mehr.record.id) as session:
        notes = (await session.scalars(select(RequestEvent.note).where(RequestEvent.kind == "sla_breached")
                                       .order_by(RequestEvent.occurred_at))).all()
        sms = (await session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "sms"))).all()
    assert "after 30 business days in service the customer is offered: replacement" in notes[1]
    assert [(m.recipient, m.event) for m in sms] == [("+989120000001", "request.replacement_offered")]


async def test_a_request_repaired_in_time_is_never_escalated(runtime, seed_tenant):
    mehr = await seed_tenant("mehr")
    registration_id = await mehr_registration(runtime, mehr)
    request_id = await open_request(runtime, mehr, at(TEHRAN, "2026-04-04", 10), registration_id=registration_id)
    async with runtime.db.transaction(mehr.record.id) as session:
        for state, day in (("diagnosing", "2026-04-05"), ("in_repair", "2026-04-06"), ("ready", "2026-04-07")):
            await service.move_request(session, mehr, request_id, RequestState(state), actor="staff:test", note="",
                                       now=at(TEHRAN, day, 12))
    clocks = await clock_table(runtime, mehr, request_id, at(TEHRAN, "2026-06-01", 12))
    assert clocks["result"][1].state == "met"
    assert await sweep_breaches(runtime, mehr.record.id, at(TEHRAN, "2026-09-01", 12)) == 0


def north_of(point: tuple[float, float], km: float) -> dict[str, float]:
    return {"site_latitude": point[0] + km / KM_PER_DEGREE, "site_longitude": point[1]}


@pytest.mark.parametrize(("km", "hours"), [(299.0, 24), (301.0, 72)])
async def test_golden_laser_is_on_site_in_24_hours_within_300_km_of_the_nearest_point(runtime, seed_tenant, km,
                                                                                       hours):
    golden = await seed_tenant("golden-laser")
    tbilisi, batumi = (41.7151, 44.8271), (41.6168, 41.6367)
    async with runtime.db.transaction(golden.record.id) as session:
        session.add_all([ServicePoint(name="Tbilisi", latitude=tbilisi[0], longitude=tbilisi[1], country="GE"),
                         ServicePoint(name="Batumi", latitude=batumi[0], longitude=batumi[1], country="GE")])
    opened_at = at(TBILISI, "2026-11-20", 17)  # a Friday evening: calendar hours run through the weekend
    request_id = await open_request(runtime, golden, opened_at, **north_of(tbilisi, km))
    onsite, _ = (await clock_table(runtime, golden, request_id, opened_at))["onsite"]
    assert onsite.due_at == opened_at + timedelta(hours=hours)


async def test_golden_laser_replies_to_overseas_customers_in_ten_hours(runtime, seed_tenant):
    golden = await seed_tenant("golden-laser")
    opened_at = at(TBILISI, "2026-11-20", 17)
    request_id = await open_request(runtime, golden, opened_at, site_country="AM")
    clocks = await clock_table(runtime, golden, request_id, opened_at)
    assert clocks["reply"][0].due_at == opened_at + timedelta(hours=10)
    assert clocks["repair"][0].due_at == opened_at + timedelta(hours=72)
    assert "onsite" not in clocks


async def test_yizhongyi_first_contact_runs_over_golden_week_and_is_at_risk_after_two_hours(runtime, seed_tenant):
    yizhongyi = await seed_tenant("yizhongyi")
    # Wed 30 Sep 2026, 16:30: one opening hour left; 1–7 October is the National Day holiday, so the other three
    # hours are on Thursday 8 October from 08:30.
    request_id = await open_request(runtime, yizhongyi, at(SHANGHAI, "2026-09-30", 16, 30))
    clock, _ = (await clock_table(runtime, yizhongyi, request_id, at(SHANGHAI, "2026-09-30", 16, 30)))["first_contact"]
    assert clock.due_at == at(SHANGHAI, "2026-10-08", 11, 30)
    states = [(await clock_table(runtime, yizhongyi, request_id, at(SHANGHAI, "2026-10-08", 9, m)))["first_contact"][1]
              .state for m in (29, 31)]
    assert states == ["on_track", "at_risk"]


async def test_yizhongyi_repairs_in_house_by_the_next_business_day_counting_a_working_saturday(runtime, seed_tenant):
    yizhongyi = await seed_tenant("yizhongyi")
    request_id = await open_request(runtime, yizhongyi, at(SHANGHAI, "2026-10-09", 9))
    async with runtime.db.transaction(yizhongyi.record.id) as session:
        await service.move_request(session, yizhongyi, request_id, RequestState.IN_REPAIR, actor="staff:test",
                                   note="", now=at(SHANGHAI, "2026-10-10", 10))
    # Saturday 10 October 2026 is a working day (调休 for Golden Week); Sunday is not: due Monday 12 October.
    repair, _ = (await clock_table(runtime, yizhongyi, request_id, at(SHANGHAI, "2026-10-10", 10)))["in_house_repair"]
    assert repair.due_at == at(SHANGHAI, "2026-10-12", 10)
