"""The dispatcher's suggestion: the nearest technicians who can take a visit, why the others cannot (counted by
the first rule each breaks), the last free place vs none, Entekhab's authorisation on its last day vs the day
after, distance from the previous visit of the day, and the on-site clock the window would breach."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from aftersales.dispatch import suggestions
from aftersales.dispatch.visits import get_visit
from support.dispatch import (
    TEHRAN_CENTRE,
    add_registered_unit,
    add_request,
    add_technician,
    add_visit,
    bound,
    future_weekday,
    north_of,
    plan,
)
from support.service import at

SHANGHAI_CENTRE = (31.2304, 121.4737)


async def suggest(runtime, tenant, visit_id, **kwargs):
    async with runtime.db.transaction(tenant.record.id) as s:
        return await suggestions.suggest(s, tenant, await get_visit(s, visit_id), **kwargs)


async def test_nearest_technician_first_and_every_other_counted_by_the_rule_it_breaks(runtime, seed_tenant):
    entekhab = await seed_tenant("entekhab")
    day = future_weekday(runtime, entekhab, 0)  # a Monday
    other_days = [d for d in range(7) if d != day.weekday()]
    near = await add_technician(runtime, entekhab, "Near", at=north_of(TEHRAN_CENTRE, 1))
    far = await add_technician(runtime, entekhab, "Far", at=north_of(TEHRAN_CENTRE, 10))
    await add_technician(runtime, entekhab, "Plumber", skills=("plumbing",))
    await add_technician(runtime, entekhab, "Weekend", weekdays=other_days)
    await add_technician(runtime, entekhab, "Afternoons", hours=(13, 18))
    await add_technician(runtime, entekhab, "Retired", active=False)
    full = await add_technician(runtime, entekhab, "Full", capacity=1)
    busy = await add_technician(runtime, entekhab, "Busy")
    await plan(runtime, entekhab, await add_visit(runtime, entekhab, day, window=(14, 16)), full)
    await plan(runtime, entekhab, await add_visit(runtime, entekhab, day, window=(11, 13)), busy)
    visit_id = await add_visit(runtime, entekhab, day, window=(9, 12))

    found = await suggest(runtime, entekhab, visit_id)

    assert [(s.technician_id, s.travels_from) for s in found.suggestions] == [(near, "home"), (far, "home")]
    assert [round(s.distance_km) for s in found.suggestions] == [1, 10]
    assert found.eligible == 2
    assert found.left_out == {"inactive": 1, "not_working_that_day": 1, "outside_hours": 1, "no_skill": 1,
                              "full": 1, "busy_in_window": 1}
    assert found.warnings == [] and found.authorisation_required is False


async def test_the_last_free_place_is_offered_and_none_is_not(runtime, seed_tenant):
    entekhab = await seed_tenant("entekhab")
    day = future_weekday(runtime, entekhab, 1)
    two_a_day = await add_technician(runtime, entekhab, "Two a day", capacity=2)
    await plan(runtime, entekhab, await add_visit(runtime, entekhab, day, window=(8, 9)), two_a_day)
    visit_id = await add_visit(runtime, entekhab, day, window=(10, 11))
    last_place = await suggest(runtime, entekhab, visit_id)
    assert [(s.technician_id, s.load, s.daily_capacity) for s in last_place.suggestions] == [(two_a_day, 1, 2)]

    await plan(runtime, entekhab, await add_visit(runtime, entekhab, day, window=(15, 16)), two_a_day)
    no_place = await suggest(runtime, entekhab, visit_id)
    assert no_place.suggestions == [] and no_place.left_out["full"] == 1


async def test_distance_is_from_the_previous_visit_of_the_day_when_there_is_one(runtime, seed_tenant):
    entekhab = await seed_tenant("entekhab")
    day = future_weekday(runtime, entekhab, 2)
    site = north_of(TEHRAN_CENTRE, 30)
    commuter = await add_technician(runtime, entekhab, "Commuter", at=TEHRAN_CENTRE)
    await plan(runtime, entekhab, await add_visit(runtime, entekhab, day, window=(8, 9), site=north_of(site, 2)),
               commuter)
    await plan(runtime, entekhab, await add_visit(runtime, entekhab, day, window=(15, 16), site=TEHRAN_CENTRE),
               commuter)  # after the window: not where they come from
    visit_id = await add_visit(runtime, entekhab, day, window=(10, 12), site=site)
    [only] = (await suggest(runtime, entekhab, visit_id)).suggestions
    assert (only.travels_from, round(only.distance_km), only.load) == ("previous_visit", 2, 2)


async def test_entekhab_in_warranty_visit_needs_an_authorisation_valid_on_the_day(runtime, seed_tenant):
    entekhab = await seed_tenant("entekhab")
    day = future_weekday(runtime, entekhab, 3)
    last_day = await add_technician(runtime, entekhab, "Valid to the day", authorised={"refrigerator": day})
    await add_technician(runtime, entekhab, "Lapsed the day before",
                         authorised={"refrigerator": day - timedelta(days=1)})
    await add_technician(runtime, entekhab, "Washers only", authorised={"washing_machine": day + timedelta(days=90)})
    registration = await add_registered_unit(runtime, entekhab, "RF500B0001")
    in_warranty = await add_visit(runtime, entekhab, day, request_id=await add_request(
        runtime, entekhab, registration_id=registration))
    async with runtime.db.transaction(entekhab.record.id) as s:
        visit = await get_visit(s, in_warranty)
        assert (visit.category, visit.in_warranty) == ("refrigerator", True)

    found = await suggest(runtime, entekhab, in_warranty)
    assert [s.technician_id for s in found.suggestions] == [last_day]
    assert found.authorisation_required and found.left_out["not_authorised"] == 2

    out_of_warranty = await add_visit(runtime, entekhab, day)
    anyone = await suggest(runtime, entekhab, out_of_warranty)
    assert anyone.eligible == 3 and not anyone.authorisation_required and "not_authorised" not in anyone.left_out


async def test_yizhongyi_warns_when_the_window_ends_after_the_onsite_clock_is_due(runtime, seed_tenant):
    yizhongyi = await seed_tenant("yizhongyi")
    opened = at(bound(runtime, yizhongyi).calendar.zone, "2027-03-10", 10)  # a Wednesday
    request_id = await add_request(runtime, yizhongyi, site=SHANGHAI_CENTRE, now=opened)
    await add_technician(runtime, yizhongyi, "Wang", at=SHANGHAI_CENTRE)
    day = date(2027, 3, 11)  # on site within 24 h: by Thursday 10:00
    in_time = await add_visit(runtime, yizhongyi, day, request_id=request_id, window=(8, 10))
    assert (await suggest(runtime, yizhongyi, in_time)).warnings == []

    late = await add_visit(runtime, yizhongyi, day, request_id=request_id, window=(9, 11))
    [warning] = (await suggest(runtime, yizhongyi, late)).warnings
    assert warning.clock == "onsite" and warning.due_at == opened + timedelta(days=1)
    async with runtime.db.transaction(yizhongyi.record.id) as s:
        minute_late = await suggestions.sla_warnings(s, yizhongyi, await get_visit(s, in_time), time(10, 1))
    assert [w.clock for w in minute_late] == ["onsite"]


@pytest.mark.parametrize("limit", [1])
async def test_the_list_is_cut_at_the_limit_but_every_eligible_one_is_counted(runtime, seed_tenant, limit):
    entekhab = await seed_tenant("entekhab")
    day = future_weekday(runtime, entekhab, 0)
    for km in (3, 1, 2):
        await add_technician(runtime, entekhab, f"At {km} km", at=north_of(TEHRAN_CENTRE, km))
    found = await suggest(runtime, entekhab, await add_visit(runtime, entekhab, day), limit=limit)
    assert [s.name for s in found.suggestions] == ["At 1 km"] and found.eligible == 3
