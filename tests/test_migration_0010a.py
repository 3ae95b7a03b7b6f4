"""Migration 0010a on a database that holds data: the refunds table gains its claim's foreign key (on SQLite by
rebuilding the table that refund events point at) without losing a refund or an event, both ways."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from alembic import command
from sqlalchemy import func, select

from aftersales.migrate import alembic_config, schema_drift
from aftersales.payments.refunds.models import Refund, RefundEvent
from aftersales.warranty.models import Coverage, Registration
from support.payments import add_payment
from support.refunds import entekhab, record_identity
from support.warranty import add_unit
from support.warranty import tenant_today as today


async def counts(runtime, tenant) -> tuple[int, int, int]:
    async with runtime.db.transaction(tenant.id) as s:
        return (await s.scalar(select(func.count()).select_from(Refund)),
                await s.scalar(select(func.count()).select_from(RefundEvent)),
                await s.scalar(select(func.count()).select_from(Coverage)))


async def test_0010a_goes_down_and_up_again_keeping_refunds_events_and_coverage(backend, base_settings, runtime, client,
                                                                               make_tenant, staff_token,
                                                                               customer_token):
    tenant = await entekhab(make_tenant)
    agent = await staff_token(tenant, "agent")
    await add_unit(runtime, tenant, "FRIDGE0001", sku="RF-1")
    registered = await client.post("/api/v1/registrations/", headers=agent, json={
        "serial": "FRIDGE0001", "purchased_on": today().isoformat(), "owner": {"name": "Sara", "phone": "09121234567"}})
    assert registered.status_code == 201
    customer_id, customer = await customer_token(tenant)
    await record_identity(client, agent, customer_id)
    payment = await add_payment(runtime, tenant, customer_id, 1_000_000, currency="IRR")
    asked = await client.post("/api/v1/refunds", headers=customer, json={"source": "payment", "payment_id": str(payment)})
    assert asked.status_code == 201, asked.text
    before = await counts(runtime, tenant)
    assert before == (1, 2, 1)

    config = alembic_config(replace(base_settings, database_app_role=None), backend.owner_url)
    await runtime.db.engine.dispose()
    await asyncio.to_thread(command.downgrade, config, "0009c")
    await asyncio.to_thread(command.upgrade, config, "head")
    assert await schema_drift(backend.owner_url) == []

    assert await counts(runtime, tenant) == before
    async with runtime.db.transaction(tenant.id) as s:
        assert (await s.scalar(select(Refund.claim_id))) is None
        assert (await s.scalar(select(Coverage.items))) == []
        assert (await s.scalar(select(Registration.installed_on))) is None
