"""The catalogue: product models by SKU, saved by upsert, validated field by field, seen by their tenant only."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from aftersales.contract.values import ProductInfo
from aftersales.warranty.catalog import product_info
from aftersales.warranty.models import ProductModel

FRIDGE = {"sku": "RF-SBS-560", "name": "Side-by-side fridge 560 l", "category": "fridge", "volume_m3": 1.2,
          "weight_kg": 110.5, "warranty_months": 24, "attributes": {"energy_class": "A+"}}


async def _models(runtime, tenant):
    async with runtime.db.transaction(tenant.id) as s:
        return (await s.scalars(select(ProductModel))).all()


async def test_an_admin_creates_a_model_and_saving_the_sku_again_updates_it_in_place(client, runtime, make_tenant,
                                                                                    staff_token):
    alpha = await make_tenant("alpha", vertical="appliances")
    admin = await staff_token(alpha, "admin")
    created = await client.post("/api/v1/catalog/models", json=FRIDGE, headers=admin)
    assert created.status_code == 201 and created.json() == {**FRIDGE, "active": True, "in_stock": True,
                                                             "list_price_minor": None}
    updated = await client.post("/api/v1/catalog/models", json={"sku": "RF-SBS-560", "name": "Fridge 560"},
                                headers=admin)
    assert updated.status_code == 200
    assert updated.json() == {"sku": "RF-SBS-560", "name": "Fridge 560", "category": "", "volume_m3": None,
                              "weight_kg": None, "warranty_months": None, "attributes": {}, "active": True,
                              "in_stock": True, "list_price_minor": None}
    assert len(await _models(runtime, alpha)) == 1


async def test_staff_with_serials_read_list_and_get_models(client, make_tenant, staff_token):
    alpha = await make_tenant("alpha", vertical="appliances")
    admin = await staff_token(alpha, "admin")
    await client.post("/api/v1/catalog/models", json=FRIDGE, headers=admin)
    await client.post("/api/v1/catalog/models", json={"sku": "AC-12", "name": "Air conditioner"}, headers=admin)
    technician = await staff_token(alpha, "technician")
    listed = await client.get("/api/v1/catalog/models", headers=technician)
    assert listed.status_code == 200 and [m["sku"] for m in listed.json()] == ["AC-12", "RF-SBS-560"]
    one = await client.get("/api/v1/catalog/models/RF-SBS-560", headers=technician)
    assert one.status_code == 200 and one.json()["volume_m3"] == 1.2
    assert (await client.get("/api/v1/catalog/models/NOPE-1", headers=technician)).status_code == 404


async def test_reading_the_catalogue_needs_serials_read(client, make_tenant, staff_token):
    alpha = await make_tenant("alpha")
    response = await client.get("/api/v1/catalog/models", headers=await staff_token(alpha, "finance"))
    assert response.status_code == 403


@pytest.mark.parametrize("role", ["agent", "technician", "finance"])
async def test_catalogue_writes_without_catalog_write_are_forbidden(client, runtime, make_tenant, staff_token, role):
    alpha = await make_tenant("alpha")
    response = await client.post("/api/v1/catalog/models", json=FRIDGE, headers=await staff_token(alpha, role))
    assert response.status_code == 403 and "catalog:write" in response.json()["detail"]
    assert await _models(runtime, alpha) == []


async def test_invalid_model_lists_every_field_and_writes_nothing(client, runtime, make_tenant, staff_token):
    alpha = await make_tenant("alpha")
    body = {"sku": "bad sku!", "name": "  ", "category": "x" * 81, "volume_m3": 0, "weight_kg": -1,
            "warranty_months": 241}
    response = await client.post("/api/v1/catalog/models", json=body, headers=await staff_token(alpha, "admin"))
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"sku", "name", "category", "volume_m3", "weight_kg", "warranty_months"}
    assert await _models(runtime, alpha) == []


@pytest.mark.parametrize("months, status", [(0, 422), (1, 201), (240, 201), (241, 422)])
async def test_warranty_months_override_is_1_to_240(client, make_tenant, staff_token, months, status):
    alpha = await make_tenant("alpha")
    response = await client.post("/api/v1/catalog/models", json={"sku": "PH-1", "name": "Phone",
                                                                 "warranty_months": months},
                                 headers=await staff_token(alpha, "admin"))
    assert response.status_code == status


async def test_a_model_body_with_unknown_fields_or_wrong_types_is_a_400(client, make_tenant, staff_token):
    alpha = await make_tenant("alpha")
    response = await client.post("/api/v1/catalog/models", json={"sku": "PH-1", "name": "Phone", "colour": "red",
                                                                 "weight_kg": "heavy"},
                                 headers=await staff_token(alpha, "admin"))
    assert response.status_code == 400
    assert {"colour", "weight_kg"} <= {e["field"] for e in response.json()["errors"]}


async def test_a_tenant_sees_and_writes_only_its_own_catalogue(client, runtime, make_tenant, staff_token):
    alpha = await make_tenant("alpha")
    bravo = await make_tenant("bravo")
    await client.post("/api/v1/catalog/models", json={"sku": "BR-1", "name": "Bravo phone"},
                      headers=await staff_token(bravo, "admin"))
    alpha_admin = await staff_token(alpha, "admin")
    assert (await client.get("/api/v1/catalog/models", headers=alpha_admin)).json() == []
    assert (await client.get("/api/v1/catalog/models/BR-1", headers=alpha_admin)).status_code == 404
    same_sku = await client.post("/api/v1/catalog/models", json={"sku": "BR-1", "name": "Alpha's own"},
                                 headers=alpha_admin)
    assert same_sku.status_code == 201
    assert [m.name for m in await _models(runtime, bravo)] == ["Bravo phone"]


def test_product_info_is_the_model_as_hooks_see_it():
    model = ProductModel(sku="WM-7KG", name="Washer 7 kg", category="washer", volume_m3=0.4, weight_kg=65.0,
                         warranty_months=None, attributes={"drum_litres": 52})
    assert product_info(model) == ProductInfo(sku="WM-7KG", name="Washer 7 kg", category="washer", volume_m3=0.4,
                                              weight_kg=65.0, warranty_months=None,
                                              attributes={"drum_litres": "52"})


async def test_a_model_carries_its_stock_and_list_price_for_the_order_desk(client, make_tenant, staff_token):
    alpha = await make_tenant("alpha", vertical="appliances")
    admin = await staff_token(alpha, "admin")
    saved = await client.post("/api/v1/catalog/models", headers=admin,
                              json={**FRIDGE, "in_stock": False, "list_price_minor": 400_000_000})
    assert saved.status_code == 201 and (saved.json()["in_stock"], saved.json()["list_price_minor"]) == (
        False, 400_000_000)
    negative = await client.post("/api/v1/catalog/models", headers=admin, json={**FRIDGE, "list_price_minor": -1})
    assert negative.status_code == 422 and negative.json()["errors"][0]["field"] == "list_price_minor"
