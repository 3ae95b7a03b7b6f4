"""Shared set-up for recall campaign tests: units of chosen models and batches, owners, the outbox's contents."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from aftersales.outbox.models import OutboxMessage
from aftersales.warranty.models import ProductModel, Serial
from support.warranty import tenant_today

DEFECT = "battery swells after a few charge cycles"
REMEDY = "Stop charging it and bring it to any service office for a free battery swap."


async def add_units(runtime: Any, tenant: Any, serials: list[str], *, sku: str = "PH-1", batch: str = "B-7",
                    status: str = "in_stock") -> None:
    """Put ``serials`` of model ``sku`` (created on first use) and ``batch`` on ``tenant``'s register."""
    async with runtime.db.transaction(tenant.id) as s:
        model = await s.scalar(select(ProductModel).where(ProductModel.sku == sku))
        if model is None:
            model = ProductModel(sku=sku, name=f"Model {sku}")
            s.add(model)
            await s.flush()
        s.add_all(Serial(serial=serial, model_id=model.id, batch=batch, status=status) for serial in serials)


async def register(client: Any, headers: dict[str, str], serial: str, **owner: str) -> str:
    """Register ``serial`` to an owner (``name`` defaults) and return the registration id."""
    body = {"serial": serial, "purchased_on": (tenant_today() - timedelta(days=30)).isoformat(),
            "owner": {"name": "Owner", **owner}}
    response = await client.post("/api/v1/registrations/", headers=headers, json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def campaign(**selection: str) -> dict[str, str]:
    """A campaign body with ``selection`` (model_sku, batch, serial_from, serial_to)."""
    return {"title": "Battery swelling", "reason": DEFECT, "remedy": REMEDY, **selection}


async def draft(client: Any, headers: dict[str, str], **selection: str) -> dict[str, Any]:
    response = await client.post("/api/v1/recalls/", headers=headers, json=campaign(**selection))
    assert response.status_code == 201, response.text
    return dict(response.json())


async def launched(client: Any, headers: dict[str, str], **selection: str) -> dict[str, Any]:
    """Draft and launch a campaign; returns the launched campaign."""
    created = await draft(client, headers, **selection)
    response = await client.post(f"/api/v1/recalls/{created['id']}/launch", headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def outbox(runtime: Any, tenant: Any) -> list[OutboxMessage]:
    """The tenant's outbox, by recipient and channel."""
    async with runtime.db.transaction(tenant.id) as s:
        return list(await s.scalars(select(OutboxMessage).order_by(OutboxMessage.recipient, OutboxMessage.channel)))


async def statuses(runtime: Any, tenant: Any) -> dict[str, str]:
    """Every unit's status on ``tenant``'s register, by serial."""
    async with runtime.db.transaction(tenant.id) as s:
        return {serial: status for serial, status in await s.execute(select(Serial.serial, Serial.status))}


def ack_token(message: OutboxMessage) -> str:
    """The acknowledgement token a notice's link carries."""
    return str(message.payload["acknowledge_url"]).rsplit("/", 1)[1]
