"""The technicians page (``/console/technicians``): the list with skills, authorisations, hours, days and
capacity; a dispatcher adds a technician from the tenant's staff, typed in Persian digits; refusals beside the
field with nothing written; readers without ``dispatch:plan`` get no form; tenants are kept apart."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import select

from aftersales.accounts.services import create_staff
from aftersales.dispatch.models import Technician, TechnicianAuthorisation
from support.dispatch_pages import add_technician
from support.order_pages import order_desk
from support.pages import post_form

PAGE = "/t/entekhab-test/console/technicians"


async def _staff(runtime, tenant, name="Reza Ahmadi"):
    async with runtime.db.transaction(tenant.id) as s:
        return (await create_staff(s, email=f"reza-{tenant.slug}@example.com", name=name, roles=["technician"],
                                   password=None)).id


async def _technicians(runtime, tenant):
    async with runtime.db.transaction(tenant.id) as s:
        return list(await s.scalars(select(Technician).order_by(Technician.name)))


def _form(staff_id, **changes):
    return {"staff_user_id": str(staff_id), "name": "رضا احمدی", "skills": "fridge، washer",
            "home_latitude": "۳۵٫۷۵۷۵", "home_longitude": "51.41", "works_from": "08:00", "works_until": "17:00",
            "weekdays": ["5", "6", "0", "1", "2"], "daily_capacity": "۶", **changes}


async def test_a_dispatcher_adds_a_technician_typed_in_persian(pages, runtime, make_tenant, sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    staff_id = await _staff(runtime, tenant)
    await sign_in_staff(pages, tenant, "agent")
    form = await pages.get(f"{PAGE}?lang=fa")
    assert form.status_code == 200 and f'<option value="{staff_id}"' in form.text
    made = await post_form(pages, PAGE, _form(staff_id))
    assert made.status_code == 303 and made.headers["location"].endswith("/console/technicians")
    [technician] = await _technicians(runtime, tenant)
    assert (technician.name, technician.skills, technician.daily_capacity) == ("رضا احمدی", ["fridge", "washer"], 6)
    assert (technician.home_latitude, technician.works_from, technician.weekdays) == (35.7575, time(8),
                                                                                      [0, 1, 2, 5, 6])
    listed = await pages.get(f"{PAGE}?lang=fa")
    assert f'data-technician="{technician.id}"' in listed.text and "شنبه" in listed.text


async def test_the_list_shows_authorisations_with_their_last_day(pages, runtime, make_tenant, sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    crew = await add_technician(runtime, tenant, "Reza Ahmadi")
    async with runtime.db.transaction(tenant.id) as s:
        s.add(TechnicianAuthorisation(technician_id=crew.technician_id, category="refrigerator",
                                      reference="ENT-4411", until=date(2027, 3, 20)))
    await sign_in_staff(pages, tenant, "agent")
    listed = await pages.get(f"{PAGE}?lang=en")
    assert 'data-authorisation="refrigerator"' in listed.text and "ENT-4411" in listed.text
    assert "March 20, 2027" in listed.text


@pytest.mark.parametrize(("changes", "field"), [
    ({"home_latitude": "91"}, "home_latitude"),
    ({"home_longitude": "east"}, "home_longitude"),
    ({"works_from": "18:00"}, "works_until"),
    ({"works_from": "8 o'clock"}, "works_from"),
    ({"weekdays": []}, "weekdays"),
    ({"daily_capacity": "0"}, "daily_capacity"),
    ({"daily_capacity": "99999999999999999999"}, "daily_capacity"),
    ({"name": ""}, "name"),
    ({"staff_user_id": "nobody"}, "staff_user_id"),
])
async def test_a_bad_field_is_refused_beside_it_and_nothing_is_written(pages, runtime, make_tenant, sign_in_staff,
                                                                       changes, field):
    tenant = await order_desk(make_tenant, runtime)
    staff_id = await _staff(runtime, tenant)
    await sign_in_staff(pages, tenant, "agent")
    refused = await post_form(pages, PAGE, _form(staff_id, **changes))
    assert refused.status_code == 422 and f'id="{field}-error"' in refused.text
    assert await _technicians(runtime, tenant) == []


async def test_a_staff_member_is_one_technician_only(pages, runtime, make_tenant, sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    staff_id = await _staff(runtime, tenant)
    await sign_in_staff(pages, tenant, "agent")
    assert (await post_form(pages, PAGE, _form(staff_id))).status_code == 303
    again = await post_form(pages, PAGE, _form(staff_id, name="Again"))
    assert again.status_code == 409 and 'id="staff_user_id-error"' in again.text
    assert len(await _technicians(runtime, tenant)) == 1


@pytest.mark.parametrize("role", ["technician", "finance"])
async def test_staff_who_do_not_plan_cannot_add(pages, runtime, make_tenant, sign_in_staff, role):
    tenant = await order_desk(make_tenant, runtime)
    staff_id = await _staff(runtime, tenant)
    await sign_in_staff(pages, tenant, role)
    assert (await pages.get(PAGE)).status_code == 403
    assert (await post_form(pages, PAGE, _form(staff_id))).status_code == 403
    assert await _technicians(runtime, tenant) == []


async def test_another_tenants_staff_member_cannot_be_made_a_technician_here(pages, runtime, make_tenant,
                                                                             sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    await add_technician(runtime, tenant, "Mine")
    other = await order_desk(make_tenant, runtime, "other-test")
    theirs = await _staff(runtime, other)
    await sign_in_staff(pages, tenant, "agent")
    refused = await post_form(pages, PAGE, _form(theirs))
    assert refused.status_code == 422 and 'id="staff_user_id-error"' in refused.text
    await sign_in_staff(pages, other, "agent")
    listed = await pages.get("/t/other-test/console/technicians")
    assert listed.status_code == 200 and "Mine" not in listed.text


async def test_a_dispatcher_edits_a_technician_and_makes_them_inactive(pages, runtime, make_tenant, sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    crew = await add_technician(runtime, tenant, "Reza Ahmadi")
    await sign_in_staff(pages, tenant, "agent")
    listed = await pages.get(PAGE)
    assert f'href="/t/entekhab-test/console/technicians/{crew.technician_id}" data-edit' in listed.text
    form = await pages.get(f"{PAGE}/{crew.technician_id}")
    assert form.status_code == 200 and 'value="Reza Ahmadi"' in form.text
    assert 'name="active" value="yes" checked' in form.text
    changed = _form(crew.staff_id, name="Reza Ahmadi", skills="fridge, oven", daily_capacity="3")
    refused = await post_form(pages, f"{PAGE}/{crew.technician_id}", {**changed, "works_until": "07:00"})
    assert refused.status_code == 422 and 'id="works_until-error"' in refused.text
    assert (await _technicians(runtime, tenant))[0].daily_capacity == 6
    saved = await post_form(pages, f"{PAGE}/{crew.technician_id}", changed)  # "active" unticked
    assert saved.status_code == 303
    [technician] = await _technicians(runtime, tenant)
    assert (technician.skills, technician.daily_capacity, technician.active) == (["fridge", "oven"], 3, False)


async def test_another_tenants_dispatcher_cannot_edit_this_tenants_technician(pages, runtime, make_tenant,
                                                                              sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    crew = await add_technician(runtime, tenant, "Reza Ahmadi")
    other = await order_desk(make_tenant, runtime, "other-test")
    await sign_in_staff(pages, other, "agent")
    assert (await pages.get(f"/t/other-test/console/technicians/{crew.technician_id}")).status_code == 404
    edited = await post_form(pages, f"/t/other-test/console/technicians/{crew.technician_id}",
                             _form(crew.staff_id, name="Taken over"))
    assert edited.status_code == 404
    assert [t.name for t in await _technicians(runtime, tenant)] == ["Reza Ahmadi"]
