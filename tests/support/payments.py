"""Shared set-up for payment tests: payments written straight to the table, so a test of the ledger, wallets or
refunds does not depend on a provider's flow (which has tests of its own)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from aftersales.db.base import utcnow
from aftersales.payments.ledger import services as ledger
from aftersales.payments.ledger.models import Payment


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


async def add_job_payment(runtime: Any, tenant: Any, booking_id: uuid.UUID, customer_id: uuid.UUID,
                          amount_minor: int, *, currency: str = "EUR", state: str = "captured") -> uuid.UUID:
    """A job payment of the booking, captured (by default) as a paid job is: what ``job_paid`` looks for."""
    captured = amount_minor if state == "captured" else 0
    payment_id = await add_payment(runtime, tenant, customer_id, amount_minor, currency=currency,
                                   captured_minor=captured, purpose="job")
    async with runtime.db.transaction(tenant.id) as s:
        payment = (await s.scalars(select(Payment).where(Payment.id == payment_id))).one()
        payment.subject_type, payment.subject_id, payment.state = "booking", booking_id, state
    return payment_id


async def authorised_job_payment(runtime: Any, tenant: Any, booking_id: uuid.UUID, customer_id: uuid.UUID,
                                 amount_minor: int, *, provider_id: uuid.UUID, fee_minor: int,
                                 currency: str = "EUR") -> uuid.UUID:
    """A job payment authorised and waiting to be captured, with its split, as a card payment through Connect is
    after ``collect`` (the provider here is offline, whose capture always succeeds)."""
    payment_id = await add_job_payment(runtime, tenant, booking_id, customer_id, amount_minor, currency=currency,
                                       state="authorized")
    async with runtime.db.transaction(tenant.id) as s:
        payment = (await s.scalars(select(Payment).where(Payment.id == payment_id))).one()
        payment.provider_ref = f"auth-{uuid.uuid4().hex[:8]}"
        payment.details = {"capture_manually": True, "provider_id": str(provider_id),
                           "payout_minor": amount_minor - fee_minor, "fee_minor": fee_minor}
    return payment_id


def staff(tenant: Any) -> Any:
    """A finance staff principal of ``tenant``, for calling the payment services directly."""
    from aftersales.identity.principals import Principal

    return Principal(kind="staff", subject="finance-1", tenant_id=tenant.id, roles=("finance",))


async def count_rows(runtime: Any, tenant: Any, model: Any) -> int:
    """How many rows of ``model`` the tenant has: the check that a refused request wrote nothing."""
    from sqlalchemy import func

    async with runtime.db.transaction(tenant.id) as s:
        return await s.scalar(select(func.count()).select_from(model)) or 0
