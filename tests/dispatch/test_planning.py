"""Planning a visit to a technician: every refusal at its edge (the last place vs none, the last working hour,
the authorisation's last day, a window that touches vs one that overlaps), the route order, and two
dispatchers racing for a technician's last free place (PostgreSQL: exactly one wins)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from aftersales.db.session import Database
from aftersales.dispatch import planning
from aftersales.dispatch.models import Visit
from aftersales.errors import Conflict
from support.dispatch import (
    add_registered_unit,
    add_request,
    add_technician,
    add_visit,
    future_weekday,
    plan,
)


async def refusal(runtime, tenant, visit_id, technician_id, **kwargs) -> str:
    with pytest.raises(Conflict) as refused:
        await plan(runtime, tenant, visit_id, technician_id, **kwargs)
    return refused.value.code


async def test_the_last_place_of_the_day_is_taken_and_the_next_visit_is_refused(runtime, seed_tenant):
    entekhab = await seed_tenant("entekhab")
    day = future_weekday(runtime, entekhab, 0)
    technician = await add_technician(runtime, entekhab, "Reza", capacity=2)
    await plan(runtime, entekhab, await add_visit(runtime, entekhab, day, window=(8, 9)), technician)
    last = await plan(runtime, entekhab, await add_visit(runtime, entekhab, day, window=(9, 10)), technician)
    assert last.state == "planned" and last.route_order == 2
    third = await add_visit(runtime, entekhab, day, window=(10, 11))
    assert await refusal(runtime, entekhab, third, technician) == "dispatch.over_capacity"
    another_day = await add_visit(runtime, entekhab, day + timedelta(days=7), window=(10, 11))
    assert (await plan(runtime, entekhab, another_day, technician)).state == "planned"


async def test_a_window_must_fall_inside_working_hours_on_a_working_day(runtime, seed_tenant):
    entekhab = await seed_tenant("entekhab")
    day = future_weekday(runtime, entekhab, 1)
    technician = await add_technician(runtime, entekhab, "Ali", hours=(8, 17),
                                      weekdays=[d for d in range(7) if d != day.weekday() + 1])
    until_closing = await plan(runtime, entekhab, await add_visit(runtime, entekhab, day, window=(15, 17)), technician)
    assert until_closing.state == "planned"
    past_closing = await add_visit(runtime, entekhab, day, window=(16, 18))
    assert await refusal(runtime, entekhab, past_closing, technician) == "dispatch.outside_hours"
    before_opening = await add_visit(runtime, entekhab, day, window=(7, 9))
    assert await refusal(runtime, entekhab, before_opening, technician) == "dispatch.outside_hours"
    day_off = await add_visit(runtime, entekhab, day + timedelta(days=1), window=(9, 10))
    assert await refusal(runtime, entekhab, day_off, technician) == "dispatch.outside_hours"


async def test_touching_windows_fit_and_overlapping_ones_do_not(runtime, seed_tenant):
    entekhab = await seed_tenant("entekhab")
    day = future_weekday(runtime, entekhab, 2)
    technician = await add_technician(runtime, entekhab, "Sara")
    await plan(runtime, entekhab, await add_visit(runtime, entekhab, day, window=(10, 12)), technician)
    touching = await plan(runtime, entekhab, await add_visit(runtime, entekhab, day, window=(12, 13)), technician)
    assert touching.route_order == 2
    overlapping = await add_visit(runtime, entekhab, day, window=(11, 14))
    assert await refusal(runtime, entekhab, overlapping, technician) == "dispatch.window_taken"
    earlier = await plan(runtime, entekhab, await add_visit(runtime, entekhab, day, window=(8, 10)), technician)
    assert earlier.route_order == 1
    async with runtime.db.transaction(entekhab.record.id) as s:
        orders = (await s.execute(select(Visit.window_start, Visit.route_order).where(
            Visit.technician_id == technician).order_by(Visit.route_order))).all()
    assert [(start.hour, order) for start, order in orders] == [(8, 1), (10, 2), (12, 3)]


async def test_inactive_or_unskilled_technicians_are_refused(runtime, seed_tenant):
    entekhab = await seed_tenant("entekhab")
    day = future_weekday(runtime, entekhab, 3)
    visit_id = await add_visit(runtime, entekhab, day)
    retired = await add_technician(runtime, entekhab, "Retired", active=False)
    plumber = await add_technician(runtime, entekhab, "Plumber", skills=("plumbing",))
    assert await refusal(runtime, entekhab, visit_id, retired) == "dispatch.technician_inactive"
    assert await refusal(runtime, entekhab, visit_id, plumber) == "dispatch.no_skill"


async def test_entekhab_in_warranty_visit_goes_to_an_authorisation_valid_that_day_only(runtime, seed_tenant):
    entekhab = await seed_tenant("entekhab")
    day = future_weekday(runtime, entekhab, 0)
    lapsed = await add_technician(runtime, entekhab, "Lapsed", authorised={"refrigerator": day - timedelta(days=1)})
    valid = await add_technician(runtime, entekhab, "Valid", authorised={"refrigerator": day})
    request_id = await add_request(runtime, entekhab, registration_id=await add_registered_unit(
        runtime, entekhab, "RF500B0002"))
    visit_id = await add_visit(runtime, entekhab, day, request_id=request_id)
    assert await refusal(runtime, entekhab, visit_id, lapsed) == "dispatch.not_authorised"
    assert (await plan(runtime, entekhab, visit_id, valid)).technician_id == valid


async def test_a_technician_of_another_tenant_is_no_such_technician(runtime, seed_tenant, make_tenant):
    from aftersales.errors import InvalidInput

    entekhab = await seed_tenant("entekhab")
    other = await make_tenant("other")
    stranger = await add_technician(runtime, other, "Stranger")
    visit_id = await add_visit(runtime, entekhab, future_weekday(runtime, entekhab, 0))
    with pytest.raises(InvalidInput) as refused:
        await plan(runtime, entekhab, visit_id, stranger)
    assert [e.field for e in refused.value.errors] == ["technician_id"]


DISPATCHERS = 8


@pytest.mark.postgres_only
async def test_two_dispatchers_never_overbook_the_last_place_of_the_day(backend, runtime, seed_tenant):
    entekhab = await seed_tenant("entekhab")
    day = future_weekday(runtime, entekhab, 1)
    technician = await add_technician(runtime, entekhab, "Last place", capacity=2, hours=(0, 23))
    await plan(runtime, entekhab, await add_visit(runtime, entekhab, day, window=(8, 9)), technician)
    visit_ids = [await add_visit(runtime, entekhab, day, window=(10 + n, 11 + n)) for n in range(DISPATCHERS)]
    db = Database(backend.app_url, pool_size=DISPATCHERS + 2, max_overflow=0)
    everyone_in = asyncio.Barrier(DISPATCHERS)

    async def attempt(visit_id):
        try:
            async with db.transaction(entekhab.record.id) as session:
                await session.execute(text("SELECT 1"))  # the transaction has begun and holds its connection
                await everyone_in.wait()
                await planning.plan_visit(session, entekhab, visit_id, technician, actor="staff:dispatcher",
                                          now=datetime.now(UTC))
            return "planned"
        except Conflict as refused:
            return refused.code

    try:
        outcomes = await asyncio.gather(*(attempt(visit_id) for visit_id in visit_ids))
    finally:
        await db.dispose()
    assert sorted(outcomes) == ["dispatch.over_capacity"] * (DISPATCHERS - 1) + ["planned"]
    async with runtime.db.transaction(entekhab.record.id) as s:
        planned = (await s.scalars(select(Visit.id).where(Visit.technician_id == technician))).all()
    assert len(planned) == 2


async def test_a_planned_visit_is_cancelled_and_frees_its_place_but_a_fixed_one_is_not(runtime, seed_tenant):
    entekhab = await seed_tenant("entekhab")
    day = future_weekday(runtime, entekhab, 2)
    technician = await add_technician(runtime, entekhab, "One a day", capacity=1)
    first = await add_visit(runtime, entekhab, day, window=(9, 10))
    await plan(runtime, entekhab, first, technician)
    async with runtime.db.transaction(entekhab.record.id) as s:
        cancelled = await planning.cancel_visit(s, first, actor="staff:dispatcher", now=datetime.now(UTC))
    assert (cancelled.state, cancelled.route_order) == ("cancelled", None)
    second = await add_visit(runtime, entekhab, day, window=(11, 12))
    assert (await plan(runtime, entekhab, second, technician)).state == "planned"
    async with runtime.db.transaction(entekhab.record.id) as s:
        await planning.fix_day(s, entekhab, day, actor="staff:dispatcher", now=datetime.now(UTC))
    with pytest.raises(Conflict) as refused:
        async with runtime.db.transaction(entekhab.record.id) as s:
            await planning.cancel_visit(s, second, actor="staff:dispatcher", now=datetime.now(UTC))
    assert refused.value.code == "dispatch.visit_not_cancellable"
