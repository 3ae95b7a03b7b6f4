"""The console's demo queue: every SLA state on a fresh tenant, whatever the day of the week, seeded once."""

from __future__ import annotations

import re

from sqlalchemy import select

from aftersales.demo.console import seed_demo_console
from aftersales.tenancy.models import Tenant


async def test_demo_queue_shows_every_sla_state_and_is_seeded_once(pages, runtime, make_tenant, sign_in_staff):
    tenant = await make_tenant("acme")
    async with runtime.db.platform_session() as s:
        record = await s.scalar(select(Tenant).where(Tenant.id == tenant.id))
    assert await seed_demo_console(runtime, record) == 4
    assert await seed_demo_console(runtime, record) == 0
    await sign_in_staff(pages, tenant, "agent")
    queue = await pages.get("/t/acme/console/requests")
    assert re.findall(r'<tr data-request="\d+" data-sla="([a-z_]+)"', queue.text) == [
        "breached", "at_risk", "on_track", "paused"]
