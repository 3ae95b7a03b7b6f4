"""My requests: opening a request for one's own device through the same service as the API, the list with
states and promised dates, and a request's timeline in the customer's words (internal notes stay inside) with
the promised dates of its clocks. Another customer's request is not found."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from aftersales.db.base import utcnow
from aftersales.i18n.formatting import LocaleFormat
from aftersales.identity.customers import CustomerDetails
from aftersales.service.models import ServiceRequest, SlaClock
from aftersales.service.requests import services as service
from aftersales.service.states import RequestState
from aftersales.tenancy.current import bind_tenant
from aftersales.tenancy.models import Tenant
from aftersales.warranty.registrations.services import PurchaseDetails, register_purchase
from aftersales.web.i18n.moments import Moments
from support.pages import post_form
from support.warranty import TEST_TENANT_ZONE, add_unit, imei

ZONE = ZoneInfo(TEST_TENANT_ZONE)


async def _current(runtime, tenant):
    async with runtime.db.platform_session() as s:
        record = await s.scalar(select(Tenant).where(Tenant.id == tenant.id))
    return bind_tenant(record, runtime.plugins)


async def own_unit(runtime, tenant, serial, email):
    """Put ``serial`` on the register and register it to the customer with ``email``: (registration, customer)."""
    await add_unit(runtime, tenant, serial)
    current = await _current(runtime, tenant)
    async with runtime.db.transaction(tenant.id) as session:
        registered = await register_purchase(session, current, PurchaseDetails(
            serial=serial, purchased_on=current.today() - timedelta(days=10),
            owner=CustomerDetails(name="Sara Ahmadi", email=email)), registered_by="test", now=utcnow())
        return registered.registration.id, registered.registration.customer_id


async def _requests(runtime, tenant):
    async with runtime.db.transaction(tenant.id) as session:
        return list(await session.scalars(select(ServiceRequest).order_by(ServiceRequest.number)))


async def _open(pages, registration_id, summary="The screen stays black after charging."):
    return await post_form(pages, "/t/acme/my/requests/new",
                           {"device": str(registration_id), "kind": "repair", "summary": summary})


async def test_open_a_request_for_my_device_and_see_its_timeline_and_promises(pages, runtime, make_tenant,
                                                                              sign_in_customer):
    tenant = await make_tenant("acme")
    registration_id, customer_id = await own_unit(runtime, tenant, imei(1), "sara@example.com")
    await sign_in_customer(pages, tenant, customer_id)
    done = await _open(pages, registration_id)
    assert done.status_code == 303
    (opened,) = await _requests(runtime, tenant)
    assert (opened.customer_id, opened.registration_id, opened.channel, opened.kind) == (
        customer_id, registration_id, "portal", "repair")
    assert done.headers["location"] == f"/t/acme/my/requests/{opened.id}"
    page = await pages.get(done.headers["location"])
    assert page.status_code == 200
    assert "Request #1" in page.text and "Phone One" in page.text and "The screen stays black" in page.text
    assert 'data-event="opened"' in page.text and "Request received" in page.text
    async with runtime.db.transaction(tenant.id) as session:
        clocks = list(await session.scalars(select(SlaClock).where(SlaClock.request_id == opened.id)))
    when = Moments(LocaleFormat("en"), ZONE)
    assert clocks and all(f'data-clock="{c.name}"' in page.text for c in clocks)
    assert all(when.moment(c.due_at) in page.text for c in clocks if c.due_at is not None)


async def test_my_requests_list_shows_state_and_promised_date(pages, runtime, make_tenant, sign_in_customer):
    tenant = await make_tenant("acme")
    registration_id, customer_id = await own_unit(runtime, tenant, imei(1), "sara@example.com")
    await sign_in_customer(pages, tenant, customer_id)
    await _open(pages, registration_id)
    (opened,) = await _requests(runtime, tenant)
    listed = await pages.get("/t/acme/my/requests")
    assert f'data-request="{opened.id}"' in listed.text and 'data-state="received"' in listed.text
    assert "Received" in listed.text
    if opened.promised_at is not None:
        assert Moments(LocaleFormat("en"), ZONE).date(opened.promised_at) in listed.text


async def test_timeline_speaks_the_customers_words_and_keeps_staff_notes_inside(pages, runtime, make_tenant,
                                                                                sign_in_customer):
    tenant = await make_tenant("acme")
    registration_id, customer_id = await own_unit(runtime, tenant, imei(1), "sara@example.com")
    await sign_in_customer(pages, tenant, customer_id)
    await _open(pages, registration_id)
    (opened,) = await _requests(runtime, tenant)
    current = await _current(runtime, tenant)
    async with runtime.db.transaction(tenant.id) as session:
        await service.add_note(session, opened.id, actor="staff:x", note="Customer sounded annoyed", now=utcnow())
        await service.move_request(session, current, opened.id, RequestState.DIAGNOSING, actor="staff:x",
                                   note="internal: check the board", now=utcnow())
    page = await pages.get(f"/t/acme/my/requests/{opened.id}")
    assert "Being checked" in page.text and 'data-state="diagnosing"' in page.text
    assert "annoyed" not in page.text and "check the board" not in page.text
    events = re.findall(r'data-event="([a-z_]+)"', page.text)
    assert events == ["opened", "moved"]  # in order, the note left out


async def test_persian_timeline_is_right_to_left_in_jalali_with_persian_digits(pages, runtime, make_tenant,
                                                                               sign_in_customer):
    tenant = await make_tenant("acme", locales=["en", "fa"])
    registration_id, customer_id = await own_unit(runtime, tenant, imei(1), "sara@example.com")
    await sign_in_customer(pages, tenant, customer_id)
    await _open(pages, registration_id)
    (opened,) = await _requests(runtime, tenant)
    page = await pages.get(f"/t/acme/my/requests/{opened.id}?lang=fa")
    assert 'dir="rtl"' in page.text
    assert Moments(LocaleFormat("fa"), ZONE).moment(opened.opened_at) in page.text
    assert "۱#" in page.text or "#۱" in page.text  # the request number in Persian digits


async def test_empty_problem_is_refused_with_the_reason_and_nothing_opened(pages, runtime, make_tenant,
                                                                           sign_in_customer):
    tenant = await make_tenant("acme")
    registration_id, customer_id = await own_unit(runtime, tenant, imei(1), "sara@example.com")
    await sign_in_customer(pages, tenant, customer_id)
    page = await _open(pages, registration_id, summary="   ")
    assert page.status_code == 422 and 'id="summary-error"' in page.text
    assert "Describe the problem" in page.text and await _requests(runtime, tenant) == []


async def test_problem_of_2000_characters_is_accepted_and_2001_refused(pages, runtime, make_tenant, sign_in_customer):
    tenant = await make_tenant("acme")
    registration_id, customer_id = await own_unit(runtime, tenant, imei(1), "sara@example.com")
    await sign_in_customer(pages, tenant, customer_id)
    assert (await _open(pages, registration_id, summary="x" * 2001)).status_code == 422
    assert (await _open(pages, registration_id, summary="x" * 2000)).status_code == 303


async def test_someone_elses_device_cannot_be_chosen(pages, runtime, make_tenant, sign_in_customer):
    tenant = await make_tenant("acme")
    theirs, _ = await own_unit(runtime, tenant, imei(1), "other@example.com")
    await sign_in_customer(pages, tenant)
    page = await _open(pages, theirs)
    assert page.status_code == 422 and "Choose one of your devices." in page.text
    assert await _requests(runtime, tenant) == []


async def test_a_question_without_a_device_is_opened_for_me(pages, runtime, make_tenant, sign_in_customer):
    tenant = await make_tenant("acme")
    customer_id = await sign_in_customer(pages, tenant)
    page = await post_form(pages, "/t/acme/my/requests/new",
                           {"device": "none", "kind": "inquiry", "summary": "Do you repair water damage?"})
    assert page.status_code == 303
    (opened,) = await _requests(runtime, tenant)
    assert opened.customer_id == customer_id and opened.kind == "inquiry" and opened.registration_id is None
    async with runtime.db.transaction(tenant.id) as session:
        from aftersales.identity.models import Customer
        assert await session.scalar(select(func.count()).select_from(Customer)) == 1  # no second customer
    repair = await post_form(pages, "/t/acme/my/requests/new",
                             {"device": "none", "kind": "repair", "summary": "Broken"})
    assert repair.status_code == 422 and "without one you can ask a question" in repair.text


async def test_another_customers_request_is_page_not_found(pages, runtime, make_tenant, sign_in_customer):
    tenant = await make_tenant("acme")
    registration_id, owner = await own_unit(runtime, tenant, imei(1), "sara@example.com")
    await sign_in_customer(pages, tenant, owner)
    await _open(pages, registration_id)
    (theirs,) = await _requests(runtime, tenant)
    await sign_in_customer(pages, tenant)  # someone else on the same browser
    page = await pages.get(f"/t/acme/my/requests/{theirs.id}")
    assert page.status_code == 404 and "Page not found" in page.text
    assert str(theirs.id) not in (await pages.get("/t/acme/my/requests")).text


async def test_htmx_refresh_gets_only_the_status_and_timeline(pages, runtime, make_tenant, sign_in_customer):
    tenant = await make_tenant("acme")
    registration_id, customer_id = await own_unit(runtime, tenant, imei(1), "sara@example.com")
    await sign_in_customer(pages, tenant, customer_id)
    await _open(pages, registration_id)
    (opened,) = await _requests(runtime, tenant)
    fragment = await pages.get(f"/t/acme/my/requests/{opened.id}", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.text and 'data-event="opened"' in fragment.text


async def test_request_form_works_without_javascript(pages, runtime, make_tenant, sign_in_customer):
    tenant = await make_tenant("acme")
    registration_id, customer_id = await own_unit(runtime, tenant, imei(1), "sara@example.com")
    await sign_in_customer(pages, tenant, customer_id)
    form = await pages.get(f"/t/acme/my/requests/new?device={registration_id}")
    assert re.search(r'<form method="post" action="/t/acme/my/requests/new"', form.text)
    assert re.search(rf'value="{registration_id}"\s+checked', form.text)
