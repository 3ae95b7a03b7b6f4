"""Browser journey (issue 20 §2): at Mehr's counter an agent takes a phone in on a phone-sized page — the
checklist, a photo, and the customer's signature drawn with a finger on the signature pad — and the receipt page
shows it signed; after the phone reaches the central workshop the customer's own request page, in Persian, says
where it is and since when (Jalali date). Each run makes its own agent, customer, request and points (the live
server is shared)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select

from aftersales.accounts.services import create_staff
from aftersales.db.base import utcnow
from aftersales.identity.customers import CustomerDetails
from aftersales.runtime import build_runtime
from aftersales.service.models import ServicePoint, UnitTransfer
from aftersales.service.requests import services as service
from aftersales.service.transfers.services import receive_unit
from aftersales.tenancy.current import bind_tenant
from aftersales.tenancy.models import Tenant
from support.transit import JPEG

pytestmark = [pytest.mark.browser]


async def _counter(live_server, token: str):
    """A new agent and customer of Mehr, the customer's repair request, and two service points of the run."""
    runtime = build_runtime(live_server.settings, plugins=live_server.plugins)
    try:
        async with runtime.db.platform_session() as session:
            record = await session.scalar(select(Tenant).where(Tenant.slug == "mehr"))
        tenant = bind_tenant(record, runtime.plugins)
        agent, customer = f"agent-{token}@mehr-demo.com", f"sara-{token}@journey.example"
        async with runtime.db.transaction(record.id) as session:
            await create_staff(session, email=agent, name=f"Agent {token}", roles=["agent"], password=None)
            session.add_all([
                ServicePoint(name=f"Central workshop {token}", latitude=35.7, longitude=51.4, country="IR",
                             kind="workshop"),
                ServicePoint(name=f"Tajrish office {token}", latitude=35.8, longitude=51.43, country="IR")])
            opened = await service.open_request(session, tenant, service.NewRequest(
                kind="repair", channel="walk_in", summary=f"screen flickers {token}",
                customer=CustomerDetails(name="Sara Ahmadi", email=customer)), actor="test", now=utcnow())
        return agent, customer, opened.id
    finally:
        await runtime.close()


async def _arrives(live_server, request_id) -> None:
    """The phone reaches the workshop (as the workshop's staff record it)."""
    runtime = build_runtime(live_server.settings, plugins=live_server.plugins)
    try:
        async with runtime.db.platform_session() as session:
            record = await session.scalar(select(Tenant).where(Tenant.slug == "mehr"))
        async with runtime.db.transaction(record.id) as session:
            leg = await session.scalar(select(UnitTransfer).where(UnitTransfer.request_id == request_id))
            await receive_unit(session, bind_tenant(record, runtime.plugins), request_id, leg.id, received_at=None,
                               actor="staff:workshop", now=utcnow())
    finally:
        await runtime.close()


async def test_a_phone_is_taken_in_signed_sent_and_its_owner_sees_where_it_is(
        live_server, open_phone, sign_in_browser, screenshot, tmp_path: Path):
    from playwright.async_api import expect

    token = os.urandom(4).hex()
    agent, customer, request_id = await _counter(live_server, token)
    page = await open_phone(lang="en")
    await sign_in_browser(page, "mehr", email=agent, kind="staff")
    await page.goto(f"/t/mehr/console/requests/{request_id}?lang=en")
    form = page.locator('form[data-action="intake"]')
    await form.locator("#intake-point").select_option(label=f"Tajrish office {token}")
    await form.locator('[data-item="box"] input[value="yes"]').check()
    await form.locator('[data-item="charger"] input[value="no"]').check()
    await form.locator("#answer_visible_damage").fill("a scratch on the back")
    photo = tmp_path / "front.jpg"
    photo.write_bytes(JPEG)
    await form.locator("#answer_photos").set_input_files(str(photo))
    await form.locator("#signer_name").fill("Sara Ahmadi")
    pad = form.locator("[data-signature-pad]")
    await pad.scroll_into_view_if_needed()
    box = await pad.bounding_box()
    assert box is not None
    await page.mouse.move(box["x"] + 20, box["y"] + 100)
    await page.mouse.down()
    for step in range(1, 12):
        await page.mouse.move(box["x"] + 20 + step * 20, box["y"] + 100 - (step % 3) * 25)
    await page.mouse.up()
    assert (await form.locator('input[name="signature"]').input_value()).startswith("data:image/png;base64,")
    await screenshot(page, "unit-intake-signed")
    await form.locator('button[type="submit"]').click()
    await expect(page.locator('[data-location="taken_in"]')).to_be_visible()

    await page.goto(f"/t/mehr/console/requests/{request_id}/receipt?lang=en")
    await expect(page.locator("[data-signed]")).to_contain_text("Signed by Sara Ahmadi")
    await expect(page.locator('[data-answer="visible_damage"]')).to_contain_text("a scratch on the back")
    assert await page.locator("img[data-signature]").evaluate("img => img.naturalWidth > 0")

    await page.goto(f"/t/mehr/console/requests/{request_id}?lang=en")
    send = page.locator('form[data-action="transfer"]')
    await send.locator("#to_point_id").select_option(label=f"Central workshop {token}")
    await send.locator("#waybill").fill(f"PST-{token}")
    await send.locator("#carrier").fill("Post")
    await send.locator('button[type="submit"]').click()
    await expect(page.locator('[data-location="in_transit"]')).to_contain_text(f"on the way to Central workshop {token}")
    await _arrives(live_server, request_id)

    mine = await open_phone(lang="fa")
    await sign_in_browser(mine, "mehr", email=customer)
    await mine.goto(f"/t/mehr/my/requests/{request_id}?lang=fa")
    line = mine.locator("[data-unit-location]")
    await expect(line).to_contain_text("در تعمیرگاه مرکزی")
    await expect(line).to_contain_text("۱۴۰۵")
    await screenshot(mine, "unit-location-fa")
