"""A registered unit in the console: each component's own end date, the installation date recorded there
(which decides the warranty again), refused dates with the field's reason, the customer's device page showing
the same, and another tenant's staff finding nothing."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta

from aftersales.db.base import utcnow
from aftersales.identity.customers import CustomerDetails
from aftersales.plugins import build_plugin_registry
from aftersales.tenancy.current import bind_tenant
from aftersales.warranty.registrations.services import PurchaseDetails, register_purchase
from support.machines import CONSUMABLES_REASON, CUTTER, MachinesVertical, machines_tenant
from support.pages import post_form
from support.warranty import tenant_today as today


@pytest.fixture
def plugins():
    return build_plugin_registry(extra_plugins=[("machines", MachinesVertical())])


async def registered_cutter(runtime, tenant, sold_on) -> tuple[uuid.UUID, uuid.UUID]:
    """The cutter registered to a new customer: (registration id, customer id)."""
    async with runtime.db.transaction(tenant.id) as session:
        registered = await register_purchase(session, bind_tenant(tenant, runtime.plugins), PurchaseDetails(
            serial=CUTTER, purchased_on=sold_on, owner=CustomerDetails(name="Tbilisi Metalworks",
                                                                       phone="+995 32 200 0001")),
            registered_by="staff:test", now=utcnow())
        return registered.registration.id, registered.registration.customer_id


async def test_the_unit_page_shows_each_component_and_records_the_installation(pages, runtime, make_tenant,
                                                                              sign_in_staff):
    tenant = await machines_tenant(runtime, make_tenant)
    sold = today() - relativedelta(months=18)
    registration_id, customer_id = await registered_cutter(runtime, tenant, sold)
    await sign_in_staff(pages, tenant, "agent")
    url = f"/t/cutters/console/units/{registration_id}"
    page = await pages.get(url)
    assert page.status_code == 200
    assert 'data-component="machine" data-status="expired"' in page.text
    assert 'data-component="laser_source" data-status="in_warranty"' in page.text
    assert 'data-component="consumables" data-status="not_covered"' in page.text and CONSUMABLES_REASON in page.text
    assert "Not recorded" in page.text and 'data-action="installation"' in page.text
    customer_file = await pages.get(f"/t/cutters/console/customers/{customer_id}")
    assert f'/console/units/{registration_id}"' in customer_file.text

    installed = today() - timedelta(days=10)
    saved = await post_form(pages, f"{url}/installation", {"installed_on": installed.isoformat()})
    assert saved.status_code == 303 and saved.headers["location"].endswith(url)
    after = await pages.get(url)
    assert f"warranty from {installed:%B} {installed.day}, {installed.year}" in after.text, "the page's date format"
    assert 'data-component="machine" data-status="in_warranty"' in after.text
    assert "Not recorded" not in after.text


@pytest.mark.parametrize(("typed", "reason"), [
    ("9999-12-31", "The installation date cannot be in the future."),
    ("0001-01-01", "The installation date cannot be before the purchase."),
    ("2026-02-30", "Write the date as year-month-day."),
])
async def test_a_refused_installation_date_shows_the_reason_and_records_nothing(pages, runtime, make_tenant,
                                                                                sign_in_staff, typed, reason):
    tenant = await machines_tenant(runtime, make_tenant)
    registration_id, _ = await registered_cutter(runtime, tenant, today() - timedelta(days=30))
    await sign_in_staff(pages, tenant, "agent")
    url = f"/t/cutters/console/units/{registration_id}"
    refused = await post_form(pages, f"{url}/installation", {"installed_on": typed})
    assert refused.status_code == 422 and reason in refused.text and 'aria-invalid="true"' in refused.text
    assert "Not recorded" in (await pages.get(url)).text


async def test_an_installation_date_with_a_nul_byte_is_refused_before_the_form_and_records_nothing(
        pages, runtime, make_tenant, sign_in_staff):
    tenant = await machines_tenant(runtime, make_tenant)
    registration_id, _ = await registered_cutter(runtime, tenant, today() - timedelta(days=30))
    await sign_in_staff(pages, tenant, "agent")
    url = f"/t/cutters/console/units/{registration_id}"
    refused = await post_form(pages, f"{url}/installation", {"installed_on": "2026-01-01\x00"})
    assert refused.status_code == 422 and "installed_on" in refused.text
    assert "Not recorded" in (await pages.get(url)).text


async def test_a_technician_sees_the_unit_but_cannot_record_its_installation(pages, runtime, make_tenant,
                                                                            sign_in_staff):
    tenant = await machines_tenant(runtime, make_tenant)
    registration_id, _ = await registered_cutter(runtime, tenant, today() - timedelta(days=30))
    await sign_in_staff(pages, tenant, "technician")
    url = f"/t/cutters/console/units/{registration_id}"
    page = await pages.get(url)
    assert page.status_code == 200 and 'data-action="installation"' not in page.text
    assert (await post_form(pages, f"{url}/installation", {"installed_on": today().isoformat()})).status_code == 403


async def test_another_tenant_s_staff_find_no_unit(pages, runtime, make_tenant, sign_in_staff):
    tenant = await machines_tenant(runtime, make_tenant)
    registration_id, _ = await registered_cutter(runtime, tenant, today() - timedelta(days=30))
    await machines_tenant(runtime, make_tenant, slug="rivals")
    await sign_in_staff(pages, await make_tenant("rivals2", vertical="machines"), "admin")
    assert (await pages.get(f"/t/rivals2/console/units/{registration_id}")).status_code == 404
    refused = await post_form(pages, f"/t/rivals2/console/units/{registration_id}/installation",
                              {"installed_on": today().isoformat()})
    assert refused.status_code == 404


async def test_the_customer_sees_each_component_and_the_installation_on_their_device(pages, runtime, make_tenant,
                                                                                    sign_in_customer):
    tenant = await machines_tenant(runtime, make_tenant)
    sold = today() - timedelta(days=30)
    registration_id, customer_id = await registered_cutter(runtime, tenant, sold)
    await sign_in_customer(pages, tenant, customer_id)
    page = await pages.get(f"/t/cutters/my/devices/{registration_id}")
    assert page.status_code == 200
    assert 'data-component="laser_source"' in page.text and 'data-status="in_warranty"' in page.text
    assert CONSUMABLES_REASON in page.text and "Installed on" not in page.text
