"""``make demo``'s printout says where to click: every tenant's portal and the operator console, at addresses
that answer, with the demo operator able to see the five demo tenants there."""

from __future__ import annotations

import re

from sqlalchemy import select

from aftersales.demo.seed import DEMO_OPERATOR, seed_demo
from aftersales.identity import page_sessions
from aftersales.identity.models import Operator
from aftersales.web.page_auth import OPERATOR_COOKIE, OPERATOR_PATH
from support.pages import PAGES_DOMAIN

SLUGS = ["carmax", "entekhab", "golden-laser", "mehr", "yizhongyi"]


async def test_demo_printout_points_at_pages_that_answer(pages, runtime):
    text = (await seed_demo(runtime, password="demo-password-1")).read_text()
    base = runtime.settings.base_url.rstrip("/")
    portals = re.findall(rf"{re.escape(base)}(/t/[a-z-]+/)(?=\s)", text)
    assert portals == [f"/t/{slug}/" for slug in SLUGS]
    for path in portals:
        assert (await pages.get(f"{path}?lang=en")).status_code == 200, path
    assert f"{base}/ops/sign-in as {DEMO_OPERATOR}" in text
    async with runtime.db.transaction(None) as session:
        operator = await session.scalar(select(Operator).where(Operator.email == DEMO_OPERATOR))
        opened = await page_sessions.open_operator_session(session, operator_id=operator.id)
    pages.cookies.set(OPERATOR_COOKIE, opened.token, domain=PAGES_DOMAIN, path=OPERATOR_PATH)
    console = await pages.get("/ops/")
    assert console.status_code == 200
    assert re.findall(r'<tr data-tenant="([a-z-]+)">', console.text) == SLUGS
