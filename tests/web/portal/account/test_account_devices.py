"""My devices: the signed-in customer's units with their coverage in the page's language and calendar, one
unit's coverage, claims and requests, and registering a purchase with its invoice (the same service as the API,
each bad field named, nothing written on a refusal). Nobody sees another customer's or tenant's units."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from aftersales.db.base import utcnow
from aftersales.i18n.formatting import LocaleFormat
from aftersales.identity.customers import CustomerDetails
from aftersales.tenancy.current import bind_tenant
from aftersales.tenancy.models import Tenant
from aftersales.warranty.models import Attachment, Registration, Serial
from aftersales.warranty.registrations.services import PurchaseDetails, register_purchase
from aftersales.web.page_auth import SESSION_COOKIE
from aftersales.web.portal.account.forms import read_date, typed_amount
from support.pages import PAGES_DOMAIN, post_form
from support.warranty import add_unit, imei

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


async def _current(runtime, tenant):
    async with runtime.db.platform_session() as s:
        record = await s.scalar(select(Tenant).where(Tenant.id == tenant.id))
    return bind_tenant(record, runtime.plugins)


async def own_unit(runtime, tenant, serial, email, *, days_ago=10):
    """Put ``serial`` on the register and register it to the customer with ``email``: (registration, customer)."""
    await add_unit(runtime, tenant, serial)
    current = await _current(runtime, tenant)
    async with runtime.db.transaction(tenant.id) as session:
        registered = await register_purchase(session, current, PurchaseDetails(
            serial=serial, purchased_on=current.today() - timedelta(days=days_ago),
            owner=CustomerDetails(name="Sara Ahmadi", email=email), invoice_number="INV-7", seller="Shop"),
            registered_by="test", now=utcnow())
        return registered.registration.id, registered.registration.customer_id, registered.coverage


async def _registrations(runtime, tenant):
    async with runtime.db.transaction(tenant.id) as session:
        return await session.scalar(select(func.count()).select_from(Registration))


async def test_devices_list_shows_model_serial_coverage_and_end_dates(pages, runtime, make_tenant,
                                                                      sign_in_customer):
    tenant = await make_tenant("acme")
    registration_id, customer_id, coverage = await own_unit(runtime, tenant, imei(1), "sara@example.com")
    await sign_in_customer(pages, tenant, customer_id)
    page = await pages.get("/t/acme/my/devices")
    assert page.status_code == 200
    assert "Phone One" in page.text and imei(1) in page.text and 'data-coverage="in_warranty"' in page.text
    assert LocaleFormat("en").date(coverage.warranty_end) in page.text
    assert f"/t/acme/my/devices/{registration_id}" in page.text


async def test_persian_page_is_right_to_left_with_jalali_dates_and_persian_digits(pages, runtime, make_tenant,
                                                                                 sign_in_customer):
    tenant = await make_tenant("acme", locales=["en", "fa"])
    _, customer_id, coverage = await own_unit(runtime, tenant, imei(1), "sara@example.com")
    await sign_in_customer(pages, tenant, customer_id)
    page = await pages.get("/t/acme/my/devices?lang=fa")
    assert 'dir="rtl"' in page.text
    jalali = LocaleFormat("fa").date(coverage.warranty_end)
    assert jalali in page.text and any(digit in jalali for digit in "۰۱۲۳۴۵۶۷۸۹")


async def test_device_page_shows_coverage_reasons_and_a_request_service_link(pages, runtime, make_tenant,
                                                                             sign_in_customer):
    tenant = await make_tenant("acme")
    registration_id, customer_id, coverage = await own_unit(runtime, tenant, imei(1), "sara@example.com")
    await sign_in_customer(pages, tenant, customer_id)
    page = await pages.get(f"/t/acme/my/devices/{registration_id}")
    assert page.status_code == 200
    assert all(reason in page.text for reason in coverage.reasons)
    assert f"/t/acme/my/requests/new?device={registration_id}" in page.text
    assert "No claims on this device." in page.text


async def test_another_customers_device_is_page_not_found(pages, runtime, make_tenant, sign_in_customer):
    tenant = await make_tenant("acme")
    theirs, _, _ = await own_unit(runtime, tenant, imei(1), "other@example.com")
    await sign_in_customer(pages, tenant)
    page = await pages.get(f"/t/acme/my/devices/{theirs}")
    assert page.status_code == 404 and "Page not found" in page.text
    listed = await pages.get("/t/acme/my/devices")
    assert imei(1) not in listed.text and "You have no registered devices yet." in listed.text


async def test_signed_out_visitor_is_sent_to_sign_in_and_back(pages, make_tenant):
    await make_tenant("acme")
    page = await pages.get("/t/acme/my/devices")
    assert page.status_code == 303
    assert page.headers["location"] == "/t/acme/sign-in?next=%2Ft%2Facme%2Fmy%2Fdevices"


async def test_tenant_b_session_on_tenant_a_pages_is_not_signed_in(pages, runtime, make_tenant, sign_in_customer):
    tenant_a = await make_tenant("acme")
    tenant_b = await make_tenant("bolt")
    registration_id, _, _ = await own_unit(runtime, tenant_a, imei(1), "sara@example.com")
    await sign_in_customer(pages, tenant_b)
    token = pages.cookies.get(SESSION_COOKIE, domain=PAGES_DOMAIN, path="/t/bolt")
    pages.cookies.set(SESSION_COOKIE, token, domain=PAGES_DOMAIN, path="/t/acme")  # B's cookie sent to A
    for path in ("/t/acme/my/devices", f"/t/acme/my/devices/{registration_id}", "/t/acme/my/requests"):
        page = await pages.get(path)
        assert page.status_code == 303 and page.headers["location"].startswith("/t/acme/sign-in")


async def test_register_a_purchase_with_its_invoice(pages, runtime, make_tenant, sign_in_customer):
    tenant = await make_tenant("acme")
    await add_unit(runtime, tenant, imei(2))
    customer_id = await sign_in_customer(pages, tenant)
    day = (await _current(runtime, tenant)).today()
    done = await post_form(pages, "/t/acme/my/devices/register", {
        "serial": imei(2), "purchased_on": day.isoformat(), "invoice_number": "F-100", "price": "99.50",
        "seller": "Kiosk"}, files={"invoice": ("invoice.pdf", PDF, "application/pdf")})
    assert done.status_code == 303
    async with runtime.db.transaction(tenant.id) as session:
        registration = await session.scalar(select(Registration))
        proof = await session.scalar(select(Attachment).where(Attachment.id == registration.proof_id))
    assert registration.customer_id == customer_id and registration.purchased_on == day
    assert registration.price_minor == 9950 and registration.seller == "Kiosk"
    assert proof is not None and proof.content_type == "application/pdf" and proof.size_bytes == len(PDF)
    assert done.headers["location"] == f"/t/acme/my/devices/{registration.id}"
    device = await pages.get(done.headers["location"])
    assert "Phone One" in device.text and "F-100" in device.text and "Attached" in device.text


async def test_bad_purchase_form_names_each_field_and_writes_nothing(pages, runtime, make_tenant, sign_in_customer):
    tenant = await make_tenant("acme")
    await sign_in_customer(pages, tenant)
    page = await post_form(pages, "/t/acme/my/devices/register",
                           {"serial": "", "purchased_on": "12/05/2026", "price": "1"})
    assert page.status_code == 422
    assert 'id="serial-error"' in page.text and 'id="purchased_on-error"' in page.text
    assert "Enter the serial number" in page.text and "year-month-day" in page.text
    assert 'value="1"' in page.text  # what was typed is kept
    assert await _registrations(runtime, tenant) == 0


async def test_purchase_dated_today_is_accepted_and_tomorrow_refused(pages, runtime, make_tenant, sign_in_customer):
    tenant = await make_tenant("acme")
    await add_unit(runtime, tenant, imei(3))
    await sign_in_customer(pages, tenant)
    today = (await _current(runtime, tenant)).today()
    tomorrow = await post_form(pages, "/t/acme/my/devices/register",
                               {"serial": imei(3), "purchased_on": (today + timedelta(days=1)).isoformat()})
    assert tomorrow.status_code == 422 and "cannot be in the future" in tomorrow.text
    assert await _registrations(runtime, tenant) == 0
    accepted = await post_form(pages, "/t/acme/my/devices/register",
                               {"serial": imei(3), "purchased_on": today.isoformat()})
    assert accepted.status_code == 303


async def test_unknown_serial_is_refused_with_the_reason(pages, runtime, make_tenant, sign_in_customer):
    tenant = await make_tenant("acme")
    await sign_in_customer(pages, tenant)
    page = await post_form(pages, "/t/acme/my/devices/register", {"serial": imei(9), "purchased_on": "2025-01-05"})
    assert page.status_code == 422 and "We cannot find this serial on" in page.text


async def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_written(pages, runtime, make_tenant,
                                                                                 sign_in_customer):
    tenant = await make_tenant("acme")
    await add_unit(runtime, tenant, imei(2))
    await sign_in_customer(pages, tenant)
    page = await post_form(pages, "/t/acme/my/devices/register", {"serial": imei(2), "purchased_on": "2025-01-05"},
                           files={"invoice": ("invoice.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")})
    assert page.status_code == 422 and 'id="invoice-error"' in page.text
    assert "Upload a photo (JPEG or PNG) or a PDF" in page.text
    assert await _registrations(runtime, tenant) == 0


async def test_serial_owned_by_someone_else_gets_a_clear_message(pages, runtime, make_tenant, sign_in_customer):
    tenant = await make_tenant("acme")
    await own_unit(runtime, tenant, imei(4), "first@example.com")
    await sign_in_customer(pages, tenant)
    page = await post_form(pages, "/t/acme/my/devices/register", {"serial": imei(4), "purchased_on": "2025-01-05"})
    assert page.status_code == 409
    assert "already registered to another owner" in page.text and "transfer it to you" in page.text
    assert await _registrations(runtime, tenant) == 1


async def test_registering_own_device_again_says_so(pages, runtime, make_tenant, sign_in_customer):
    tenant = await make_tenant("acme")
    _, customer_id, _ = await own_unit(runtime, tenant, imei(4), "sara@example.com")
    await sign_in_customer(pages, tenant, customer_id)
    page = await post_form(pages, "/t/acme/my/devices/register", {"serial": imei(4), "purchased_on": "2025-01-05"})
    assert page.status_code == 409 and "already registered to you" in page.text


def test_dates_are_read_as_customers_write_them():
    assert read_date("2026-05-12").isoformat() == "2026-05-12"
    assert read_date("۱۴۰۵/۰۲/۲۲").isoformat() == "2026-05-12"  # Jalali, Persian digits
    assert read_date("1405.2.22").isoformat() == "2026-05-12"
    assert read_date("2026-02-30") is None and read_date("12/05/2026") is None


def test_amounts_are_read_in_any_digits_and_grouping():
    assert typed_amount("۱۲٬۵۰۰٬۰۰۰") == "12500000"
    assert typed_amount("12 500 000") == "12500000"


# --- the service's refusals, worded by their code -----------------------------------------------------------------

async def _made_on(runtime, tenant, serial, made):
    async with runtime.db.transaction(tenant.id) as session:
        unit = await session.scalar(select(Serial).where(Serial.serial == serial))
        unit.manufactured_on = made


REFUSED_PURCHASES = {
    # code: (what is posted, the field, the sentence in en, in fa)
    "registration.unknown_serial": (
        {"serial": imei(9), "purchased_on": "2025-01-05"}, "serial",
        "We cannot find this serial on Acme&#39;s register. Check that you typed it exactly as printed.",
        "این شمارهٔ سریال را در فهرست Acme پیدا نکردیم. بررسی کنید که دقیقاً همان‌طور که چاپ شده وارد کرده باشید."),
    "registration.invalid_serial": (
        {"serial": "12345", "purchased_on": "2025-01-05"}, "serial",
        "This is not a valid serial number for our products.", "این شمارهٔ سریال برای محصولات ما معتبر نیست."),
    "registration.purchase_in_future": (
        {"serial": imei(2), "purchased_on": "tomorrow"}, "purchased_on",
        "The purchase date cannot be in the future.", "تاریخ خرید نمی‌تواند در آینده باشد."),
    "registration.before_manufacture": (
        {"serial": imei(2), "purchased_on": "2024-12-31"}, "purchased_on",
        "The purchase date is before this device was made.", "تاریخ خرید پیش از تاریخ ساخت این دستگاه است."),
    "date.out_of_window": (
        {"serial": imei(2), "purchased_on": "1989-12-31"}, "purchased_on",
        "The purchase date cannot be before January 1, 1990.", "تاریخ خرید نمی‌تواند پیش از ۱۱ دی ۱۳۶۸ باشد."),
    "attachment.empty": (
        {"serial": imei(2), "purchased_on": "2025-01-05", "invoice": ("invoice.pdf", b"", "application/pdf")},
        "invoice", "The file is empty.", "فایل خالی است."),
    "attachment.too_large": (
        {"serial": imei(2), "purchased_on": "2025-01-05",
         "invoice": ("invoice.pdf", PDF + b"0" * (10 * 1024 * 1024), "application/pdf")},
        "invoice", "The file is too large: at most 10 MB.", "فایل بیش از حد بزرگ است: حداکثر ۱۰ مگابایت."),
    "attachment.unsupported_type": (
        {"serial": imei(2), "purchased_on": "2025-01-05", "invoice": ("invoice.txt", b"paid", "text/plain")},
        "invoice", "Upload a photo (JPEG or PNG) or a PDF of your invoice.",
        "عکس (JPEG یا PNG) یا PDF فاکتور خود را بارگذاری کنید."),
    "attachment.type_mismatch": (
        {"serial": imei(2), "purchased_on": "2025-01-05",
         "invoice": ("invoice.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")},
        "invoice", "Upload a photo (JPEG or PNG) or a PDF of your invoice.",
        "عکس (JPEG یا PNG) یا PDF فاکتور خود را بارگذاری کنید."),
}


@pytest.mark.parametrize("lang", ["en", "fa"])
@pytest.mark.parametrize("code", list(REFUSED_PURCHASES))
async def test_each_refusal_of_a_purchase_is_worded_by_its_code(pages, runtime, make_tenant, sign_in_customer,
                                                                code, lang):
    posted, field, in_english, in_persian = REFUSED_PURCHASES[code]
    tenant = await make_tenant("acme", locales=["en", "fa"])
    await add_unit(runtime, tenant, imei(2))
    await _made_on(runtime, tenant, imei(2), date(2025, 1, 1))
    await sign_in_customer(pages, tenant)
    typed = {name: value for name, value in posted.items() if name != "invoice"}
    if typed["purchased_on"] == "tomorrow":
        typed["purchased_on"] = ((await _current(runtime, tenant)).today() + timedelta(days=1)).isoformat()
    files = {"invoice": posted["invoice"]} if "invoice" in posted else None
    page = await post_form(pages, f"/t/acme/my/devices/register?lang={lang}", typed, files=files)
    assert page.status_code == 422
    shown = re.search(rf'id="{field}-error"[^>]*>([^<]*)<', page.text)
    assert shown is not None and shown.group(1).strip() == (in_english if lang == "en" else in_persian)
    assert await _registrations(runtime, tenant) == 0
