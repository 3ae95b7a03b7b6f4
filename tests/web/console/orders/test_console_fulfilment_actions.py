"""Moving a funded order from its console page (seed 001): the clerk allocates it to a warehouse (a regional one
of the order's province only, with the production date typed in Jalali), dispatches and delivers it (box sealed
or not), books the installation with an authorised technician, the technician confirms it with the invoice's
date (the festival cards decided with their reasons), and a card is promised at sale. Each form shows only in
its state and to staff with its scope; a refusal is worded by its code, beside the field, and writes nothing."""

from __future__ import annotations

from datetime import timedelta

import jdatetime
import pytest
from sqlalchemy import select

from aftersales.db.base import utcnow
from aftersales.orders.fulfilment.models import FestivalCard, Fulfilment
from aftersales.orders.models import Order
from aftersales.tenancy.current import bind_tenant
from aftersales.warranty.models import ProductModel, Serial
from support.fulfilment import add_warehouse
from support.marketplace import add_provider, working_monday
from support.order_pages import order_desk, place_order
from support.orders import FRIDGE, pay
from support.pages import post_form

DESK = "/t/entekhab-test/console/orders"


async def _funded(runtime, tenant, province="IR-23"):
    placed = await place_order(runtime, tenant, province=province, delivery_address="Valiasr St. 12")
    await pay(runtime, tenant, placed.order_id, placed.proforma_id, utcnow())
    return placed


async def _state(runtime, tenant, order_id):
    async with runtime.db.transaction(tenant.id) as s:
        order = await s.scalar(select(Order).where(Order.id == order_id))
        fulfilment = await s.scalar(select(Fulfilment).where(Fulfilment.order_id == order_id))
        return order.state, fulfilment


def _today(tenant, runtime):
    return utcnow().astimezone(bind_tenant(tenant, runtime.plugins).calendar.zone).date()


