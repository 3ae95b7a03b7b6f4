"""The operator console: only operators reach it; it lists every tenant with its plugin set and health; it
onboards a tenant from a form with the manifest's own validation (each field's reason beside the field, nothing
written); and suspending a tenant shuts its portal and API until it is reactivated."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from pathlib import Path

import pytest
from sqlalchemy import func, select

from aftersales.db.base import utcnow
from aftersales.outbox.models import OutboxMessage
from aftersales.tenancy import directory
from aftersales.tenancy.models import Tenant
from aftersales.web.page_auth import OPERATOR_COOKIE, OPERATOR_PATH, SESSION_COOKIE
from support.pages import PAGES_DOMAIN, post_form

TENANTS_DIR = Path(__file__).parents[3] / "tenants"
FORM = {
    "slug": "gamma", "name": "Gamma Repairs", "vertical": "electronics", "locales": ["en", "fa"],
    "default_locale": "fa", "currency": "irr", "time_zone": "Asia/Tehran", "country": "ir",
    "weekend_days": ["fri"], "opens": "08:00", "closes": "17:00", "display_name": "Gamma Service",
    "primary_color": "#0f766e", "accent_color": "#f59e0b", "support_email": "help@gamma-demo.com",
    "support_phone": "+98 21 0000 0000", "custom_domain": "", "logo_url": "", "irr_as_toman": "on",
}


async def _tenant_count(runtime) -> int:
    async with runtime.db.platform_session() as s:
        return await s.scalar(select(func.count()).select_from(Tenant))


async def _tenant(runtime, slug):
    async with runtime.db.platform_session() as s:
        return await s.scalar(select(Tenant).where(Tenant.slug == slug))


def _error_of(page: str, field: str) -> str:
    """The text shown beside ``field`` (empty when it has no error)."""
    match = re.search(rf'<div class="field-error" id="{field}-error">(.*?)</div>', page, re.DOTALL)
    return unescape(re.sub(r"<[^>]+>|\s+", " ", match.group(1)).strip()) if match else ""


# -- who gets in --------------------------------------------------------------------------------------------

async def test_visitor_is_sent_to_operator_sign_in(pages):
    page = await pages.get("/ops/")
    assert page.status_code == 303 and page.headers["location"] == "/ops/sign-in?next=%2Fops"
    new = await pages.get("/ops/tenants/new")
    assert new.status_code == 303 and new.headers["location"].startswith("/ops/sign-in?next=")


async def test_tenant_staff_session_does_not_reach_the_operator_console(pages, runtime, make_tenant,
                                                                       sign_in_staff):
    tenant = await make_tenant("acme")
    await sign_in_staff(pages, tenant, "admin")
    page = await pages.get("/ops/")
    assert page.status_code == 303 and page.headers["location"].startswith("/ops/sign-in")
    assert "acme" not in page.text
    # the staff member's own session token, offered as the operator cookie, is not an operator session
    token = pages.cookies.get(SESSION_COOKIE, domain=PAGES_DOMAIN, path="/t/acme")
    pages.cookies.set(OPERATOR_COOKIE, token, domain=PAGES_DOMAIN, path=OPERATOR_PATH)
    for path in ("/ops/", "/ops/tenants/acme"):
        page = await pages.get(path)
        assert page.status_code == 303 and "acme" not in page.text and "Acme" not in page.text
    refused = await post_form(pages, "/ops/tenants/acme/status", {"status": "suspended", "reason": "x"})
    assert refused.status_code == 303 and refused.headers["location"].startswith("/ops/sign-in")
    assert (await _tenant(runtime, "acme")).status == "active"


# -- the directory ------------------------------------------------------------------------------------------

async def test_operator_sees_every_tenant_with_its_plugin_set_and_health(pages, runtime, make_tenant,
                                                                         sign_in_operator):
    await make_tenant("acme")
    await make_tenant("kitchen", vertical="appliances")
    await sign_in_operator(pages)
    page = await pages.get("/ops/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    rows = dict(re.findall(r'<tr data-tenant="([a-z-]+)">(.*?)</tr>', page.text, re.DOTALL))
    assert set(rows) == {"acme", "kitchen"}
    version = runtime.plugins.info("electronics").version
    assert 'data-plugin="electronics"' in rows["acme"] and version in rows["acme"]
    assert 'data-plugin="appliances"' in rows["kitchen"] and 'data-plugin="electronics"' not in rows["kitchen"]
    assert 'data-status="active"' in rows["acme"] and 'data-health="good"' in rows["acme"]
    assert "0 waiting, 0 overdue, 0 failed" in rows["acme"]
    assert "What health means here" in page.text


async def test_waiting_overdue_and_failed_messages_make_a_tenant_need_a_look(pages, runtime, make_tenant,
                                                                             sign_in_operator):
    tenant = await make_tenant("acme")
    await make_tenant("calm")
    now = utcnow()
    async with runtime.db.transaction(tenant.id) as s:
        for key, status, due in [("on-time", "pending", now), ("late", "pending", now - timedelta(minutes=16)),
                                 ("gave-up", "failed", now - timedelta(hours=2))]:
            s.add(OutboxMessage(channel="email", recipient="a@example.com", event="test.event", idempotency_key=key,
                                status=status, next_attempt_at=due))
    await sign_in_operator(pages)
    page = await pages.get("/ops/")
    rows = dict(re.findall(r'<tr data-tenant="([a-z-]+)">(.*?)</tr>', page.text, re.DOTALL))
    assert 'data-health="warn"' in rows["acme"] and "2 waiting, 1 overdue, 1 failed" in rows["acme"]
    assert 'data-health="good"' in rows["calm"]  # another tenant's messages are not counted against it
    detail = await pages.get("/ops/tenants/acme")
    assert "2 waiting, 1 overdue, 1 failed" in detail.text and "Needs a look" in detail.text


async def test_a_message_due_just_under_the_overdue_limit_is_not_overdue(pages, runtime, make_tenant,
                                                                         sign_in_operator):
    tenant = await make_tenant("acme")
    async with runtime.db.transaction(tenant.id) as s:
        s.add(OutboxMessage(channel="email", recipient="a@example.com", event="test.event", idempotency_key="k",
                            status="pending", next_attempt_at=utcnow() - timedelta(minutes=14)))
    await sign_in_operator(pages)
    page = await pages.get("/ops/tenants/acme")
    assert "1 waiting, 0 overdue, 0 failed" in page.text and 'data-health="good"' in page.text


async def test_tenant_page_shows_plugin_hooks_and_portal_address(pages, runtime, make_tenant, sign_in_operator):
    await make_tenant("acme")
    await sign_in_operator(pages)
    page = await pages.get("/ops/tenants/acme")
    assert page.status_code == 200
    assert "validate_serial" in page.text and "warranty_terms" in page.text
    assert 'href="/t/acme/"' in page.text


async def test_unknown_tenant_is_a_404_page(pages, sign_in_operator):
    await sign_in_operator(pages)
    page = await pages.get("/ops/tenants/nobody")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "<html" in page.text


async def test_console_in_persian_is_right_to_left_with_persian_digits(pages, make_tenant, sign_in_operator):
    await make_tenant("acme")
    await sign_in_operator(pages)
    page = await pages.get("/ops/?lang=fa")
    assert 'dir="rtl"' in page.text and 'lang="fa"' in page.text
    assert "۰" in page.text and "Tenants" not in page.text


# -- onboarding ---------------------------------------------------------------------------------------------

async def test_onboarding_form_creates_the_tenant_and_opens_its_page(pages, runtime, sign_in_operator):
    await sign_in_operator(pages)
    form = await pages.get("/ops/tenants/new")
    assert form.status_code == 200 and 'name="slug"' in form.text and 'value="electronics"' in form.text
    done = await post_form(pages, "/ops/tenants/new", FORM)
    assert done.status_code == 303 and done.headers["location"] == "/ops/tenants/gamma"
    tenant = await _tenant(runtime, "gamma")
    assert tenant.vertical == "electronics" and tenant.locales == ["en", "fa"] and tenant.default_locale == "fa"
    assert tenant.currency == "IRR" and tenant.country == "IR" and tenant.weekend_days == [5]
    assert tenant.branding["primary_color"] == "#0f766e" and tenant.branding["irr_as_toman"] is True
    assert tenant.branding["support_phone"] == "+982100000000" and tenant.custom_domain is None
    listed = await pages.get("/ops/")
    assert 'data-tenant="gamma"' in listed.text
    portal = await pages.get("/t/gamma/?lang=en")
    assert portal.status_code == 200 and "Gamma Service" in portal.text and "#0f766e" in portal.text


@pytest.mark.parametrize(("slug", "accepted"), [
    ("ab", False),            # too short: three characters at least
    ("abc", True),
    ("a" * 40, True),
    ("a" * 41, False),        # too long
    ("Abc", False),           # upper case
    ("1abc", False),          # starts with a digit
    ("abc-", False),          # ends with a hyphen
    ("ab_c", False),
])
async def test_slug_rule_at_its_edges(pages, runtime, sign_in_operator, slug, accepted):
    await sign_in_operator(pages)
    answer = await post_form(pages, "/ops/tenants/new", {**FORM, "slug": slug})
    if accepted:
        assert answer.status_code == 303 and await _tenant(runtime, slug) is not None
    else:
        assert answer.status_code == 422 and await _tenant_count(runtime) == 0
        assert _error_of(answer.text, "slug").startswith("3 to 40 characters")
        assert f'value="{slug}"' in answer.text  # the form keeps what was typed


@pytest.mark.parametrize(("change", "field", "shown"), [
    ({"locales": ["en", "de"]}, "locales", "Offer at least one of the four languages."),
    ({"locales": []}, "locales", "Offer at least one of the four languages."),
    ({"locales": ["en"], "default_locale": "fa"}, "default_locale",
     "The default language must be one of the languages offered."),
    ({"primary_color": "#12345"}, "primary_color", "A colour written as # and six hexadecimal digits"),
    ({"accent_color": "orange"}, "accent_color", "A colour written as # and six hexadecimal digits"),
    ({"time_zone": "Asia/Atlantis"}, "time_zone", "unknown IANA time zone 'Asia/Atlantis'"),
    ({"currency": "XYZ"}, "currency", "unknown ISO 4217 currency 'XYZ'"),
    ({"support_phone": "12"}, "support_phone", "A phone number in international form"),
    ({"opens": "17:00", "closes": "08:00"}, "closes", "opens must be before closes"),
    ({"vertical": "bakery"}, "vertical", "no vertical plugin named 'bakery'"),
])
async def test_bad_field_is_shown_again_with_its_reason_and_nothing_is_written(pages, runtime, sign_in_operator,
                                                                              change, field, shown):
    await sign_in_operator(pages)
    answer = await post_form(pages, "/ops/tenants/new", {**FORM, **change})
    assert answer.status_code == 422 and answer.headers["content-type"].startswith("text/html")
    assert shown in _error_of(answer.text, field)
    assert f'aria-describedby="{field}-error"' in answer.text
    assert "Nothing was saved." in answer.text
    assert await _tenant_count(runtime) == 0


async def test_every_mistake_is_shown_at_once(pages, runtime, sign_in_operator):
    await sign_in_operator(pages)
    answer = await post_form(pages, "/ops/tenants/new", {**FORM, "slug": "X", "currency": "", "country": "ZZ",
                                                         "support_email": "nobody"})
    assert answer.status_code == 422
    assert all(_error_of(answer.text, f) for f in ("slug", "currency", "country", "support_email"))
    assert not _error_of(answer.text, "name")


async def test_existing_slug_is_refused_and_the_tenant_left_as_it_was(pages, runtime, make_tenant, sign_in_operator):
    await make_tenant("gamma")
    await sign_in_operator(pages)
    answer = await post_form(pages, "/ops/tenants/new", FORM)
    assert answer.status_code == 422 and "A tenant with this slug already exists." in _error_of(answer.text, "slug")
    assert (await _tenant(runtime, "gamma")).name == "Gamma Test Co"


async def test_custom_domain_of_another_tenant_is_refused(pages, runtime, make_tenant, sign_in_operator):
    await make_tenant("acme", branding={"display_name": "Acme", "support_email": "help@acme-demo.com",
                                        "support_phone": "+49 30 1234567", "custom_domain": "care.acme.example"})
    await sign_in_operator(pages)
    answer = await post_form(pages, "/ops/tenants/new", {**FORM, "custom_domain": "care.acme.example"})
    assert answer.status_code == 422
    assert "this domain is already used by another tenant" in _error_of(answer.text, "custom_domain")
    assert await _tenant(runtime, "gamma") is None


async def test_a_pasted_manifest_onboards_like_the_cli(pages, runtime, sign_in_operator):
    await sign_in_operator(pages)
    text = (TENANTS_DIR / "golden-laser.toml").read_text().replace('slug = "golden-laser"', 'slug = "laser-two"')
    done = await post_form(pages, "/ops/tenants/new/toml", {"manifest": text})
    assert done.status_code == 303 and done.headers["location"] == "/ops/tenants/laser-two"
    tenant = await _tenant(runtime, "laser-two")
    assert tenant.currency == "GEL" and tenant.plugin_settings  # the plugin settings came along


@pytest.mark.parametrize(("text", "shown"), [
    ("", "Paste a manifest first."),
    ("slug = ", "This is not valid TOML"),
    ('slug = "x"', "name: Field required"),
])
async def test_a_bad_pasted_manifest_is_refused_with_its_reasons(pages, runtime, sign_in_operator, text, shown):
    await sign_in_operator(pages)
    answer = await post_form(pages, "/ops/tenants/new/toml", {"manifest": text})
    assert answer.status_code == 422 and shown in _error_of(answer.text, "manifest")
    assert await _tenant_count(runtime) == 0


# -- suspending ---------------------------------------------------------------------------------------------

async def test_suspending_needs_a_reason(pages, runtime, make_tenant, sign_in_operator):
    await make_tenant("acme")
    await sign_in_operator(pages)
    answer = await post_form(pages, "/ops/tenants/acme/status", {"status": "suspended", "reason": "  "})
    assert answer.status_code == 422 and 'id="reason-error"' in answer.text
    assert (await _tenant(runtime, "acme")).status == "active"


async def test_suspended_tenant_portal_and_api_refuse_until_reactivated(pages, client, runtime, make_tenant,
                                                                        sign_in_operator, staff_token):
    tenant = await make_tenant("acme")
    headers = await staff_token(tenant, "admin")
    assert (await client.get("/api/v1/tenant/", headers=headers)).status_code == 200
    await sign_in_operator(pages)
    done = await post_form(pages, "/ops/tenants/acme/status", {"status": "suspended", "reason": "unpaid invoice"})
    assert done.status_code == 303 and done.headers["location"] == "/ops/tenants/acme"
    shown = await pages.get("/ops/tenants/acme")
    assert 'data-status="suspended"' in shown.text and "Reactivate this tenant" in shown.text
    assert "unpaid invoice" in shown.text  # the reason is kept with the tenant, not only logged
    async with runtime.db.transaction(None) as session:
        record = await directory.get_tenant(session, "acme")
        assert record.status_reason == "unpaid invoice" and record.status_changed_by.startswith("operator:")

    portal = await pages.get("/t/acme/?lang=en")
    assert portal.status_code == 403 and portal.headers["content-type"].startswith("text/html")
    assert "Acme" not in portal.text and "acme" not in portal.text  # no branding, not even the slug
    assert "Service unavailable" in portal.text
    api = await client.get("/api/v1/tenant/", headers=headers)
    assert api.status_code == 403 and api.headers["content-type"] == "application/problem+json"

    back = await post_form(pages, "/ops/tenants/acme/status", {"status": "active"})
    assert back.status_code == 303
    assert "unpaid invoice" not in (await pages.get("/ops/tenants/acme")).text
    assert (await pages.get("/t/acme/?lang=en")).status_code == 200
    assert (await client.get("/api/v1/tenant/", headers=headers)).status_code == 200
