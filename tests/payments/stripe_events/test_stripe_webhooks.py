"""Stripe webhooks over HTTP: verified on the raw body, de-duplicated, applied in any order, per tenant."""

from __future__ import annotations

import json
import logging
import time

from support.marketplace import add_customer
from support.stripe import (
    add_stripe_payment,
    charge_obj,
    configure_stripe,
    event,
    intent,
    ledger_of,
    payment_state,
    post_event,
    refund_obj,
    sign,
)


async def _paid(runtime, tenant, amount=50_00, pi="pi_webhook1"):
    customer = await add_customer(runtime, tenant)
    return await add_stripe_payment(runtime, tenant, customer, amount, pi)


async def test_a_succeeded_payment_is_captured_once_however_often_it_is_delivered(client, runtime, make_tenant):
    tenant = await make_tenant("acme")
    secret = await configure_stripe(runtime, tenant)
    payment = await _paid(runtime, tenant)
    succeeded = event("payment_intent.succeeded", intent("pi_webhook1", 50_00, "succeeded", received=50_00))

    first = await post_event(client, tenant, succeeded, secret)
    again = await post_event(client, tenant, succeeded, secret)

    assert first.status_code == 200 and first.json()["outcome"] == "state captured, charge 5000, capture 5000"
    assert again.status_code == 200 and again.json()["outcome"].startswith("duplicate")
    assert await ledger_of(runtime, tenant, payment.id) == [
        ("capture", 50_00, f"{payment.operation_id}:capture"), ("charge", 50_00, f"{payment.operation_id}:charge")]
    assert await payment_state(runtime, tenant, payment.id) == "captured"


async def test_a_refund_we_made_posts_nothing_new_and_one_made_at_stripe_is_posted_under_its_id(
        client, runtime, make_tenant):
    tenant = await make_tenant("acme")
    secret = await configure_stripe(runtime, tenant)
    payment = await _paid(runtime, tenant)
    ours = refund_obj("pi_webhook1", "re_ours", 10_00, operation_id="refund:0190a0b0-0000-7000-8000-000000000001")
    theirs = refund_obj("pi_webhook1", "re_dashboard", 5_00)

    await post_event(client, tenant, event("charge.refunded", charge_obj("pi_webhook1", 50_00, 50_00, [ours])), secret)
    answer = await post_event(client, tenant, event("charge.refunded",
                                                    charge_obj("pi_webhook1", 50_00, 50_00, [ours, theirs])), secret)

    assert answer.json()["outcome"] == "refund 500"
    refunds = [e for e in await ledger_of(runtime, tenant, payment.id) if e[0] == "refund"]
    assert refunds == [("refund", 5_00, "stripe:re_dashboard"),
                       ("refund", 10_00, "refund:0190a0b0-0000-7000-8000-000000000001")]


async def test_a_refund_before_the_payment_succeeded_ends_in_the_same_ledger(client, runtime, make_tenant):
    tenant = await make_tenant("acme")
    secret = await configure_stripe(runtime, tenant)
    in_order, reversed_ = await _paid(runtime, tenant, pi="pi_inorder"), await _paid(runtime, tenant, pi="pi_reversed")

    def story(pi):
        return [event("payment_intent.succeeded", intent(pi, 50_00, "succeeded", received=50_00)),
                event("charge.refunded", charge_obj(pi, 50_00, 50_00, [refund_obj(pi, f"re_{pi}", 20_00)]))]

    for body in story("pi_inorder"):
        assert (await post_event(client, tenant, body, secret)).status_code == 200
    for body in reversed(story("pi_reversed")):
        assert (await post_event(client, tenant, body, secret)).status_code == 200

    def shape(entries, payment):
        return sorted((k, a, op.replace(payment.operation_id, "P").replace(payment.provider_ref, "PI"))
                      for k, a, op in entries)

    assert shape(await ledger_of(runtime, tenant, in_order.id), in_order) == \
           shape(await ledger_of(runtime, tenant, reversed_.id), reversed_)
    assert await payment_state(runtime, tenant, reversed_.id) == "captured"


