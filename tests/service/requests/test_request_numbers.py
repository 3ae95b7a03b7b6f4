"""Request numbers: one per-tenant counter bumped in the opening transaction, so numbers run 1, 2, 3 … per
tenant with no gaps and no repeats, even with openers racing and some of them rolling back."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

import pytest
from alembic import command
from sqlalchemy import select, text

from aftersales.contract.values import RequestFacts
from aftersales.db.base import utcnow
from aftersales.errors import CrossTenantWrite
from aftersales.identity.customers import CustomerDetails
from aftersales.migrate import alembic_config, upgrade
from aftersales.onboarding.services import onboard
from aftersales.runtime import build_runtime
from aftersales.service.models import RequestCounter, RequestEvent, ServiceRequest, SlaClock
from aftersales.service.requests.services import NewRequest, open_request
from aftersales.tenancy.current import bind_tenant
from aftersales.testing.postgres import APP_ROLE
from conftest import minimal_manifest


class _Undone(Exception):
    """Raised inside an opening transaction to roll it back."""


def walk_in(n: int) -> NewRequest:
    return NewRequest(kind="repair", channel="walk_in", summary=f"screen flickers ({n})",
                      customer=CustomerDetails(name=f"Customer {n}", phone=f"+49 30 9018{n:03d}"))


async def open_one(runtime, tenant, n: int, *, undo: bool = False) -> int:
    """Open request ``n`` in a transaction of its own and return its number; ``undo`` rolls it back."""
    try:
        async with runtime.db.transaction(tenant.record.id) as session:
            request = await open_request(session, tenant, walk_in(n), actor="staff:test", now=utcnow())
            number = request.number
            if undo:
                raise _Undone
    except _Undone:
        pass
    return number


async def numbers(runtime, tenant) -> list[int]:
    async with runtime.db.transaction(tenant.record.id) as session:
        return sorted(await session.scalars(select(ServiceRequest.number)))


async def test_a_rolled_back_opening_gives_its_number_back(runtime, make_tenant):
    acme = bind_tenant(await make_tenant("acme"), runtime.plugins)
    assert await open_one(runtime, acme, 1) == 1
    assert await open_one(runtime, acme, 2, undo=True) == 2
    assert await open_one(runtime, acme, 3) == 2
    assert await numbers(runtime, acme) == [1, 2]


async def test_each_tenant_counts_from_one(runtime, make_tenant):
    acme = bind_tenant(await make_tenant("acme"), runtime.plugins)
    bolt = bind_tenant(await make_tenant("bolt"), runtime.plugins)
    for n in range(3):
        await open_one(runtime, acme, n)
    assert await open_one(runtime, bolt, 0) == 1
    async with runtime.db.transaction(bolt.record.id) as session:
        counters = list(await session.scalars(select(RequestCounter.last_number)))
    assert counters == [1]  # the session sees its own tenant's counter only


async def test_concurrent_openers_take_every_number_once(runtime, make_tenant):
    acme = bind_tenant(await make_tenant("acme"), runtime.plugins)
    undone = {3, 7, 8, 12}
    await asyncio.gather(*(open_one(runtime, acme, n, undo=n in undone) for n in range(16)))
    assert await numbers(runtime, acme) == list(range(1, 16 - len(undone) + 1))


async def until_an_opener_waits_on_a_lock(runtime) -> None:
    """Return once another connection of this database waits for a lock (PostgreSQL's own view of it)."""
    deadline = asyncio.get_running_loop().time() + 30  # bounded by time, not by polls: a faster server polls faster
    async with runtime.db.engine.connect() as connection:
        while asyncio.get_running_loop().time() < deadline:
            waiting = await connection.scalar(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'"))
            if waiting:
                return
            await connection.rollback()  # pg_stat_activity is a snapshot per transaction: the next poll needs a new one
        raise AssertionError("no opener came to wait on the counter's lock")


@pytest.mark.postgres_only  # SQLite runs one writer at a time for the whole database
async def test_an_open_transaction_of_one_tenant_does_not_hold_up_another_tenants_numbers(runtime, make_tenant):
    acme = bind_tenant(await make_tenant("acme"), runtime.plugins)
    bolt = bind_tenant(await make_tenant("bolt"), runtime.plugins)
    async with runtime.db.transaction(acme.record.id) as session:
        held = await open_request(session, acme, walk_in(0), actor="staff:test", now=utcnow())
        assert await open_one(runtime, bolt, 0) == 1  # acme's counter row is locked; bolt's is not
    assert held.number == 1 and await numbers(runtime, acme) == [1]


@pytest.mark.postgres_only  # the counter row's lock is PostgreSQL's; SQLite's single writer serialises anyway
async def test_an_opener_waits_for_the_holder_of_its_tenants_counter_and_takes_what_it_leaves(runtime, make_tenant):
    acme = bind_tenant(await make_tenant("acme"), runtime.plugins)
    await open_one(runtime, acme, 0)
    with pytest.raises(_Undone):
        async with runtime.db.transaction(acme.record.id) as session:
            held = await open_request(session, acme, walk_in(1), actor="staff:test", now=utcnow())
            waiting = asyncio.create_task(open_one(runtime, acme, 2))
            await until_an_opener_waits_on_a_lock(runtime)
            assert held.number == 2 and not waiting.done()
            raise _Undone
    assert await waiting == 2
    assert await numbers(runtime, acme) == [1, 2]


async def test_an_opened_request_is_written_whole_and_stays_usable_in_its_session(runtime, make_tenant):
    acme = bind_tenant(await make_tenant("acme"), runtime.plugins)
    async with runtime.db.transaction(acme.record.id) as session:
        request = await open_request(session, acme, walk_in(0), actor="staff:test", now=utcnow())
        request.priority = 2  # the object is the session's persistent row: a change is flushed as an UPDATE
    async with runtime.db.transaction(acme.record.id) as session:
        stored = await session.scalar(select(ServiceRequest))
        events = list(await session.scalars(select(RequestEvent.kind)))
        clocks = list(await session.scalars(select(SlaClock)))
    assert (stored.id, stored.number, stored.priority, stored.tenant_id) == (request.id, 1, 2, acme.record.id)
    assert events == ["opened"]
    planned = {target.name: target for target in acme.hooks.aftersales_sla_targets(
        tenant=acme.context, request=walk_in_facts(request))}
    assert {clock.name for clock in clocks} == set(planned) and planned
    for clock in clocks:
        target = planned[clock.name]
        assert (clock.clock, clock.duration_seconds, clock.met_on, clock.pauses_on, clock.at_risk_fraction) == (
            target.clock, int(target.duration.total_seconds()), list(target.met_on), list(target.pauses_on),
            target.at_risk_fraction)
        assert (clock.due_at is not None) == (clock.starts_on == "opened") and clock.used_seconds == 0


def walk_in_facts(request) -> RequestFacts:
    """The facts the vertical planned the clocks of ``request`` from (a walk-in: no unit, no site)."""
    return RequestFacts(kind=request.kind, channel=request.channel, opened_at=request.opened_at, product=None,
                        under_warranty=False, customer_location=None, customer_country=None, service_points=(),
                        complaint_subject=None)


async def test_a_request_is_not_opened_through_another_tenants_session(runtime, make_tenant):
    acme = bind_tenant(await make_tenant("acme"), runtime.plugins)
    bolt = bind_tenant(await make_tenant("bolt"), runtime.plugins)
    with pytest.raises(CrossTenantWrite):
        async with runtime.db.transaction(bolt.record.id) as session:
            await open_request(session, acme, walk_in(0), actor="staff:test", now=utcnow())
    assert await numbers(runtime, acme) == [] and await numbers(runtime, bolt) == []


def test_the_migration_starts_each_tenants_counter_at_its_highest_number(backend, base_settings, plugins):
    """Requests opened before the counters existed: the migration that adds them counts on from there."""
    settings = replace(base_settings, database_url=backend.app_url, migration_database_url=backend.owner_url,
                       database_app_role=APP_ROLE if backend.name == "postgresql" else None)

    async def open_before() -> tuple[Any, Any]:
        runtime = build_runtime(settings, plugins=plugins)
        try:
            tenants = []
            for slug in ("acme", "bolt"):
                async with runtime.db.transaction(None) as session:
                    record, _ = await onboard(session, plugins, minimal_manifest(slug))
                tenants.append(bind_tenant(record, plugins))
            for n in range(3):
                await open_one(runtime, tenants[0], n)
            await open_one(runtime, tenants[1], 0)
            return tenants[0], tenants[1]
        finally:
            await runtime.close()

    async def counters_then_next(acme: Any, bolt: Any) -> tuple[list[int], int]:
        runtime = build_runtime(settings, plugins=plugins)
        try:
            last = []
            for tenant in (acme, bolt):
                async with runtime.db.transaction(tenant.record.id) as session:
                    last.append(await session.scalar(select(RequestCounter.last_number)))
            return last, await open_one(runtime, acme, 3)
        finally:
            await runtime.close()

    acme, bolt = asyncio.run(open_before())
    command.downgrade(alembic_config(settings, backend.owner_url), "0007n-1")  # as before the counters
    upgrade(settings, url=backend.owner_url)
    assert asyncio.run(counters_then_next(acme, bolt)) == ([3, 1], 4)
