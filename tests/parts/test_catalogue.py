"""The parts catalogue is the price list: part number, names by language (the reader's, else the entry's name),
compatible models that must be the tenant's, wear part, supplier; a request's quote charges its reserved parts at
list price."""

from __future__ import annotations


import pytest
from sqlalchemy import select

from aftersales.service.quotes.models import PartPrice
from aftersales.warranty.models import ProductModel
from support.dispatch import add_technician
from support.quotes import garage, new_job
from support.stock import RESERVATIONS, location, receive, shop

PARTS = "/api/v1/marketplace/parts"


async def models(runtime, tenant, *skus):
    async with runtime.db.transaction(tenant.id) as s:
        s.add_all(ProductModel(sku=sku, name=sku) for sku in skus)


def entry(**extra):
    return {"name": "drum belt", "price_minor": 45_00, "currency": "EUR", **extra}


async def test_a_part_has_names_by_language_compatible_models_wear_and_supplier(client, runtime, make_tenant,
                                                                               staff_token):
    tenant = await make_tenant("washers")
    admin = await staff_token(tenant, "admin")
    await models(runtime, tenant, "WM-7", "WM-9")
    put = await client.put(f"{PARTS}/BELT-1", headers=admin, json=entry(
        names={"fa": "تسمه دیگ", "zh": "滚筒皮带"}, compatible_models=["WM-7", "WM-9", "WM-7"], wear_part=True,
        supplier="Belts & Co"))
    assert put.status_code == 200, put.text
    part = put.json()
    assert (part["compatible_models"], part["wear_part"], part["supplier"]) == (["WM-7", "WM-9"], True, "Belts & Co")
    names = {lang: (await client.get(PARTS, headers={**admin, "Accept-Language": lang})).json()[0]["name"]
             for lang in ("fa", "zh", "ka", "en")}
    assert names == {"fa": "تسمه دیگ", "zh": "滚筒皮带", "ka": "drum belt", "en": "drum belt"}
    price_only = await client.put(f"{PARTS}/BELT-1", headers=admin, json=entry(price_minor=50_00))
    assert (price_only.json()["wear_part"], price_only.json()["names"]["fa"]) == (True, "تسمه دیگ"), "kept"
    none = await client.put(f"{PARTS}/BELT-1", headers=admin, json=entry(supplier="", compatible_models=[]))
    assert (none.json()["supplier"], none.json()["compatible_models"]) == (None, [])


@pytest.mark.parametrize(("extra", "field"), [
    ({"compatible_models": ["WM-7", "NOPE"]}, "compatible_models.1"),
    ({"names": {"de": "Riemen"}}, "names.de"),
    ({"names": {"fa": " "}}, "names.fa"),
])
async def test_unknown_models_and_languages_are_refused_naming_the_field(client, runtime, make_tenant, staff_token,
                                                                        extra, field):
    tenant = await make_tenant("washers")
    admin = await staff_token(tenant, "admin")
    await models(runtime, tenant, "WM-7")
    refused = await client.put(f"{PARTS}/BELT-1", headers=admin, json=entry(**extra))
    assert refused.status_code == 422, refused.text
    assert [e["field"] for e in refused.json()["errors"]] == [field]
    async with runtime.db.transaction(tenant.id) as s:
        assert (await s.scalars(select(PartPrice))).all() == []


async def test_another_tenants_models_are_not_this_tenants(client, runtime, make_tenant, staff_token):
    mine, theirs = await make_tenant("washers"), await make_tenant("dryers")
    await models(runtime, theirs, "DR-1")
    refused = await client.put(f"{PARTS}/BELT-1", headers=await staff_token(mine, "admin"),
                               json=entry(compatible_models=["DR-1"]))
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "compatible_models.0"


async def test_a_requests_quote_charges_its_reserved_and_issued_parts_at_list_price(client, runtime, make_tenant,
                                                                                   staff_token):
    here = await shop(runtime, client, make_tenant, staff_token)
    async with runtime.db.transaction(here.tenant.id) as s:  # the shop's list is in the tenant's currency
        for part in await s.scalars(select(PartPrice)):
            part.currency = here.tenant.currency
    await receive(client, here.admin, here.parts["BELT-1"], here.warehouse, 3)
    await receive(client, here.admin, here.parts["PUMP-2"], here.warehouse, 1)
    quotes = f"/api/v1/requests/{here.request_id}/quotes"
    bare = await client.post(quotes, headers=here.admin, json={"labour_minor": 10_00})
    assert bare.status_code == 201, bare.text
    assert [line["kind"] for line in bare.json()["lines"]] == ["labour"]
    for part, quantity in (("BELT-1", 2), ("PUMP-2", 1)):
        held = await client.post(RESERVATIONS, headers=here.admin, json={
            "part_id": str(here.parts[part]), "quantity": quantity, "request_id": str(here.request_id)})
        assert held.status_code == 201
    issued = held.json()["id"]
    assert (await client.post(f"{RESERVATIONS}/{issued}/issue", headers=here.admin, json={})).status_code == 200
    belts = (await client.get(RESERVATIONS, headers=here.admin, params={"request_id": str(here.request_id)})).json()[0]
    await client.post(f"{RESERVATIONS}/{belts['id']}/release", headers=here.admin)
    await client.post(RESERVATIONS, headers=here.admin, json={
        "part_id": str(here.parts["BELT-1"]), "quantity": 1, "request_id": str(here.request_id)})
    quoted = await client.post(quotes, headers=here.admin, json={"labour_minor": 10_00})
    assert quoted.status_code == 201, quoted.text
    parts = [(line["description"], line["amount_minor"]) for line in quoted.json()["lines"] if line["kind"] == "part"]
    assert parts == [("drum belt × 1", 45_00), ("drain pump × 1", 120_00)], "the released belts are not charged"


@pytest.mark.parametrize("under_warranty", [False, True])
async def test_a_bookings_quote_charges_its_reserved_parts_and_warranty_frees_them_as_the_vertical_says(
        client, runtime, make_tenant, staff_token, provider_token, customer_token, under_warranty):
    tenant = await garage(runtime, make_tenant)
    job = await new_job(runtime, tenant, provider_token, customer_token, under_warranty=under_warranty)
    admin = await staff_token(tenant, "admin")
    van = await location(client, admin, "VAN-1", kind="van",
                         technician_id=str(await add_technician(runtime, tenant, "Mobile fitter")))
    async with runtime.db.transaction(tenant.id) as s:
        seal = await s.scalar(select(PartPrice.id).where(PartPrice.code == "SEAL"))
    await receive(client, admin, seal, van, 2)
    held = await client.post(RESERVATIONS, headers=admin, json={"part_id": str(seal), "quantity": 2,
                                                               "booking_id": str(job.booking_id)})
    assert held.status_code == 201, held.text
    quote = await client.post(f"/api/v1/marketplace/bookings/{job.booking_id}/quotes", json={}, headers=job.provider)
    assert quote.status_code == 201, quote.text
    [part] = [line for line in quote.json()["lines"] if line["kind"] == "part"]
    assert (part["amount_minor"], part["covered_by_warranty"]) == (40_00, under_warranty)
