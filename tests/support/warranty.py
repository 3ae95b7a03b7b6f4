"""Shared set-up for warranty tests: units on the register, without going through an import."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from stdnum import luhn

from aftersales.warranty.models import ProductModel, Serial
from aftersales.warranty.serials.codes import hash_code

SELLER = "Rezaei Mobile, Valiasr St."
TEST_TENANT_ZONE = "Europe/Berlin"
"""The time zone of ``conftest.minimal_manifest``'s tenants."""


def imei(n: int) -> str:
    """The ``n``-th test IMEI: 14 digits and a valid Luhn check digit."""
    body = f"35209900{n:06d}"
    return body + luhn.calc_check_digit(body)


def tenant_today() -> date:
    """Today where the test tenants are, the day the API judges dates by."""
    return datetime.now(ZoneInfo(TEST_TENANT_ZONE)).date()


async def add_unit(runtime: Any, tenant: Any, serial: str, *, status: str = "in_stock", card: str | None = None,
                   hologram: str | None = None, sku: str = "PH-1", volume_m3: float | None = None,
                   weight_kg: float | None = None) -> None:
    """Put one unit of model ``sku`` (created on first use) on ``tenant``'s register."""
    async with runtime.db.transaction(tenant.id) as s:
        model = await s.scalar(select(ProductModel).where(ProductModel.sku == sku))
        if model is None:
            model = ProductModel(sku=sku, name="Phone One" if sku == "PH-1" else f"Model {sku}",
                                 volume_m3=volume_m3, weight_kg=weight_kg)
            s.add(model)
            await s.flush()
        s.add(Serial(
            serial=serial, model_id=model.id, status=status, seller=SELLER, batch="B-7",
            card_code_hash=hash_code(runtime.code_key, tenant.slug, card) if card else None,
            hologram_code_hash=hash_code(runtime.code_key, tenant.slug, hologram) if hologram else None,
        ))