async def test_a_late_failure_never_undoes_a_success(client, runtime, make_tenant):
    tenant = await make_tenant("acme")
    secret = await configure_stripe(runtime, tenant)
    payment = await _paid(runtime, tenant)

    await post_event(client, tenant, event("payment_intent.succeeded",
                                           intent("pi_webhook1", 50_00, "succeeded", received=50_00)), secret)
    await post_event(client, tenant, event("payment_intent.payment_failed",
                                           intent("pi_webhook1", 50_00, "requires_payment_method",
                                                  error="Your card was declined.")), secret)

    assert await payment_state(runtime, tenant, payment.id) == "captured"


async def test_a_failed_payment_records_the_reason_and_no_money(client, runtime, make_tenant):
    tenant = await make_tenant("acme")
    secret = await configure_stripe(runtime, tenant)
    payment = await _paid(runtime, tenant)

    answer = await post_event(client, tenant, event("payment_intent.payment_failed", intent(
        "pi_webhook1", 50_00, "requires_payment_method", error="Your card was declined.")), secret)

    assert answer.json()["outcome"] == "state failed"
    assert await payment_state(runtime, tenant, payment.id) == "failed"
    assert await ledger_of(runtime, tenant, payment.id) == []


async def test_an_authorisation_posts_the_charge_and_a_cancellation_releases_it(client, runtime, make_tenant):
    tenant = await make_tenant("acme")
    secret = await configure_stripe(runtime, tenant)
    payment = await _paid(runtime, tenant)

    await post_event(client, tenant, event("payment_intent.amount_capturable_updated",
                                           intent("pi_webhook1", 50_00, "requires_capture")), secret)
    assert await payment_state(runtime, tenant, payment.id) == "authorized"
    await post_event(client, tenant, event("payment_intent.canceled", intent("pi_webhook1", 50_00, "canceled")),
                     secret)

    assert await payment_state(runtime, tenant, payment.id) == "canceled"
    assert await ledger_of(runtime, tenant, payment.id) == [("charge", 50_00, f"{payment.operation_id}:charge")]


async def test_bad_signature_stale_timestamp_and_unknown_event_are_refused_and_logged(client, runtime, make_tenant,
                                                                                     caplog):
    tenant = await make_tenant("acme")
    secret = await configure_stripe(runtime, tenant)
    payment = await _paid(runtime, tenant)
    succeeded = event("payment_intent.succeeded", intent("pi_webhook1", 50_00, "succeeded", received=50_00))
    caplog.set_level(logging.WARNING, logger="aftersales.payments.stripe")

    forged = await post_event(client, tenant, succeeded, "whsec_someone_else")
    stale = await post_event(client, tenant, succeeded, secret, timestamp=int(time.time()) - 301)
    unknown = await post_event(client, tenant, event("customer.created", {"id": "cus_1", "object": "customer"}),
                               secret)
    payload = json.dumps(succeeded).encode()
    tampered = await client.post(f"/api/v1/payments/stripe/webhook/{tenant.id}",
                                 content=payload.replace(b"5000", b"9000"),
                                 headers={"Stripe-Signature": sign(payload, secret)})

    assert [r.status_code for r in (forged, stale, unknown, tampered)] == [400, 400, 400, 400]
    assert "too old" in stale.json()["detail"] or "tolerance" in stale.json()["detail"]
    assert "customer.created" in unknown.json()["detail"]
    assert len([r for r in caplog.records if "refused for tenant acme" in r.getMessage()]) == 4
    assert await ledger_of(runtime, tenant, payment.id) == []
    assert await payment_state(runtime, tenant, payment.id) == "pending"


async def test_a_delivery_299_seconds_old_is_still_accepted(client, runtime, make_tenant):
    tenant = await make_tenant("acme")
    secret = await configure_stripe(runtime, tenant)
    await _paid(runtime, tenant)
    succeeded = event("payment_intent.succeeded", intent("pi_webhook1", 50_00, "succeeded", received=50_00))

    answer = await post_event(client, tenant, succeeded, secret, timestamp=int(time.time()) - 299)

    assert answer.status_code == 200


async def test_an_event_for_a_payment_not_recorded_yet_is_answered_409_and_applied_when_redelivered(
        client, runtime, make_tenant):
    tenant = await make_tenant("acme")
    secret = await configure_stripe(runtime, tenant)
    succeeded = event("payment_intent.succeeded", intent("pi_early", 50_00, "succeeded", received=50_00))

    early = await post_event(client, tenant, succeeded, secret)
    payment = await _paid(runtime, tenant, pi="pi_early")
    redelivered = await post_event(client, tenant, succeeded, secret)

    assert (early.status_code, redelivered.status_code) == (409, 200)
    assert len(await ledger_of(runtime, tenant, payment.id)) == 2


