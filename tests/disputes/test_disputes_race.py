"""One live dispute per subject under concurrency (PostgreSQL): ten openings of a dispute about one booking,
released together each in its own transaction, leave exactly one dispute and nine refusals
(``dispute.already_open``), whichever the check before the insert or the partial unique index decides."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, text

from aftersales.db.session import Database
from aftersales.disputes import services as disputes
from aftersales.disputes.models import Dispute
from aftersales.errors import Conflict
from aftersales.identity.principals import Principal
from aftersales.tenancy.current import bind_tenant
from support.disputes import parties

ATTEMPTS = 10


@pytest.mark.postgres_only
async def test_ten_concurrent_openings_about_one_booking_leave_one_dispute(backend, runtime, make_tenant):
    shop = bind_tenant(await make_tenant("yizhongyi-test"), runtime.plugins)
    sara = await parties(runtime, shop.record)
    customer = Principal(kind="customer", subject=str(sara.customer_id), tenant_id=shop.record.id,
                         customer_id=sara.customer_id)
    new = disputes.NewDispute(subject="booking", subject_id=sara.booking_id, grounds="provider_absent",
                              statement="Nobody came.")
    db = Database(backend.app_url, pool_size=ATTEMPTS + 2, max_overflow=0)
    everyone_in = asyncio.Barrier(ATTEMPTS)

    async def attempt() -> str:
        try:
            async with db.transaction(shop.record.id) as session:
                await session.execute(text("SELECT 1"))
                await everyone_in.wait()
                await disputes.open_dispute(session, shop, customer, new, actor=f"customer:{sara.customer_id}",
                                            now=datetime.now(UTC))
            return "opened"
        except Conflict as refused:
            return refused.code or ""

    try:
        outcomes = await asyncio.gather(*(attempt() for _ in range(ATTEMPTS)))
    finally:
        await db.dispose()
    assert sorted(outcomes) == ["dispute.already_open"] * (ATTEMPTS - 1) + ["opened"]
    async with runtime.db.transaction(shop.record.id) as s:
        assert await s.scalar(select(func.count()).select_from(Dispute)) == 1
