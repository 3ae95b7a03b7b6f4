"""The public check's rate limit under concurrency: 50 simultaneous checks from one client, each its own request
with its own database connection, and exactly the limit of them answered."""

from __future__ import annotations

import asyncio

from aftersales.warranty.authenticity import CHECKS_PER_MINUTE
from support.warranty import add_unit

IMEI = "490154203237518"


async def test_50_simultaneous_checks_from_one_client_get_exactly_20_answers(client, runtime, make_tenant):
    mehr = await make_tenant("mehr")
    await add_unit(runtime, mehr, IMEI)
    answers = await asyncio.gather(*(client.post("/public/t/mehr/warranty/check", json={"serial": IMEI})
                                     for _ in range(50)))
    statuses = sorted(a.status_code for a in answers)
    assert statuses.count(200) == CHECKS_PER_MINUTE, statuses
    assert statuses.count(429) == 50 - CHECKS_PER_MINUTE, statuses
