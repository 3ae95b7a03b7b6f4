"""The edges of opening a dispute (Carmax, seed 002: the provider at the booked day and hour): "the provider was
absent" is refused the minute before the booked time and taken from the booked minute on; other grounds do not
wait for it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from aftersales.db.base import utcnow
from aftersales.disputes import services as disputes
from aftersales.errors import InvalidInput
from aftersales.identity.principals import Principal
from aftersales.tenancy.current import bind_tenant
from support.marketplace import add_booking, add_customer, add_provider


@pytest.fixture
async def booked(runtime, make_tenant):
    """A tenant, its customer (as a principal) and a booking of theirs starting at 10:00 UTC in three days."""
    tenant = bind_tenant(await make_tenant("carmax-test", vertical="auto_service"), runtime.plugins)
    garage = await add_provider(runtime, tenant.record)
    customer_id = await add_customer(runtime, tenant.record)
    starts_at = (utcnow() + timedelta(days=3)).replace(hour=10, minute=0, second=0, microsecond=0)
    booking_id = await add_booking(runtime, tenant.record, garage, customer_id, starts_at=starts_at)
    who = Principal(kind="customer", subject=str(customer_id), tenant_id=tenant.record.id, customer_id=customer_id)
    return tenant, who, booking_id, starts_at


async def _open(runtime, tenant, who, booking_id, grounds, now):
    async with runtime.db.transaction(tenant.record.id) as session:
        new = disputes.NewDispute(subject="booking", subject_id=booking_id, grounds=grounds, statement="Nobody came.")
        return await disputes.open_dispute(session, tenant, who, new, actor=f"customer:{who.customer_id}", now=now)


async def test_the_provider_absent_is_refused_the_minute_before_the_booked_time(runtime, booked):
    tenant, who, booking_id, starts_at = booked
    with pytest.raises(InvalidInput) as refused:
        await _open(runtime, tenant, who, booking_id, "provider_absent", starts_at - timedelta(minutes=1))
    (error,) = refused.value.errors
    assert (error.field, error.code) == ("grounds", "dispute.before_booked_time")
    dispute = await _open(runtime, tenant, who, booking_id, "provider_absent", starts_at)
    assert (dispute.state, dispute.grounds) == ("open", "provider_absent")


async def test_other_grounds_do_not_wait_for_the_booked_time(runtime, booked):
    tenant, who, booking_id, starts_at = booked
    dispute = await _open(runtime, tenant, who, booking_id, "charged_more_than_accepted", starts_at - timedelta(days=1))
    assert dispute.state == "open"


async def test_the_api_refuses_the_provider_absent_before_the_booked_time(client, runtime, booked, customer_token):
    tenant, who, booking_id, _ = booked
    _, header = await customer_token(tenant.record, who.customer_id)
    refused = await client.post("/api/v1/disputes/", headers=header, json={
        "subject": "booking", "subject_id": str(booking_id), "grounds": "provider_absent", "statement": "Early."})
    assert refused.status_code == 422
    assert [(e["field"], e["code"]) for e in refused.json()["errors"]] == [("grounds", "dispute.before_booked_time")]
