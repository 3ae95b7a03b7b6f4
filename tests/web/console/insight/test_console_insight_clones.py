"""Suspected-clone alerts in the console: a serial checked from more than ten clients in a day is listed with its
clients, checks and first and last check; staff who may write the register block it with a reason (asked for
beside the form when missing); another tenant sees none of it."""

from __future__ import annotations

from aftersales.db.base import utcnow
from aftersales.tenancy.current import bind_tenant
from aftersales.warranty import authenticity
from support.pages import post_form
from support.warranty import add_unit, imei


async def cloned(runtime, tenant, serial):
    """``serial`` checked from eleven clients: one more than a genuine card's owners and shops."""
    await add_unit(runtime, tenant, serial)
    current = bind_tenant(tenant, runtime.plugins)
    for n in range(authenticity.CLONE_CLIENTS_PER_DAY + 1):
        async with runtime.db.transaction(tenant.id) as session:
            await authenticity.check_authenticity(session, code_key=runtime.code_key, tenant=current, serial=serial,
                                                  card_code=None, hologram_code=None,
                                                  client_address=f"198.51.100.{n}", now=utcnow())


async def test_a_suspected_clone_is_listed_with_its_clients_and_checks(runtime, make_tenant, pages, sign_in_staff):
    tenant = await make_tenant("acme")
    await cloned(runtime, tenant, imei(1))
    await add_unit(runtime, tenant, imei(2))
    await sign_in_staff(pages, tenant, "agent")
    html = (await pages.get("/t/acme/console/clones")).text
    row = html.split(f'data-serial="{imei(1)}"')[1].split("</tr>")[0]
    assert 'data-clients="11"' in row and 'data-checks="11"' in row and "PH-1" in row
    assert imei(2) not in html


async def test_blocking_needs_a_reason_and_then_blocks_the_serial(runtime, make_tenant, pages, sign_in_staff):
    tenant = await make_tenant("acme")
    await cloned(runtime, tenant, imei(1))
    await sign_in_staff(pages, tenant, "admin")
    refused = await post_form(pages, f"/t/acme/console/clones/{imei(1)}/block", {"reason": "  "})
    assert refused.status_code == 422
    assert 'aria-invalid="true"' in refused.text and "Say why the serial is blocked" in refused.text
    blocked = await post_form(pages, f"/t/acme/console/clones/{imei(1)}/block", {"reason": "card code copied"})
    assert blocked.status_code == 200 and f"{imei(1)} is blocked." in blocked.text
    row = blocked.text.split(f'data-serial="{imei(1)}"')[1].split("</tr>")[0]
    assert '<span class="badge bad">Blocked</span>' in row
    check = await pages.post("/t/acme/check", data={"serial": imei(1)}, headers={"x-csrftoken": pages.cookies["as_csrf"]})
    assert "blocked" in check.text.lower()


async def test_agents_see_alerts_but_may_not_block(runtime, make_tenant, pages, sign_in_staff):
    tenant = await make_tenant("acme")
    await cloned(runtime, tenant, imei(1))
    await sign_in_staff(pages, tenant, "agent")
    assert (await pages.get("/t/acme/console/clones")).status_code == 200
    response = await post_form(pages, f"/t/acme/console/clones/{imei(1)}/block", {"reason": "copied"})
    assert response.status_code == 403


async def test_another_tenant_sees_no_alert_and_cannot_block(runtime, make_tenant, pages, sign_in_staff):
    acme = await make_tenant("acme")
    await cloned(runtime, acme, imei(1))
    other = await make_tenant("other")
    await sign_in_staff(pages, other, "admin")
    assert imei(1) not in (await pages.get("/t/other/console/clones")).text
    response = await post_form(pages, f"/t/other/console/clones/{imei(1)}/block", {"reason": "copied"})
    assert response.status_code == 404
