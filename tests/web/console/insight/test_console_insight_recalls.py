"""Recall campaigns in the console: each campaign's reach and progress as numbers and bars, in the reader's
digits, for staff who read the register, and never another tenant's campaign."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.async_api import expect

from support.pages import post_form
from support.recalls import DEFECT, REMEDY, add_units, launched, outbox, register, statuses
from support.warranty import imei

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
    from support.marketplace import add_provider

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


# --- the coordinator's actions -----------------------------------------------------------------------------------

async def campaigns_of(runtime, tenant):
    """Every campaign of ``tenant`` (title, status), straight from the database."""
    from sqlalchemy import select

    from aftersales.warranty.recalls.models import RecallCampaign

    async with runtime.db.transaction(tenant.id) as s:
        return [(c.title, c.status) for c in await s.scalars(select(RecallCampaign))]


def form(**fields):
    """A new-campaign form: the defect and remedy filled, ``fields`` over them."""
    return {"title": "Battery swelling", "reason": DEFECT, "remedy": REMEDY, "model_sku": "", "batch": "",
            "serial_from": "", "serial_to": "", **fields}


def field_error(html, name):
    """The reason shown beside the field ``name``, or None."""
    found = re.search(rf'<p class="field-error" id="{name}-error">([^<]*)</p>', html)
    return found.group(1) if found else None


def refused(html, action):
    found = re.search(rf'data-refused="{action}">([^<]*)</p>', html)
    return found.group(1) if found else None


async def drafted_by_form(pages, slug="acme", **fields):
    response = await post_form(pages, f"/t/{slug}/console/recalls/new", form(**fields))
    assert response.status_code == 303, response.text
    return response.headers["location"].rsplit("/", 1)[1]


async def test_a_coordinator_drafts_launches_and_closes_a_campaign(runtime, client, staff_token, make_tenant,
                                                                   pages, sign_in_staff):
    tenant = await make_tenant("acme")
    admin = await staff_token(tenant, "admin")
    await add_units(runtime, tenant, [imei(1), imei(2)])
    await add_units(runtime, tenant, [imei(3)], batch="B-8")
    await register(client, admin, imei(1), phone="+49 30 1234568")
    await sign_in_staff(pages, tenant, "admin")
    listing = (await pages.get("/t/acme/console/recalls")).text
    assert 'href="/t/acme/console/recalls/new"' in listing
    new = await pages.get("/t/acme/console/recalls/new")
    assert new.status_code == 200 and 'name="_csrf_token"' in new.text

    campaign_id = await drafted_by_form(pages, batch="B-7")
    draft = (await pages.get(f"/t/acme/console/recalls/{campaign_id}")).text
    assert "A launch would recall 2 units in service and notify 1 owners." in draft
    assert 'data-action="launch"' in draft and await campaigns_of(runtime, tenant) == [("Battery swelling", "draft")]
    assert (await statuses(runtime, tenant))[imei(1)] != "recalled"

    launched_page = await post_form(pages, f"/t/acme/console/recalls/{campaign_id}/launch")
    assert launched_page.status_code == 303
    html = (await pages.get(launched_page.headers["location"])).text
    assert 'data-count="1">1 of 2</span>' in html.split('id="step-notified"')[1]
    assert 'data-action="launch"' not in html and 'data-action="close"' in html
    assert {s: v for s, v in (await statuses(runtime, tenant)).items()} == {
        imei(1): "recalled", imei(2): "recalled", imei(3): "in_stock"}
    assert len(await outbox(runtime, tenant)) >= 1

    again = await post_form(pages, f"/t/acme/console/recalls/{campaign_id}/launch")
    assert again.status_code == 409
    assert refused(again.text, "launch") == "Only a draft can be launched; this campaign was launched or closed already."

    closed = await post_form(pages, f"/t/acme/console/recalls/{campaign_id}/close")
    assert closed.status_code == 303
    html = (await pages.get(f"/t/acme/console/recalls/{campaign_id}")).text
    assert 'class="badge good">Closed' in html and 'data-action="close"' not in html
    assert 'data-action="fix"' not in html and 'data-action="acknowledge"' not in html
    again = await post_form(pages, f"/t/acme/console/recalls/{campaign_id}/close")
    assert again.status_code == 409 and refused(again.text, "close") == "The campaign is closed."
    assert (await statuses(runtime, tenant))[imei(2)] == "recalled"


async def test_a_bad_campaign_form_shows_each_reason_beside_its_field_and_writes_nothing(runtime, make_tenant,
                                                                                       pages, sign_in_staff):
    tenant = await make_tenant("acme")
    await add_units(runtime, tenant, [imei(1)])
    await sign_in_staff(pages, tenant, "admin")
    url = "/t/acme/console/recalls/new"

    empty = await post_form(pages, url, form(title="  ", remedy=""))
    assert empty.status_code == 422
    assert field_error(empty.text, "title") == "Write this; it cannot be empty."
    assert field_error(empty.text, "remedy") == "Write this; it cannot be empty."
    assert field_error(empty.text, "model_sku") == "Choose the units: a model, a batch, a serial range, or several."
    assert field_error(empty.text, "reason") is None
    assert DEFECT in empty.text  # what was typed is kept

    unknown = await post_form(pages, url, form(model_sku="NOPE-9", serial_from=imei(1)))
    assert unknown.status_code == 422
    assert field_error(unknown.text, "model_sku") == "No product model has this SKU."
    assert field_error(unknown.text, "serial_to") == "A serial range needs both its first and its last serial."
    assert 'value="NOPE-9"' in unknown.text

    backwards = await post_form(pages, url, form(serial_from=imei(5), serial_to=imei(2)))
    assert backwards.status_code == 422
    assert field_error(backwards.text, "serial_to") == (
        "The last serial comes before the first: give the range from its first serial to its last.")

    too_long = await post_form(pages, url, form(title="x" * 201, batch="B-7"))
    assert too_long.status_code == 422 and field_error(too_long.text, "title") == "Too long: at most 200 characters."
    assert await campaigns_of(runtime, tenant) == []

    await drafted_by_form(pages, title="x" * 200, serial_from=imei(1), serial_to=imei(1))
    assert await campaigns_of(runtime, tenant) == [("x" * 200, "draft")]


async def test_a_campaign_selecting_nothing_in_service_is_not_launched(runtime, make_tenant, pages, sign_in_staff):
    tenant = await make_tenant("acme")
    await add_units(runtime, tenant, [imei(1)], status="blocked")
    await sign_in_staff(pages, tenant, "admin")
    campaign_id = await drafted_by_form(pages, batch="B-7")
    html = (await pages.get(f"/t/acme/console/recalls/{campaign_id}")).text
    assert "1 matching units are out of service" in html
    refusal = await post_form(pages, f"/t/acme/console/recalls/{campaign_id}/launch")
    assert refusal.status_code == 409
    assert refused(refusal.text, "launch") == "The campaign selects no unit in service: there is nothing to recall."
    assert await campaigns_of(runtime, tenant) == [("Battery swelling", "draft")]
    abandoned = await post_form(pages, f"/t/acme/console/recalls/{campaign_id}/close")
    assert abandoned.status_code == 303
    assert await campaigns_of(runtime, tenant) == [("Battery swelling", "closed")]


async def test_agents_record_acknowledgements_and_fixes_with_a_note(runtime, client, staff_token, make_tenant,
                                                                    pages, sign_in_staff):
    tenant = await make_tenant("acme")
    admin = await staff_token(tenant, "admin")
    await add_units(runtime, tenant, [imei(1), imei(2)])
    await register(client, admin, imei(1), phone="+49 30 1234568")
    campaign_id = (await launched(client, admin, batch="B-7"))["id"]
    await sign_in_staff(pages, tenant, "agent")
    url = f"/t/acme/console/recalls/{campaign_id}"
    html = (await pages.get(url)).text
    assert 'data-action="launch"' not in html and 'data-action="close"' not in html  # agents do not manage

    acked = await post_form(pages, f"{url}/acknowledge", {"serial": imei(1), "pending": "acknowledgement"})
    assert acked.status_code == 303 and acked.headers["location"] == f"{url}?pending=acknowledgement"
    waiting = (await pages.get(acked.headers["location"])).text
    assert f'data-serial="{imei(2)}"' in waiting and f'data-serial="{imei(1)}"' not in waiting
    row = (await pages.get(url)).text.split(f'data-serial="{imei(1)}"')[1].split("</tr>")[0]
    assert "to an agent" in row and 'data-action="acknowledge"' not in row
    twice = await post_form(pages, f"{url}/acknowledge", {"serial": imei(1)})
    assert twice.status_code == 303  # the first acknowledgement stands

    blank = await post_form(pages, f"{url}/fix", {"serial": imei(2), "note": "   "})
    assert blank.status_code == 422
    assert field_error(blank.text, f"note-{imei(2)}") == "Say what was done to the unit."
    assert field_error(blank.text, f"note-{imei(1)}") is None
    long_note = await post_form(pages, f"{url}/fix", {"serial": imei(2), "note": "y" * 2001})
    assert long_note.status_code == 422
    assert field_error(long_note.text, f"note-{imei(2)}") == "Too long: at most 2,000 characters."
    assert (await statuses(runtime, tenant))[imei(2)] == "recalled"

    fixed = await post_form(pages, f"{url}/fix", {"serial": imei(2), "note": "y" * 2000})
    assert fixed.status_code == 303
    html = (await pages.get(url)).text
    assert 'data-count="1">1 of 2</span>' in html.split('id="step-fixed"')[1]
    assert (await statuses(runtime, tenant))[imei(2)] == "in_stock"
    again = await post_form(pages, f"{url}/fix", {"serial": imei(2), "note": "again"})
    assert again.status_code == 409 and refused(again.text, "fix") == "This unit is already recorded as fixed."
    stranger = await post_form(pages, f"{url}/fix", {"serial": imei(9), "note": "swap"})
    assert stranger.status_code == 404
    assert refused(stranger.text, "fix") == "No unit with this serial is on the register."


async def test_each_action_needs_the_apis_scope(runtime, client, staff_token, make_tenant, pages, sign_in_staff):
    tenant = await make_tenant("acme")
    admin = await staff_token(tenant, "admin")
    await add_units(runtime, tenant, [imei(1), imei(2)])
    campaign_id = (await launched(client, admin, batch="B-7"))["id"]
    url = f"/t/acme/console/recalls/{campaign_id}"
    await sign_in_staff(pages, tenant, "agent")
    assert (await pages.get("/t/acme/console/recalls/new")).status_code == 403
    assert 'href="/t/acme/console/recalls/new"' not in (await pages.get("/t/acme/console/recalls")).text
    assert (await post_form(pages, "/t/acme/console/recalls/new", form(batch="B-7"))).status_code == 403
    assert (await post_form(pages, f"{url}/close")).status_code == 403
    assert (await post_form(pages, f"{url}/launch")).status_code == 403
    await sign_in_staff(pages, tenant, "technician")
    html = (await pages.get(url)).text
    assert 'data-action="fix"' in html and 'data-action="acknowledge"' not in html
    assert (await post_form(pages, f"{url}/acknowledge", {"serial": imei(1)})).status_code == 403
    assert (await post_form(pages, f"{url}/fix", {"serial": imei(1), "note": "swap"})).status_code == 303
    assert await campaigns_of(runtime, tenant) == [("Battery swelling", "active")]
    assert (await pages.post(f"{url}/close", data={})).status_code == 403  # no CSRF token
    assert await campaigns_of(runtime, tenant) == [("Battery swelling", "active")]


async def test_another_tenant_cannot_act_on_a_campaign(runtime, client, staff_token, make_tenant, pages,
                                                       sign_in_staff):
    acme = await make_tenant("acme")
    campaign_id = await two_units_one_fixed(runtime, client, staff_token, acme)
    other = await make_tenant("other")
    await add_units(runtime, other, [imei(2)])
    await sign_in_staff(pages, other, "admin")
    base = f"/t/other/console/recalls/{campaign_id}"
    for action, data in (("launch", {}), ("close", {}), ("acknowledge", {"serial": imei(2)}),
                         ("fix", {"serial": imei(2), "note": "swap"})):
        response = await post_form(pages, f"{base}/{action}", data)
        assert response.status_code == 404, action
        assert "Battery swelling" not in response.text
    assert await campaigns_of(runtime, acme) == [("Battery swelling", "active")]
    assert (await statuses(runtime, acme))[imei(2)] == "recalled"
    assert await campaigns_of(runtime, other) == []


async def test_the_campaign_form_speaks_persian(runtime, make_tenant, pages, sign_in_staff):
    tenant = await make_tenant("acme", **BILINGUAL)
    await sign_in_staff(pages, tenant, "admin")
    refused_form = await post_form(pages, "/t/acme/console/recalls/new", form(title="x" * 201, reason=""))
    assert refused_form.status_code == 422 and 'dir="rtl"' in refused_form.text
    assert field_error(refused_form.text, "reason") == "این را بنویسید؛ نمی‌تواند خالی باشد."
    assert field_error(refused_form.text, "title") == "بیش از حد بلند است: حداکثر ۲۰۰ نویسه."
    assert await campaigns_of(runtime, tenant) == []


# --- the service's refusals, worded by their code -----------------------------------------------------------------

SN_SCHEME = {"settings": {"electronics": {"serial_scheme": "pattern", "serial_pattern": "^SN[-0-9]{3,5}$"}}}
REFUSED_CAMPAIGNS = {
    # code: (the form's fields, the field refused, the reason in en, in fa)
    "recall.empty": ({"title": " ", "batch": "B-7"}, "title",
                     "Write this; it cannot be empty.", "این را بنویسید؛ نمی‌تواند خالی باشد."),
    "recall.too_long": ({"title": "x" * 201, "batch": "B-7"}, "title",
                        "Too long: at most 200 characters.", "بیش از حد بلند است: حداکثر ۲۰۰ نویسه."),
    "recall.unknown_model": ({"model_sku": "NOPE-9"}, "model_sku",
                             "No product model has this SKU.", "هیچ مدل محصولی این SKU را ندارد."),
    "recall.no_selection": ({}, "model_sku", "Choose the units: a model, a batch, a serial range, or several.",
                            "دستگاه‌ها را مشخص کنید: یک مدل، یک بچ، یک بازهٔ سریال، یا چند مورد با هم."),
    "recall.range_incomplete": ({"serial_from": "SN-100"}, "serial_to",
                                "A serial range needs both its first and its last serial.",
                                "بازهٔ سریال هم سریال اول را می‌خواهد و هم سریال آخر را."),
    "recall.range_lengths_differ": ({"serial_from": "SN-100", "serial_to": "SN-1999"}, "serial_to",
                                    "The first and last serials of a range must be the same length.",
                                    "سریال اول و آخر بازه باید هم‌طول باشند."),
    "recall.range_reversed": ({"serial_from": "SN-199", "serial_to": "SN-100"}, "serial_to",
                              ("The last serial comes before the first: give the range from its first serial to its "
                               "last."), "سریال آخر پیش از سریال اول است: بازه را از سریال اول تا آخر بدهید."),
}


def _in(lang, english, persian):
    return english if lang == "en" else persian


async def _tenant_in(make_tenant, lang, **overrides):
    return await make_tenant("acme", **overrides, **(BILINGUAL if lang == "fa" else {}))


@pytest.mark.parametrize("lang", ["en", "fa"])
@pytest.mark.parametrize("code", list(REFUSED_CAMPAIGNS))
async def test_each_refused_campaign_field_is_worded_by_its_code(runtime, make_tenant, pages, sign_in_staff, code,
                                                                 lang):
    fields, name, in_english, in_persian = REFUSED_CAMPAIGNS[code]
    tenant = await _tenant_in(make_tenant, lang, **SN_SCHEME)
    await sign_in_staff(pages, tenant, "admin")
    refused_form = await post_form(pages, "/t/acme/console/recalls/new", form(**fields))
    assert refused_form.status_code == 422
    assert field_error(refused_form.text, name) == _in(lang, in_english, in_persian)
    assert await campaigns_of(runtime, tenant) == []


@pytest.mark.parametrize("lang", ["en", "fa"])
async def test_each_refused_campaign_action_is_worded_by_its_code(runtime, make_tenant, pages, sign_in_staff, lang):
    tenant = await _tenant_in(make_tenant, lang)
    await add_units(runtime, tenant, [imei(1), imei(2)])
    await add_units(runtime, tenant, [imei(3)], batch="B-8")
    await sign_in_staff(pages, tenant, "admin")
    campaign_id = await drafted_by_form(pages, batch="B-7")
    url = f"/t/acme/console/recalls/{campaign_id}"

    async def refusal(action, data, status=409):
        response = await post_form(pages, f"{url}/{action}", data)
        assert response.status_code == status, (action, response.status_code)
        return response.text

    await refusal("acknowledge", {"serial": imei(1)})  # recall.campaign_is_draft: a draft's page lists no units
    assert (await post_form(pages, f"{url}/launch")).status_code == 303
    html = await refusal("launch", {})  # recall.not_draft
    assert refused(html, "launch") == _in(
        lang, "Only a draft can be launched; this campaign was launched or closed already.",
        "فقط پیش‌نویس را می‌توان آغاز کرد؛ این کارزار پیش‌تر آغاز یا بسته شده است.")
    html = await refusal("fix", {"serial": imei(3), "note": "swap"})  # recall.unit_not_recalled
    assert refused(html, "fix") == _in(lang, "This unit is not one the campaign recalled.",
                                       "این دستگاه جزو دستگاه‌های فراخوان‌شدهٔ این کارزار نیست.")
    html = await refusal("fix", {"serial": imei(2), "note": " "}, status=422)  # recall.fix_note_missing
    assert field_error(html, f"note-{imei(2)}") == _in(lang, "Say what was done to the unit.",
                                                       "بنویسید چه کاری روی دستگاه انجام شد.")
    assert (await post_form(pages, f"{url}/fix", {"serial": imei(2), "note": "swap"})).status_code == 303
    html = await refusal("fix", {"serial": imei(2), "note": "again"})  # recall.unit_fixed
    assert refused(html, "fix") == _in(lang, "This unit is already recorded as fixed.",
                                       "تعمیر این دستگاه پیش‌تر ثبت شده است.")
    assert (await post_form(pages, f"{url}/close")).status_code == 303
    html = await refusal("close", {})  # recall.closed
    assert refused(html, "close") == _in(lang, "The campaign is closed.", "کارزار بسته شده است.")

    empty_id = await drafted_by_form(pages, batch="B-9")
    html = (await post_form(pages, f"/t/acme/console/recalls/{empty_id}/launch")).text  # recall.nothing_to_recall
    assert refused(html, "launch") == _in(
        lang, "The campaign selects no unit in service: there is nothing to recall.",
        "کارزار هیچ دستگاه در خدمتی را در بر نمی‌گیرد: چیزی برای فراخوان نیست.")


REFUSED_ACTIONS = {
    # code: the refusal in en, in fa
    "recall.not_draft": ("Only a draft can be launched; this campaign was launched or closed already.",
                         "فقط پیش‌نویس را می‌توان آغاز کرد؛ این کارزار پیش‌تر آغاز یا بسته شده است."),
    "recall.nothing_to_recall": ("The campaign selects no unit in service: there is nothing to recall.",
                                 "کارزار هیچ دستگاه در خدمتی را در بر نمی‌گیرد: چیزی برای فراخوان نیست."),
    "recall.register_changed": (
        "The register changed while the campaign was launching; nothing was launched. Try again.",
        "هنگام آغاز کارزار ثبت دستگاه‌ها تغییر کرد؛ چیزی آغاز نشد. دوباره تلاش کنید."),
    "recall.closed": ("The campaign is closed.", "کارزار بسته شده است."),
    "recall.campaign_is_draft": ("The campaign is a draft: launch it before recording acknowledgements or fixes.",
                                 "کارزار پیش‌نویس است: پیش از ثبت تأیید یا تعمیر آن را آغاز کنید."),
    "recall.unit_not_recalled": ("This unit is not one the campaign recalled.",
                                 "این دستگاه جزو دستگاه‌های فراخوان‌شدهٔ این کارزار نیست."),
    "recall.unit_fixed": ("This unit is already recorded as fixed.", "تعمیر این دستگاه پیش‌تر ثبت شده است."),
}


@pytest.mark.parametrize("lang", ["en", "fa"])
@pytest.mark.parametrize("code", list(REFUSED_ACTIONS))
def test_each_refusal_is_worded_by_its_code_whatever_the_services_english(code, lang):
    from types import SimpleNamespace

    from aftersales.errors import Conflict
    from aftersales.web.console.insight.recall_forms import refusal
    from aftersales.web.i18n.catalogues import translations

    page = SimpleNamespace(translations=translations(lang))
    assert refusal(page, Conflict("reworded at will", code=code)) == _in(lang, *REFUSED_ACTIONS[code])
    assert refusal(page, Conflict("a refusal with no code is shown as given")) == (
        "a refusal with no code is shown as given")


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "fa"])
async def test_a_coordinator_drafts_and_abandons_a_campaign_in_the_browser(open_phone, sign_in_browser, screenshot,
                                                                          lang):
    """Mehr's demo admin drafts a campaign by the form (a batch of its own, so no demo unit is touched), sees its
    reach, and abandons it."""
    page = await open_phone(lang=lang)
    await page.set_viewport_size({"width": 1280, "height": 900})
    await sign_in_browser(page, "mehr", email="admin@mehr-demo.com", kind="staff")
    await page.goto(f"/t/mehr/console/recalls?lang={lang}")
    await page.locator("#new-campaign-link").click()
    await page.locator("#new-campaign").wait_for()
    assert await page.locator("html").get_attribute("dir") == ("rtl" if lang == "fa" else "ltr")
    title = f"Charger recall {uuid.uuid4().hex[:6]}"
    await page.fill("#title", title)
    await page.fill("#reason", DEFECT)
    await page.fill("#remedy", REMEDY)
    await page.fill("#batch", f"NO-SUCH-BATCH-{uuid.uuid4().hex[:6]}")
    await page.locator("#new-campaign button[type=submit]").click()
    await expect(page.locator("main h1")).to_contain_text(title)
    await expect(page.locator("#reach")).to_contain_text("0" if lang == "en" else "۰")
    await screenshot(page, f"recall-draft-{lang}")
    await page.locator("[data-action=close] button").click()
    await expect(page.locator("main h1 .badge.good")).to_be_visible()
    assert await page.locator("[data-action=launch]").count() == 0