async def test_the_clerk_allocates_with_a_jalali_production_date_dispatches_and_delivers(
        pages, runtime, make_tenant, sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    placed = await _funded(runtime, tenant)
    central = await add_warehouse(runtime, tenant, kind="central", province="IR-10", code="C-1")
    tehran = await add_warehouse(runtime, tenant, kind="regional", province="IR-23", code="R-TEH")
    isfahan = await add_warehouse(runtime, tenant, kind="regional", province="IR-10", code="R-ISF")
    await sign_in_staff(pages, tenant, "agent")
    page = await pages.get(f"{DESK}/{placed.order_id}?lang=fa")
    assert 'data-action="allocate"' in page.text and 'data-action="dispatch"' not in page.text
    assert 'id="production_on" name="production_on" type="text"' in page.text  # typed, Jalali allowed
    assert f'value="{central}"' in page.text and f'value="{tehran}"' in page.text
    assert f'value="{isfahan}"' not in page.text  # a regional warehouse of another province is not offered
    produced = _today(tenant, runtime) - timedelta(days=10)
    jalali = jdatetime.date.fromgregorian(date=produced)
    typed = f"{jalali.year}/{jalali.month:02d}/{jalali.day:02d}".translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    made = await post_form(pages, f"{DESK}/{placed.order_id}/allocation",
                           {"warehouse_id": str(tehran), "production_on": typed})
    assert made.status_code == 303 and made.headers["location"].endswith(f"/orders/{placed.order_id}#delivery")
    state, fulfilment = await _state(runtime, tenant, placed.order_id)
    assert state == "allocated" and fulfilment.warehouse_id == tehran and fulfilment.production_on == produced
    page = await pages.get(f"{DESK}/{placed.order_id}")
    assert 'data-action="allocate"' not in page.text and 'data-action="dispatch"' in page.text
    assert (await post_form(pages, f"{DESK}/{placed.order_id}/dispatch", {})).status_code == 303
    assert (await _state(runtime, tenant, placed.order_id))[0] == "dispatched"
    unsure = await post_form(pages, f"{DESK}/{placed.order_id}/delivery", {"box_sealed": ""})
    assert unsure.status_code == 422 and 'id="deliver-box_sealed-error"' in unsure.text
    assert "بگویید جعبه پلمب بود یا نه." in unsure.text  # the reader chose Persian
    assert (await _state(runtime, tenant, placed.order_id))[0] == "dispatched"
    delivered = await post_form(pages, f"{DESK}/{placed.order_id}/delivery", {"box_sealed": "no"})
    assert delivered.status_code == 303
    state, fulfilment = await _state(runtime, tenant, placed.order_id)
    assert state == "delivered" and fulfilment.delivered_sealed is False
    again = await post_form(pages, f"{DESK}/{placed.order_id}/dispatch", {})
    assert again.status_code == 409 and 'data-refused="dispatch"' in again.text
    assert "اکنون این کار روی آن انجام نمی‌شود" in again.text


async def test_a_regional_warehouse_of_another_province_is_refused_beside_the_field_in_persian(
        pages, runtime, make_tenant, sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    placed = await _funded(runtime, tenant)
    isfahan = await add_warehouse(runtime, tenant, kind="regional", province="IR-10", code="R-ISF")
    await sign_in_staff(pages, tenant, "agent")
    refused = await post_form(pages, f"{DESK}/{placed.order_id}/allocation?lang=fa",
                              {"warehouse_id": str(isfahan), "production_on": ""})
    assert refused.status_code == 422 and 'id="allocate-warehouse_id-error"' in refused.text
    assert "انبار منطقه‌ای R-ISF فقط درون IR-10 ارسال می‌کند" in refused.text
    state, fulfilment = await _state(runtime, tenant, placed.order_id)
    assert state == "funded" and fulfilment is None


@pytest.mark.parametrize(("form", "field"), [
    ({"warehouse_id": "not-a-warehouse"}, "warehouse_id"),
    ({"warehouse_id": "00000000-0000-4000-8000-000000000000"}, "warehouse_id"),
    ({"production_on": "9999-12-31"}, "production_on"),
    ({"production_on": "0001-01-01"}, "production_on"),
    ({"production_on": "1405/13/40"}, "production_on"),
])
async def test_hostile_allocation_is_a_422_beside_the_field_and_writes_nothing(
        pages, runtime, make_tenant, sign_in_staff, form, field):
    tenant = await order_desk(make_tenant, runtime)
    placed = await _funded(runtime, tenant)
    central = await add_warehouse(runtime, tenant, kind="central", code="C-1")
    await sign_in_staff(pages, tenant, "agent")
    refused = await post_form(pages, f"{DESK}/{placed.order_id}/allocation",
                              {"warehouse_id": str(central), "production_on": "", **form})
    assert refused.status_code == 422 and f'id="allocate-{field}-error"' in refused.text
    assert (await _state(runtime, tenant, placed.order_id)) == ("funded", None)


async def test_a_nul_in_a_form_is_refused_and_writes_nothing(pages, runtime, make_tenant, sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    placed = await _funded(runtime, tenant)
    await sign_in_staff(pages, tenant, "agent")
    refused = await post_form(pages, f"{DESK}/{placed.order_id}/festival-cards",
                              {"festival": "Yalda\x00", "purchases_from": "2026-12-01", "purchases_until": "2026-12-31"})
    assert refused.status_code == 422
    async with runtime.db.transaction(tenant.id) as s:
        assert (await s.scalars(select(FestivalCard))).all() == []


@pytest.mark.parametrize(("form", "field"), [
    ({"purchases_until": "9999-12-31"}, "purchases_until"),
    ({"purchases_from": "0001-01-01"}, "purchases_from"),
    ({"purchases_from": "tomorrow"}, "purchases_from"),
    ({"festival": "f" * 201}, "festival"),
    ({"purchases_from": "2026-12-31", "purchases_until": "2026-12-01"}, "purchases_until"),
])
async def test_a_hostile_festival_card_is_a_422_beside_the_field_and_writes_nothing(
        pages, runtime, make_tenant, sign_in_staff, form, field):
    tenant = await order_desk(make_tenant, runtime)
    placed = await _funded(runtime, tenant)
    await sign_in_staff(pages, tenant, "agent")
    refused = await post_form(pages, f"{DESK}/{placed.order_id}/festival-cards", {
        "festival": "Yalda", "purchases_from": "2026-12-01", "purchases_until": "2026-12-31", **form})
    assert refused.status_code == 422 and f'id="card-{field}-error"' in refused.text
    async with runtime.db.transaction(tenant.id) as s:
        assert (await s.scalars(select(FestivalCard))).all() == []


async def _delivered(runtime, tenant, pages, serial):
    placed = await _funded(runtime, tenant)
    central = await add_warehouse(runtime, tenant, kind="central", code="C-1")
    async with runtime.db.transaction(tenant.id) as s:
        model = await s.scalar(select(ProductModel).where(ProductModel.sku == FRIDGE))
        s.add(Serial(serial=serial, model_id=model.id, status="in_stock", batch="B-1"))
    for path, form in (("allocation", {"warehouse_id": str(central)}), ("dispatch", {}),
                       ("delivery", {"box_sealed": "yes"})):
        assert (await post_form(pages, f"{DESK}/{placed.order_id}/{path}", form)).status_code == 303
    return placed


async def test_install_booked_with_an_authorised_technician_and_confirmed_with_the_cards_decided(
        pages, runtime, make_tenant, sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    await sign_in_staff(pages, tenant, "agent")
    placed = await _delivered(runtime, tenant, pages, "RF100A0001")
    today = _today(tenant, runtime)
    for festival, start, end in (("Yalda", today - timedelta(days=30), today), ("Nowruz", today + timedelta(days=1),
                                                                                  today + timedelta(days=20))):
        card = await post_form(pages, f"{DESK}/{placed.order_id}/festival-cards", {
            "festival": festival, "purchases_from": start.isoformat(), "purchases_until": end.isoformat()})
        assert card.status_code == 303
    rogue = await add_provider(runtime, tenant, name="Unlisted Fixers", authorised=False,
                               offering_code="install_refrigerator", currency="IRR", price_minor=0,
                               duration_minutes=90, at=(35.70, 51.40), warranty_needs_authorisation=True)
    setup = await add_provider(runtime, tenant, name="Tehran Installers", authorised=True,
                               offering_code="install_refrigerator", currency="IRR", price_minor=0,
                               duration_minutes=90, at=(35.70, 51.40), warranty_needs_authorisation=True)
    page = await pages.get(f"{DESK}/{placed.order_id}")
    assert 'data-action="install"' in page.text and 'data-action="confirm"' not in page.text  # agent: no confirm
    day = working_monday(runtime, tenant)
    ask = {"serials": "RF100A0001", "offering_id": str(setup.offering_id), "starts_on": day.isoformat(),
           "starts_time": "10:00"}
    refused = await post_form(pages, f"{DESK}/{placed.order_id}/installation", {**ask, "provider_id": str(rogue.provider_id)})
    assert refused.status_code == 422 and 'id="install-provider_id-error"' in refused.text
    assert (await _state(runtime, tenant, placed.order_id))[1].installation_booking_id is None
    unknown = await post_form(pages, f"{DESK}/{placed.order_id}/installation",
                              {**ask, "serials": "NOPE-1", "provider_id": str(setup.provider_id)})
    assert unknown.status_code == 422 and 'id="install-serials-error"' in unknown.text
    for hostile, field in (({"starts_on": "9999-01-04"}, "starts_on"), ({"starts_time": "25:99"}, "starts_time"),
                           ({"offering_id": "0"}, "offering_id")):
        refused = await post_form(pages, f"{DESK}/{placed.order_id}/installation",
                                  {**ask, "provider_id": str(setup.provider_id), **hostile})
        assert refused.status_code == 422 and f'id="install-{field}-error"' in refused.text, hostile
    assert (await _state(runtime, tenant, placed.order_id))[1].installation_booking_id is None
    booked = await post_form(pages, f"{DESK}/{placed.order_id}/installation", {**ask, "provider_id": str(setup.provider_id)})
    assert booked.status_code == 303
    assert (await _state(runtime, tenant, placed.order_id))[1].installation_booking_id is not None
    agent_confirms = await post_form(pages, f"{DESK}/{placed.order_id}/installation/confirmation",
                                     {"installed_on": today.isoformat(), "invoice_date": today.isoformat()})
    assert agent_confirms.status_code == 403

    await sign_in_staff(pages, tenant, "technician")
    page = await pages.get(f"{DESK}/{placed.order_id}")
    assert 'data-action="confirm"' in page.text and 'data-action="install"' not in page.text
    owed = page.text[page.text.index("data-owed"):]
    assert "Yalda" in owed[:owed.index("</ul>")] and "Nowruz" in owed[:owed.index("</ul>")]  # the cards owed
    future = await post_form(pages, f"{DESK}/{placed.order_id}/installation/confirmation",
                             {"installed_on": (today + timedelta(days=1)).isoformat(), "invoice_date": today.isoformat()})
    assert future.status_code == 422 and 'id="confirm-installed_on-error"' in future.text
    ancient = await post_form(pages, f"{DESK}/{placed.order_id}/installation/confirmation",
                              {"installed_on": today.isoformat(), "invoice_date": "0001-01-01"})
    assert ancient.status_code == 422 and 'id="confirm-invoice_date-error"' in ancient.text
    assert (await _state(runtime, tenant, placed.order_id))[0] == "delivered"
    done = await post_form(pages, f"{DESK}/{placed.order_id}/installation/confirmation",
                           {"installed_on": today.isoformat(), "invoice_date": today.isoformat()})
    assert done.status_code == 303
    page = await pages.get(f"{DESK}/{placed.order_id}")
    assert 'data-state="installed"' in page.text
    assert page.text.count('data-card="issued"') == 1 and page.text.count('data-card="refused"') == 1
    assert "outside the Nowruz purchases" in page.text and "within the Yalda purchases" in page.text


async def test_finance_sees_no_move_and_is_refused_each(pages, runtime, make_tenant, sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    placed = await _funded(runtime, tenant)
    central = await add_warehouse(runtime, tenant, kind="central", code="C-1")
    await sign_in_staff(pages, tenant, "finance")
    page = await pages.get(f"{DESK}/{placed.order_id}")
    assert page.status_code == 200 and "data-moves" not in page.text and 'data-action="card"' not in page.text
    for path, form in (("allocation", {"warehouse_id": str(central)}), ("dispatch", {}),
                       ("delivery", {"box_sealed": "yes"}), ("installation", {}),
                       ("installation/confirmation", {}), ("festival-cards", {"festival": "Yalda"})):
        assert (await post_form(pages, f"{DESK}/{placed.order_id}/{path}", form)).status_code == 403, path
    assert (await _state(runtime, tenant, placed.order_id)) == ("funded", None)


@pytest.mark.parametrize("path", ["allocation", "dispatch", "delivery", "installation", "installation/confirmation",
                                  "festival-cards"])
async def test_another_tenants_admin_cannot_move_the_order(pages, runtime, make_tenant, sign_in_staff, path):
    tenant = await order_desk(make_tenant, runtime)
    placed = await _funded(runtime, tenant)
    central = await add_warehouse(runtime, tenant, kind="central", code="C-1")
    other = await order_desk(make_tenant, runtime, "other-test")
    await sign_in_staff(pages, other, "admin")
    refused = await post_form(pages, f"/t/other-test/console/orders/{placed.order_id}/{path}", {
        "warehouse_id": str(central), "box_sealed": "yes", "festival": "Yalda", "purchases_from": "2026-12-01",
        "purchases_until": "2026-12-31", "installed_on": "2026-12-01", "invoice_date": "2026-12-01"})
    assert refused.status_code == 404
    assert (await _state(runtime, tenant, placed.order_id)) == ("funded", None)
