"""Shared set-up for refund tests: an appliances tenant in IRR (Entekhab's rules are the vertical's defaults),
valid national codes and an Iranian IBAN, and a customer whose identity and IBAN staff have recorded."""

from __future__ import annotations

from typing import Any

NATIONAL_ID = "0499370899"
"""A national code with a valid check digit."""
OTHER_NATIONAL_ID = "0084575948"
IBAN = "IR062960000000100324200001"
"""An Iranian IBAN (Sheba) with valid check digits."""


async def entekhab(make_tenant: Any, slug: str = "entekhab-test") -> Any:
    """An appliances tenant paid in IRR, in Tehran."""
    return await make_tenant(slug, vertical="appliances", currency="IRR", time_zone="Asia/Tehran")


async def record_identity(client: Any, headers: dict[str, str], customer_id: Any, **fields: Any) -> Any:
    """Staff record the customer's identity for refunds; by default verified, with a same-owner IBAN."""
    body = {"national_id": NATIONAL_ID, "identity_verified": True, "iban": IBAN,
            "iban_owner_national_id": NATIONAL_ID} | fields
    body = {k: v for k, v in body.items() if v is not None}
    return await client.put(f"/api/v1/customers/{customer_id}/refund-identity", json=body, headers=headers)
