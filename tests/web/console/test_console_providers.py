"""Providers in the console: the list with status and rating, suspending and activating with a reason, and
reviewing held ratings; a provider's own user sees only its own provider, staff without ``marketplace:manage``
cannot act, and another tenant sees nothing."""

from __future__ import annotations

import re

from support.marketplace import add_provider
from support.pages import post_form
from support.ratings import completed_job, provider_row

LIST = "/t/carmax-test/console/providers"


async def _carmax(make_tenant):
    return await make_tenant("carmax-test", vertical="auto_service")


async def _held_rating(runtime, client, tenant, setup, customer_token):
    customer_id, header = await customer_token(tenant)
    job = await completed_job(runtime, tenant, setup, customer_id, paid=False)
    held = await client.post(f"/api/v1/marketplace/bookings/{job}/rating", json={"stars": 1, "comment": "late"},
                             headers=header)
    assert held.json()["status"] == "held"
    return held.json()["id"]


async def test_admin_suspends_with_a_reason_and_activates_again(pages, runtime, make_tenant, sign_in_staff):
    tenant = await _carmax(make_tenant)
    garage = await add_provider(runtime, tenant, name="Garage One", rating=(4.5, 10))
    await sign_in_staff(pages, tenant, "admin")
    listed = await pages.get(LIST)
    assert listed.status_code == 200 and "Garage One" in listed.text and "4.5" in listed.text
    url = f"{LIST}/{garage.provider_id}"
    no_reason = await post_form(pages, f"{url}/status", {"status": "suspended", "reason": ""})
    assert no_reason.status_code == 422 and 'id="status-reason-error"' in no_reason.text
    suspended = await post_form(pages, f"{url}/status", {"status": "suspended", "reason": "insurance expired"})
    assert suspended.status_code == 303
    page = await pages.get(url)
    assert 'data-status="suspended"' in page.text and "insurance expired" in page.text
    again = await post_form(pages, f"{url}/status", {"status": "suspended", "reason": "twice"})
    assert again.status_code == 409 and 'data-refused="status"' in again.text
    assert 'data-status="suspended"' in (await pages.get(url)).text
    filtered = await pages.get(LIST, params={"status": "active"})
    assert "Garage One" not in filtered.text


async def test_held_rating_is_accepted_on_review_and_then_counts(pages, client, runtime, make_tenant,
                                                                  customer_token, sign_in_staff):
    tenant = await _carmax(make_tenant)
    garage = await add_provider(runtime, tenant)
    rating_id = await _held_rating(runtime, client, tenant, garage, customer_token)
    await sign_in_staff(pages, tenant, "admin")
    url = f"{LIST}/{garage.provider_id}"
    page = await pages.get(url)
    assert f'data-rating="{rating_id}" data-rating-status="held"' in page.text and "late" in page.text
    accepted = await post_form(pages, f"{url}/ratings/{rating_id}/review", {"decision": "accept", "note": "paid cash"})
    assert accepted.status_code == 303
    assert (await provider_row(runtime, tenant, garage.provider_id)).rating_count == 1
    twice = await post_form(pages, f"{url}/ratings/{rating_id}/review", {"decision": "reject"})
    assert twice.status_code == 409 and 'data-refused="review"' in twice.text


async def test_agent_reads_but_cannot_suspend(pages, runtime, make_tenant, sign_in_staff):
    tenant = await _carmax(make_tenant)
    garage = await add_provider(runtime, tenant)
    await sign_in_staff(pages, tenant, "agent")
    page = await pages.get(f"{LIST}/{garage.provider_id}")
    assert page.status_code == 200 and 'data-action="status"' not in page.text
    refused = await post_form(pages, f"{LIST}/{garage.provider_id}/status", {"status": "suspended", "reason": "x"})
    assert refused.status_code == 403
    assert 'data-status="active"' in (await pages.get(f"{LIST}/{garage.provider_id}")).text


async def test_provider_user_sees_only_its_own_provider(pages, runtime, make_tenant, sign_in_staff):
    tenant = await _carmax(make_tenant)
    mine = await add_provider(runtime, tenant, name="Mine Garage")
    theirs = await add_provider(runtime, tenant, name="Rival Garage")
    await sign_in_staff(pages, tenant, "provider", provider_id=mine.provider_id)
    listed = await pages.get(LIST)
    assert listed.status_code == 200
    nav = listed.text.split('class="console-nav"', 1)[1].split("</nav>", 1)[0]
    assert "/console/providers" in nav and "/console/requests" not in nav and "/console/refunds" not in nav
    assert re.findall(r'data-provider="([0-9a-f-]+)"', listed.text) == [str(mine.provider_id)]
    assert "Rival Garage" not in listed.text
    assert (await pages.get(f"{LIST}/{mine.provider_id}")).status_code == 200
    assert (await pages.get(f"{LIST}/{theirs.provider_id}")).status_code == 404


async def test_another_tenant_sees_nothing_of_these_providers(pages, runtime, make_tenant, sign_in_staff):
    tenant = await _carmax(make_tenant)
    other = await make_tenant("other", vertical="auto_service")
    garage = await add_provider(runtime, tenant, name="Garage One")
    await sign_in_staff(pages, other, "admin")
    listed = await pages.get("/t/other/console/providers")
    assert listed.status_code == 200 and "Garage One" not in listed.text
    assert (await pages.get(f"/t/other/console/providers/{garage.provider_id}")).status_code == 404
    suspended = await post_form(pages, f"/t/other/console/providers/{garage.provider_id}/status",
                                {"status": "suspended", "reason": "not yours"})
    assert suspended.status_code == 404
