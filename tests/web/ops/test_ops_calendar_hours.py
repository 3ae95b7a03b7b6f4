"""The operator console's onboarding form sets a company's week (issue 19 §2.5): hours that differ by weekday (Iran's
half-day Thursday) and the channels it keeps open around the clock, validated as a manifest is, each mistake shown
beside its field and nothing written."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import func, select

from aftersales.tenancy.models import Tenant
from support.pages import post_form

FORM = {
    "slug": "gamma", "name": "Gamma Repairs", "vertical": "appliances", "locales": ["en", "fa"],
    "default_locale": "fa", "currency": "irr", "time_zone": "Asia/Tehran", "country": "ir",
    "weekend_days": ["fri"], "opens": "08:00", "closes": "17:00", "display_name": "Gamma Service",
    "primary_color": "#0f766e", "accent_color": "#f59e0b", "support_email": "help@gamma-demo.com",
    "support_phone": "+98 21 0000 0000", "custom_domain": "", "logo_url": "",
}


def error_of(page: str, field: str) -> str:
    match = re.search(rf'<div class="field-error" id="{field}-error">(.*?)</div>', page, re.DOTALL)
    return unescape(re.sub(r"<[^>]+>|\s+", " ", match.group(1)).strip()) if match else ""


async def stored(runtime, slug="gamma"):
    async with runtime.db.platform_session() as s:
        return await s.scalar(select(Tenant).where(Tenant.slug == slug))


async def test_the_form_offers_each_weekdays_hours_and_every_channel(pages, sign_in_operator):
    await sign_in_operator(pages)
    form = (await pages.get("/ops/tenants/new?lang=en")).text
    assert 'name="opens_thu"' in form and 'name="closes_thu"' in form and "Thursday closes at" in form
    for channel in ("walk_in", "phone", "hotline", "portal", "social", "email", "letter", "fax"):
        assert f'name="around_the_clock_channels" value="{channel}"' in form
    assert "24-hour hotline" in form


async def test_a_half_day_thursday_and_a_24_7_hotline_are_onboarded_from_the_form(pages, runtime, sign_in_operator):
    await sign_in_operator(pages)
    done = await post_form(pages, "/ops/tenants/new", {**FORM, "closes_thu": "13:00",
                                                       "around_the_clock_channels": ["hotline"]})
    assert done.status_code == 303, done.text
    tenant = await stored(runtime)
    assert tenant.hours_by_weekday == {"4": ["08:00", "13:00"]}
    assert tenant.around_the_clock_channels == ["hotline"]


@pytest.mark.parametrize(("change", "field"), [
    ({"opens_thu": "13:00", "closes_thu": "08:00"}, "hours_thu"),
    ({"closes_thu": "07:00"}, "hours_thu"),               # before the usual opening
    ({"opens_thu": "half past eight"}, "hours_thu"),
    ({"around_the_clock_channels": ["pigeon"]}, "around_the_clock_channels"),
])
async def test_bad_weekday_hours_or_channels_are_shown_beside_the_field_and_nothing_is_written(
        pages, runtime, sign_in_operator, change, field):
    await sign_in_operator(pages)
    answer = await post_form(pages, "/ops/tenants/new?lang=en", {**FORM, **change})
    assert answer.status_code == 422
    assert error_of(answer.text, field), answer.text
    async with runtime.db.platform_session() as s:
        assert await s.scalar(select(func.count()).select_from(Tenant)) == 0


async def test_hours_given_for_a_weekend_day_are_refused(pages, runtime, sign_in_operator):
    await sign_in_operator(pages)
    answer = await post_form(pages, "/ops/tenants/new?lang=en", {**FORM, "closes_fri": "13:00"})
    assert answer.status_code == 422 and "hours_by_weekday gives hours for weekend days: fri" in answer.text
    assert await stored(runtime) is None


# -- an existing tenant's week, from its page --------------------------------------------------------------------

WEEK = {"weekend_days": ["fri"], "opens": "08:00", "closes": "17:00"}


async def test_an_operator_gives_a_tenant_a_half_day_thursday_and_its_clocks_follow(pages, runtime, make_tenant,
                                                                                    sign_in_operator):
    tenant = await make_tenant("acme", time_zone="Asia/Tehran", currency="IRR",
                               calendar={"country": "IR", "weekend_days": ["fri"],
                                         "business_hours": {"opens": "08:00", "closes": "17:00"}})
    await sign_in_operator(pages)
    page = await pages.get("/ops/tenants/acme?lang=en")
    assert "Sat–Thu 08:00–17:00" in page.text and 'href="/ops/tenants/acme/week"' in page.text
    form = await pages.get("/ops/tenants/acme/week?lang=en")
    assert form.status_code == 200 and 'name="closes_thu"' in form.text and 'value="08:00"' in form.text
    done = await post_form(pages, "/ops/tenants/acme/week", {**WEEK, "closes_thu": "13:00",
                                                             "around_the_clock_channels": ["hotline"]})
    assert done.status_code == 303 and done.headers["location"] == "/ops/tenants/acme"
    stored_tenant = await stored(runtime, "acme")
    assert (stored_tenant.hours_by_weekday, stored_tenant.around_the_clock_channels) == ({"4": ["08:00", "13:00"]},
                                                                                       ["hotline"])
    assert stored_tenant.name == tenant.name and stored_tenant.plugin_settings == tenant.plugin_settings
    page = await pages.get("/ops/tenants/acme?lang=en")
    assert "Sat–Wed 08:00–17:00 and Thu 08:00–13:00" in page.text and "24-hour hotline" in page.text
    # what is now stored is what the clocks count: 48 business hours from Monday 09:00 across a half-day Thursday
    from aftersales.calendar import BusinessCalendar
    from aftersales.tenancy.current import calendar_info
    from support.service import tehran
    calendar = BusinessCalendar(calendar_info(stored_tenant), "Asia/Tehran")
    assert calendar.add_business_hours(tehran("2026-05-25", 9), 48) == tehran("2026-06-01", 16)


@pytest.mark.parametrize(("change", "field"), [
    ({"opens_thu": "13:00", "closes_thu": "08:00"}, "hours_thu"),
    ({"around_the_clock_channels": ["pigeon"]}, "around_the_clock_channels"),
    ({"opens": "17:00", "closes": "08:00"}, "closes"),
])
async def test_a_bad_week_is_shown_beside_its_field_and_the_tenant_keeps_its_week(pages, runtime, make_tenant,
                                                                                  sign_in_operator, change, field):
    await make_tenant("acme")
    before = await stored(runtime, "acme")
    await sign_in_operator(pages)
    answer = await post_form(pages, "/ops/tenants/acme/week?lang=en", {**WEEK, **change})
    assert answer.status_code == 422 and error_of(answer.text, field), answer.text
    after = await stored(runtime, "acme")
    assert (after.weekend_days, after.business_opens, after.hours_by_weekday, after.around_the_clock_channels) == (
        before.weekend_days, before.business_opens, before.hours_by_weekday, before.around_the_clock_channels)


async def test_the_week_of_an_unknown_tenant_is_not_found(pages, sign_in_operator):
    await sign_in_operator(pages)
    assert (await pages.get("/ops/tenants/nobody/week")).status_code == 404
    assert (await post_form(pages, "/ops/tenants/nobody/week", WEEK)).status_code == 404


async def test_a_visitor_or_a_tenants_staff_cannot_reach_the_week(pages, runtime, make_tenant, sign_in_staff):
    tenant = await make_tenant("acme")
    assert (await pages.get("/ops/tenants/acme/week")).status_code in (302, 303, 401)
    await sign_in_staff(pages, tenant, "admin")
    answer = await post_form(pages, "/ops/tenants/acme/week", {**WEEK, "closes_thu": "13:00"})
    assert answer.status_code in (302, 303, 401, 403)
    assert (await stored(runtime, "acme")).hours_by_weekday == {}
