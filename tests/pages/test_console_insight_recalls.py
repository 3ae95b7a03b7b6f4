"""Recall campaigns in the console: each campaign's reach and progress as numbers and bars, in the reader's
digits, for staff who read the register, and never another tenant's campaign."""

from __future__ import annotations

import re
import uuid

from recall_support import add_units, launched, register
from warranty_support import imei

BILINGUAL = {"locales": ["fa", "en"], "default_locale": "fa"}


async def two_units_one_fixed(runtime, client, staff_token, tenant):
    """A launched campaign over two units, one registered (so notified) and fixed."""
    admin = await staff_token(tenant, "admin")
    await add_units(runtime, tenant, [imei(1), imei(2)])
    await register(client, admin, imei(1), phone="+49 30 1234568")
    campaign = await launched(client, admin, batch="B-7")
    fixed = await client.post(f"/api/v1/recalls/{campaign['id']}/units/{imei(1)}/fix", headers=admin,
                              json={"note": "battery swapped"})
    assert fixed.status_code == 200, fixed.text
    return campaign["id"]


async def test_campaigns_show_their_units_and_the_share_fixed(runtime, client, staff_token, make_tenant, pages,
                                                             sign_in_staff):
    tenant = await make_tenant("acme")
    campaign_id = await two_units_one_fixed(runtime, client, staff_token, tenant)
    await sign_in_staff(pages, tenant, "agent")
    listing = (await pages.get("/t/acme/console/recalls")).text
    row = listing.split(f'data-campaign="{campaign_id}"')[1].split("</tr>")[0]
    assert 'data-units="2"' in row and 'aria-valuenow="50"' in row and "Battery swelling" in row
    detail = await pages.get(f"/t/acme/console/recalls/{campaign_id}")
    assert detail.status_code == 200
    html = detail.text
    for step, count, percent in (("registered", 1, 50), ("notified", 1, 50), ("acknowledged", 0, 0), ("fixed", 1, 50)):
        section = html.split(f'id="step-{step}"')[1].split('class="step"')[0]
        assert f'data-count="{count}">{count} of 2</span>' in section and f'aria-valuenow="{percent}"' in section
    assert imei(1) in html and imei(2) in html


async def test_a_campaign_reads_in_persian_digits(runtime, client, staff_token, make_tenant, pages, sign_in_staff):
    tenant = await make_tenant("acme", **BILINGUAL)
    campaign_id = await two_units_one_fixed(runtime, client, staff_token, tenant)
    await sign_in_staff(pages, tenant, "agent")
    html = (await pages.get(f"/t/acme/console/recalls/{campaign_id}")).text
    assert 'dir="rtl"' in html
    assert re.search(r'data-count="1">۱ [^<]+ ۲</span>', html)


async def test_technicians_may_read_and_providers_may_not(runtime, make_tenant, pages, sign_in_staff):
    from marketplace_support import add_provider

    tenant = await make_tenant("acme")
    await sign_in_staff(pages, tenant, "technician")
    assert (await pages.get("/t/acme/console/recalls")).status_code == 200
    garage = await add_provider(runtime, tenant)
    await sign_in_staff(pages, tenant, "provider", provider_id=garage.provider_id)
    assert (await pages.get("/t/acme/console/recalls")).status_code == 403


async def test_another_tenants_campaign_is_not_found(runtime, client, staff_token, make_tenant, pages, sign_in_staff):
    acme = await make_tenant("acme")
    campaign_id = await two_units_one_fixed(runtime, client, staff_token, acme)
    other = await make_tenant("other")
    await sign_in_staff(pages, other, "admin")
    assert (await pages.get(f"/t/other/console/recalls/{campaign_id}")).status_code == 404
    assert campaign_id not in (await pages.get("/t/other/console/recalls")).text
    assert (await pages.get(f"/t/other/console/recalls/{uuid.uuid4()}")).status_code == 404
