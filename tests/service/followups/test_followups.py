"""Follow-ups scheduled by the seed companies' real manifests, through the service layer at fixed instants:
the satisfaction survey after a closed request (none after a cancelled one), Golden Laser's calls 3 days and
3 months after the training sign-off (30 Nov + 3 months = 28 Feb, on Tbilisi's calendar) and 3 days after each
repair, Yizhongyi's monthly usage tracking until the warranty ends, and an event recorded twice scheduling once."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from aftersales.errors import Conflict, InvalidInput
from aftersales.identity.customers import CustomerDetails
from aftersales.service.followups import services as followups
from aftersales.service.followups.delivery import send_due_followups
from aftersales.service.followups.models import FollowUp
from aftersales.service.requests import services as service
from aftersales.service.states import RequestState
from aftersales.tenancy.current import bind_tenant
from aftersales.warranty.registrations.services import PurchaseDetails, register_purchase
from support.service import at
from support.warranty import add_unit

TBILISI, SHANGHAI, BERLIN = ZoneInfo("Asia/Tbilisi"), ZoneInfo("Asia/Shanghai"), ZoneInfo("Europe/Berlin")
GOLDEN_QUESTIONS = ["Is the machine installed, and are you satisfied with it?",
                    "Can you operate the machine independently, and what help do you need?",
                    "Are you satisfied with the engineer's attitude?",
                    "Were you told the service hotline number?"]


@pytest.fixture
def test_tenant(runtime, make_tenant):
    async def create(slug: str = "acme", vertical: str = "electronics"):
        return bind_tenant(await make_tenant(slug, vertical), runtime.plugins)

    return create


async def open_request(runtime, tenant, when, *, kind="repair", registration_id=None):
    async with runtime.db.transaction(tenant.record.id) as session:
        customer = None if registration_id else CustomerDetails(name="Test Customer", email="customer@example.com")
        new = service.NewRequest(kind=kind, channel="phone", summary="needs service", customer=customer,
                                 registration_id=registration_id)
        return (await service.open_request(session, tenant, new, actor="staff:test", now=when)).id


async def move(runtime, tenant, request_id, *steps):
    """Move the request through ``(state, instant)`` steps."""
    async with runtime.db.transaction(tenant.record.id) as session:
        for state, when in steps:
            await service.move_request(session, tenant, request_id, RequestState(state), actor="staff:test",
                                       note="", now=when)


async def followups_of(runtime, tenant, **where):
    async with runtime.db.transaction(tenant.record.id) as session:
        query = select(FollowUp).order_by(FollowUp.due_at, FollowUp.plan_name)
        for column, value in where.items():
            query = query.where(getattr(FollowUp, column) == value)
        return list(await session.scalars(query))


async def sign_off(runtime, tenant, request_id, when):
    async with runtime.db.transaction(tenant.record.id) as session:
        _, scheduled = await followups.sign_off_training(session, tenant, request_id, signed_by="Nino Beridze",
                                                         note="trained two operators", actor="staff:test", now=when)
    return scheduled


async def test_a_closed_request_schedules_the_satisfaction_survey_an_hour_later(runtime, test_tenant):
    acme = await test_tenant()
    request_id = await open_request(runtime, acme, at(BERLIN, "2026-06-01", 9), kind="inquiry")
    await move(runtime, acme, request_id, ("closed", at(BERLIN, "2026-06-01", 11)))
    [survey] = await followups_of(runtime, acme)
    assert (survey.plan_name, survey.channel, survey.event_kind, survey.status) == (
        "satisfaction_survey", "portal", "request_closed", "scheduled")
    assert survey.due_at == at(BERLIN, "2026-06-01", 12)
    assert survey.questionnaire == ["How satisfied are you with the service (1-5)?", "Anything you want to tell us?"]
    assert (survey.request_id, survey.occurrence) == (request_id, 1)


async def test_every_ending_but_cancellation_schedules_the_survey(runtime, test_tenant):
    acme = await test_tenant()
    ended = {}
    for state in ("returned", "cancelled"):
        request_id = await open_request(runtime, acme, at(BERLIN, "2026-06-01", 9))
        path = [("in_repair", at(BERLIN, "2026-06-01", 10)), ("ready", at(BERLIN, "2026-06-02", 10))]
        await move(runtime, acme, request_id, *(path if state == "returned" else path[:1]),
                   (state, at(BERLIN, "2026-06-03", 10)))
        ended[state] = [f.plan_name for f in await followups_of(runtime, acme, request_id=request_id)]
    assert ended == {"returned": ["satisfaction_survey"], "cancelled": []}


async def test_golden_laser_calls_3_days_and_3_months_after_the_training_sign_off(runtime, seed_tenant):
    golden = await seed_tenant("golden-laser")
    request_id = await open_request(runtime, golden, at(TBILISI, "2026-11-27", 9), kind="installation")
    await move(runtime, golden, request_id, ("ready", at(TBILISI, "2026-11-30", 10)))
    assert await followups_of(runtime, golden) == []  # installed, but the calls wait for the sign-off
    scheduled = await sign_off(runtime, golden, request_id, at(TBILISI, "2026-11-30", 11))
    calls = await followups_of(runtime, golden)
    assert [f.id for f in calls] == [f.id for f in scheduled]
    assert [(f.plan_name, f.channel, f.due_at) for f in calls if f.plan_name != "return_visit"] == [
        ("installation_call_3d", "call", at(TBILISI, "2026-12-03", 11)),
        ("installation_call_3m", "call", at(TBILISI, "2027-02-28", 11)),  # 30 Nov + 3 months: no 30 February
        ("maintenance_review", "call", at(TBILISI, "2027-05-30", 11)),  # every 6 months (industrial vertical)
    ]
    installation_calls = [f for f in calls if f.plan_name.startswith("installation_call")]
    assert all(f.questionnaire == GOLDEN_QUESTIONS and f.event_kind == "training_signed_off"
               for f in installation_calls)


async def test_three_months_count_on_tbilisi_s_calendar_not_utc(runtime, seed_tenant):
    """02:00 on 30 Nov in Tbilisi is 22:00 on 29 Nov in UTC; 29 Nov + 3 months in UTC would land on 1 March."""
    golden = await seed_tenant("golden-laser")
    request_id = await open_request(runtime, golden, at(TBILISI, "2026-11-29", 9), kind="installation")
    await sign_off(runtime, golden, request_id, at(TBILISI, "2026-11-30", 2))
    three_months = (await followups_of(runtime, golden, plan_name="installation_call_3m"))[0]
    assert three_months.due_at == at(TBILISI, "2027-02-28", 2)


async def test_the_training_is_signed_off_once_on_an_open_installation_only(runtime, seed_tenant):
    golden = await seed_tenant("golden-laser")
    installation = await open_request(runtime, golden, at(TBILISI, "2026-11-27", 9), kind="installation")
    repair = await open_request(runtime, golden, at(TBILISI, "2026-11-27", 9))
    with pytest.raises(Conflict, match="only an installation"):
        await sign_off(runtime, golden, repair, at(TBILISI, "2026-11-30", 11))
    async with runtime.db.transaction(golden.record.id) as session:
        with pytest.raises(InvalidInput) as refused:
            await followups.sign_off_training(session, golden, installation, signed_by="  ", note="",
                                              actor="staff:test", now=at(TBILISI, "2026-11-30", 11))
    assert [e.field for e in refused.value.errors] == ["signed_by"]
    await sign_off(runtime, golden, installation, at(TBILISI, "2026-11-30", 11))
    with pytest.raises(Conflict, match="already signed off"):
        await sign_off(runtime, golden, installation, at(TBILISI, "2026-11-30", 12))
    await move(runtime, golden, installation, ("closed", at(TBILISI, "2026-11-30", 13)))
    closed = await open_request(runtime, golden, at(TBILISI, "2026-11-27", 9), kind="installation")
    await move(runtime, golden, closed, ("closed", at(TBILISI, "2026-11-30", 13)))
    with pytest.raises(Conflict, match="before the request ends"):
        await sign_off(runtime, golden, closed, at(TBILISI, "2026-11-30", 14))
    assert len(await followups_of(runtime, golden, plan_name="installation_call_3d")) == 1


async def test_golden_laser_calls_3_days_after_each_repair_and_not_after_a_failed_final_test(runtime, seed_tenant):
    golden = await seed_tenant("golden-laser")
    request_id = await open_request(runtime, golden, at(TBILISI, "2026-05-04", 9))
    await move(runtime, golden, request_id, ("in_repair", at(TBILISI, "2026-05-04", 10)),
               ("ready", at(TBILISI, "2026-05-05", 16)))
    [call] = await followups_of(runtime, golden)
    assert (call.plan_name, call.due_at, call.questionnaire[0]) == (
        "repair_call_3d", at(TBILISI, "2026-05-08", 16), "Is the machine repaired, and are you satisfied with it?")
    await move(runtime, golden, request_id, ("in_repair", at(TBILISI, "2026-05-06", 9)))
    [call] = await followups_of(runtime, golden)
    assert (call.status, call.status_reason) == ("cancelled", "the unit went back into repair")
    await move(runtime, golden, request_id, ("ready", at(TBILISI, "2026-05-07", 12)),
               ("returned", at(TBILISI, "2026-05-07", 15)))
    assert [(f.plan_name, f.status, f.due_at) for f in await followups_of(runtime, golden)] == [
        ("satisfaction_survey", "scheduled", at(TBILISI, "2026-05-07", 16)),
        ("repair_call_3d", "scheduled", at(TBILISI, "2026-05-10", 12)),
    ]


async def test_mehr_sets_no_calls_of_its_own_after_a_repair(runtime, seed_tenant):
    mehr = await seed_tenant("mehr")
    request_id = await open_request(runtime, mehr, at(ZoneInfo("Asia/Tehran"), "2026-05-04", 9))
    await move(runtime, mehr, request_id, ("in_repair", at(ZoneInfo("Asia/Tehran"), "2026-05-04", 10)),
               ("ready", at(ZoneInfo("Asia/Tehran"), "2026-05-05", 10)))
    assert await followups_of(runtime, mehr) == []


async def test_recording_the_same_event_twice_schedules_once(runtime, seed_tenant):
    golden = await seed_tenant("golden-laser")
    request_id = await open_request(runtime, golden, at(TBILISI, "2026-05-04", 9))
    async with runtime.db.transaction(golden.record.id) as session:
        request = await service.get_request(session, request_id)
        first = await followups.record_request_event(session, golden, request, "repaired", at(TBILISI, "2026-05-05", 9))
        again = await followups.record_request_event(session, golden, request, "repaired", at(TBILISI, "2026-05-06", 9))
    assert ([f.plan_name for f in first], again) == (["repair_call_3d"], [])
    [call] = await followups_of(runtime, golden)
    assert call.due_at == at(TBILISI, "2026-05-08", 9)


async def yizhongyi_unit(runtime, yizhongyi, purchased_on: date):
    await add_unit(runtime, yizhongyi.record, "YZY-2026-00001", sku="LIFT-4T")
    async with runtime.db.transaction(yizhongyi.record.id) as session:
        registered = await register_purchase(session, yizhongyi, PurchaseDetails(
            serial="YZY-2026-00001", purchased_on=purchased_on, invoice_number="NJ-1",
            owner=CustomerDetails(name="Nanjing Technical School", email="equipment@school.example")),
            registered_by="staff:test", now=at(SHANGHAI, purchased_on.isoformat(), 12))
    return registered.registration.id, registered.coverage.warranty_end


async def send_until_done(runtime, tenant) -> list[FollowUp]:
    """Run the sending job at each due time in turn until nothing is scheduled; the follow-ups, oldest first."""
    for _ in range(40):
        scheduled = await followups_of(runtime, tenant, status="scheduled")
        if not scheduled:
            break
        assert await send_due_followups(runtime, tenant.record.id, scheduled[0].due_at) == 1
    return await followups_of(runtime, tenant)


async def test_yizhongyi_tracks_usage_monthly_until_the_warranty_ends(runtime, seed_tenant):
    yizhongyi = await seed_tenant("yizhongyi")
    registration_id, warranty_end = await yizhongyi_unit(runtime, yizhongyi, date(2026, 1, 20))
    assert warranty_end == date(2027, 1, 20)  # 12 months (the manifest's assumption) from the sale
    request_id = await open_request(runtime, yizhongyi, at(SHANGHAI, "2026-01-26", 9), kind="installation",
                                    registration_id=registration_id)
    await move(runtime, yizhongyi, request_id, ("ready", at(SHANGHAI, "2026-01-31", 15)),
               ("closed", at(SHANGHAI, "2026-02-01", 10)))
    tracking = [f for f in await send_until_done(runtime, yizhongyi) if f.plan_name == "usage_tracking"]
    # Counted from 31 January on the calendar: the last day of each shorter month, never drifting to the 28th.
    assert [f.due_at.astimezone(SHANGHAI).date().isoformat() for f in tracking] == [
        "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31", "2026-06-30", "2026-07-31", "2026-08-31",
        "2026-09-30", "2026-10-31", "2026-11-30", "2026-12-31"]  # 31 January 2027 is after the warranty's end
    assert [f.occurrence for f in tracking] == list(range(1, 12))
    assert {f.registration_id for f in tracking} == {registration_id}
    assert [f.status for f in tracking] == ["missed"] * 10 + ["sent"]
    assert tracking[0].status_reason == "not answered before the next occurrence"


async def test_usage_tracking_without_a_unit_stops_after_twelve_calls(runtime, seed_tenant):
    yizhongyi = await seed_tenant("yizhongyi")
    request_id = await open_request(runtime, yizhongyi, at(SHANGHAI, "2026-03-02", 9), kind="installation")
    await move(runtime, yizhongyi, request_id, ("ready", at(SHANGHAI, "2026-03-03", 15)))
    tracking = [f for f in await send_until_done(runtime, yizhongyi) if f.plan_name == "usage_tracking"]
    assert len(tracking) == 12
    assert tracking[-1].due_at == at(SHANGHAI, "2027-03-03", 15)


async def test_an_installation_closed_without_passing_ready_is_installed_once(runtime, seed_tenant):
    yizhongyi = await seed_tenant("yizhongyi")
    request_id = await open_request(runtime, yizhongyi, at(SHANGHAI, "2026-03-02", 9), kind="installation")
    await move(runtime, yizhongyi, request_id, ("closed", at(SHANGHAI, "2026-03-03", 15)))
    assert sorted(f.plan_name for f in await followups_of(runtime, yizhongyi)) == [
        "satisfaction_survey", "usage_tracking"]


async def test_satisfaction_counts_scores_answered_in_the_period(runtime, test_tenant):
    acme = await test_tenant()
    answered = []
    for score, hour in ((5, 9), (4, 10), (4, 11), (1, 12)):
        request_id = await open_request(runtime, acme, at(BERLIN, "2026-06-01", 8), kind="inquiry")
        await move(runtime, acme, request_id, ("closed", at(BERLIN, "2026-06-01", 8)))
        async with runtime.db.transaction(acme.record.id) as session:
            [survey] = await session.scalars(select(FollowUp).where(FollowUp.request_id == request_id))
            await followups.record_answers(session, acme, survey, followups.Answers(csat=score), actor="staff:test",
                                           channel="phone", now=at(BERLIN, "2026-06-02", hour))
        answered.append(score)
    async with runtime.db.transaction(acme.record.id) as session:
        everything = await followups.satisfaction(session, since=None, until=None)
        until_noon = await followups.satisfaction(session, since=at(BERLIN, "2026-06-02", 10),
                                                  until=at(BERLIN, "2026-06-02", 12))
        assert await session.scalar(select(func.count()).select_from(FollowUp).where(FollowUp.step.is_(None))) == 4
        assert await session.scalar(select(func.count()).select_from(FollowUp).where(
            FollowUp.step == "call_back")) == 1, "the score of 1 is called back (electronics: 2 or less)"
    assert (everything.count, everything.average, everything.distribution) == (4, 3.5, {1: 1, 2: 0, 3: 0, 4: 2, 5: 1})
    assert (until_noon.count, until_noon.average) == (2, 4.0)  # 10:00 counts, 12:00 does not
