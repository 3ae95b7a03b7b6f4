"""Shared set-up for payment tests: payments written straight to the table, so a test of the ledger, wallets or
refunds does not depend on a provider's flow (which has tests of its own)."""

from __future__ import annotations

import uuid
from typing import Any

from aftersales.db.base import utcnow
from aftersales.payments import ledger
from aftersales.payments.models import Payment


async def add_payment(runtime: Any, tenant: Any, customer_id: uuid.UUID, amount_minor: int, *, currency: str = "EUR",
                      captured_minor: int | None = None, provider: str = "offline", method: str = "cash",
                      purpose: str = "repair", provider_ref: str | None = None) -> uuid.UUID:
    """A payment of ``amount_minor``, charged and captured (``captured_minor``, by default all of it)."""
    captured = amount_minor if captured_minor is None else captured_minor
    async with runtime.db.transaction(tenant.id) as s:
        payment = Payment(customer_id=customer_id, provider=provider, method=method, purpose=purpose,
                          amount_minor=amount_minor, currency=currency, state="captured" if captured else "pending",
                          provider_ref=provider_ref, operation_id=f"test-{uuid.uuid4()}", created_by="test")
        s.add(payment)
        await s.flush()
        now = utcnow()
        await ledger.post_charge(s, payment.id, amount_minor,
                                 ledger.Posting("test", "test payment", f"{payment.operation_id}:charge", now))
        if captured:
            await ledger.post_capture(s, payment.id, captured,
                                      ledger.Posting("test", "test payment", f"{payment.operation_id}:capture", now))
        return payment.id
