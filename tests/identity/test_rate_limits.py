"""Rate counters: the worker forgets the counters of clients not seen for days, in its own tenant only, and no
limit may outlast that."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from aftersales.db.base import utcnow
from aftersales.identity.rate_limits import FORGOTTEN_AFTER, Limit, RateCounter
from aftersales.worker import forget_rate_counters


async def add_counter(runtime, tenant, client, *, opened):
    async with runtime.db.transaction(tenant.id) as session:
        session.add(RateCounter(bucket="check:day", client_key=client, window_start=opened, hits=200))


async def clients(runtime, tenant):
    async with runtime.db.transaction(tenant.id) as session:
        return set(await session.scalars(select(RateCounter.client_key)))


async def test_the_worker_forgets_counters_opened_two_days_ago_and_keeps_younger_ones_and_other_tenants(
        runtime, make_tenant):
    mehr, carmax = await make_tenant("mehr"), await make_tenant("carmax", vertical="auto_service")
    now = utcnow()
    await add_counter(runtime, mehr, "gone", opened=now - FORGOTTEN_AFTER)
    await add_counter(runtime, mehr, "kept", opened=now - FORGOTTEN_AFTER + timedelta(seconds=1))
    await add_counter(runtime, carmax, "theirs", opened=now - 3 * FORGOTTEN_AFTER)

    assert await forget_rate_counters(runtime, mehr.id, now) == 1
    assert await clients(runtime, mehr) == {"kept"}
    assert await clients(runtime, carmax) == {"theirs"}, "another tenant's counters are its own worker pass's"


@pytest.mark.parametrize("window", [FORGOTTEN_AFTER, timedelta(0)])
def test_a_limit_whose_window_the_worker_would_forget_midway_cannot_be_made(window):
    with pytest.raises(ValueError, match="window"):
        Limit("check:week", 1000, window, "too many")