async def test_one_tenants_secret_cannot_post_into_another_tenant(client, runtime, make_tenant):
    a, b = await make_tenant("acme"), await make_tenant("bolt")
    secret_a = await configure_stripe(runtime, a)
    secret_b = await configure_stripe(runtime, b)
    payment_a = await _paid(runtime, a)
    succeeded = event("payment_intent.succeeded", intent("pi_webhook1", 50_00, "succeeded", received=50_00))

    signed_by_a_to_b = await post_event(client, b, succeeded, secret_a)
    b_about_a_payment = await post_event(client, b, succeeded, secret_b)

    assert signed_by_a_to_b.status_code == 400
    assert b_about_a_payment.status_code == 409  # B has no such payment: A's is out of its reach
    assert await ledger_of(runtime, a, payment_a.id) == []


async def test_a_tenant_without_stripe_or_an_unknown_tenant_has_no_webhook(client, runtime, make_tenant):
    tenant = await make_tenant("acme")
    body = event("payment_intent.succeeded", intent("pi_x", 1_00, "succeeded", received=1_00))

    assert (await post_event(client, tenant, body, "whsec_anything")).status_code == 404
    other = type("T", (), {"id": "0190a0b0-0000-7000-8000-00000000dead"})
    assert (await post_event(client, other, body, "whsec_anything")).status_code == 404


async def test_a_refund_stripe_left_pending_is_executed_when_stripe_confirms_it(client, runtime, make_tenant,
                                                                                 staff_token):
    from sqlalchemy import select

    from aftersales.outbox.models import OutboxMessage
    from aftersales.payments.refunds.models import Refund

    tenant = await make_tenant("acme")
    secret = await configure_stripe(runtime, tenant)
    payment = await _paid(runtime, tenant, pi="pi_pending_refund")
    await post_event(client, tenant, event("payment_intent.succeeded",
                                           intent("pi_pending_refund", 50_00, "succeeded", received=50_00)), secret)
    async with runtime.db.transaction(tenant.id) as s:
        refund = Refund(customer_id=payment.customer_id, source="payment", payment_id=payment.id, currency="EUR",
                        requested_minor=20_00, amount_minor=20_00, method="original_payment", state="processing",
                        requested_by="agent:1", reference="re_slow")
        s.add(refund)
        await s.flush()
    ours = refund_obj("pi_pending_refund", "re_slow", 20_00, operation_id=f"refund:{refund.id}")

    pending = await post_event(client, tenant, event("refund.updated", {**ours, "status": "pending"}), secret)
    async with runtime.db.transaction(tenant.id) as s:
        assert (await s.get(Refund, (tenant.id, refund.id))).state == "processing"
    confirmed = await post_event(client, tenant, event("refund.updated", ours), secret)

    assert (pending.status_code, confirmed.status_code) == (200, 200)
    headers = await staff_token(tenant, "finance")
    shown = (await client.get(f"/api/v1/refunds/{refund.id}", headers=headers)).json()
    assert shown["state"] == "executed"
    assert [e["kind"] for e in shown["timeline"]][-1] == "executed"
    assert ("refund", 20_00, f"refund:{refund.id}") in await ledger_of(runtime, tenant, payment.id)
    async with runtime.db.transaction(tenant.id) as s:
        events = (await s.scalars(select(OutboxMessage.event))).all()
    assert "refund.executed" in events


async def test_a_card_top_up_confirmed_only_by_the_webhook_credits_the_wallet_once(client, runtime, make_tenant):
    from aftersales.contract.money import Money
    from aftersales.payments.ledger import services as ledger

    tenant = await make_tenant("acme")
    secret = await configure_stripe(runtime, tenant)
    customer = await add_customer(runtime, tenant)
    await add_stripe_payment(runtime, tenant, customer, 25_00, "pi_top_up", purpose="wallet_top_up")
    succeeded = event("payment_intent.succeeded", intent("pi_top_up", 25_00, "succeeded", received=25_00))

    for _ in range(2):
        assert (await post_event(client, tenant, succeeded, secret)).status_code == 200

    async with runtime.db.transaction(tenant.id) as s:
        assert await ledger.wallet_balance(s, customer, "EUR") == Money(25_00, "EUR")
