"""Duplicate and shuffled webhook deliveries produce the ledger of one in-order delivery (hypothesis)."""

from __future__ import annotations

import uuid

from hypothesis import given, settings
from hypothesis import strategies as st

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
)

AMOUNT = 120_00


def request_op(pi: str, n: int) -> str:
    """The operation id of our refund request ``n`` of the payment (unique per tenant, as real ones are)."""
    return f"refund:{uuid.uuid5(uuid.NAMESPACE_URL, f'{pi}/{n}')}"


def story(pi: str) -> list[dict]:
    """A job paid by card: authorised, captured in part, refunded twice by us and once from the dashboard, with
    the failure of a first card attempt and Stripe's refund updates."""
    ours_1 = refund_obj(pi, f"re_{pi}_1", 30_00, operation_id=request_op(pi, 1))
    ours_2 = refund_obj(pi, f"re_{pi}_2", 20_00, operation_id=request_op(pi, 2))
    dashboard = refund_obj(pi, f"re_{pi}_3", 10_00)
    return [
        event("payment_intent.payment_failed", intent(pi, AMOUNT, "requires_payment_method", error="declined"),
              f"evt_{pi}_1"),
        event("payment_intent.amount_capturable_updated", intent(pi, AMOUNT, "requires_capture"), f"evt_{pi}_2"),
        event("payment_intent.succeeded", intent(pi, AMOUNT, "succeeded", received=100_00), f"evt_{pi}_3"),
        event("charge.refunded", charge_obj(pi, AMOUNT, 100_00, [ours_1]), f"evt_{pi}_4"),
        event("refund.updated", ours_2, f"evt_{pi}_5"),
        event("charge.refunded", charge_obj(pi, AMOUNT, 100_00, [ours_1, ours_2]), f"evt_{pi}_6"),
        event("charge.refund.updated", dashboard, f"evt_{pi}_7"),
    ]


def relative(entries, payment) -> list[tuple[str, int, str]]:
    names = {payment.operation_id: "P", request_op(payment.provider_ref, 1): "R1",
             request_op(payment.provider_ref, 2): "R2", payment.provider_ref: "PI"}

    def anonymous(op: str) -> str:
        for real, name in names.items():
            op = op.replace(real, name)
        return op

    return sorted((kind, amount, anonymous(op)) for kind, amount, op in entries)


async def deliver(client, tenant, secret, bodies) -> None:
    """Deliver as Stripe does: any answer other than 2xx is delivered again later, until all are accepted."""
    pending = list(bodies)
    for _ in range(len(bodies) + 1):
        answers = [(body, await post_event(client, tenant, body, secret)) for body in pending]
        assert all(a.status_code in (200, 409) for _, a in answers), [a.text for _, a in answers]
        pending = [body for body, a in answers if a.status_code != 200]
        if not pending:
            return
    raise AssertionError(f"{len(pending)} events were never accepted")


async def test_shuffled_and_repeated_deliveries_end_in_the_ledger_of_one_in_order_delivery(client, runtime,
                                                                                          make_tenant):
    tenant = await make_tenant("acme")
    secret = await configure_stripe(runtime, tenant)
    customer = await add_customer(runtime, tenant)

    baseline = await add_stripe_payment(runtime, tenant, customer, AMOUNT, "pi_baseline")
    await deliver(client, tenant, secret, story("pi_baseline"))
    expected = relative(await ledger_of(runtime, tenant, baseline.id), baseline)
    assert [(k, a) for k, a, _ in expected] == sorted([
        ("capture", 100_00), ("charge", AMOUNT), ("refund", 30_00), ("refund", 20_00), ("refund", 10_00)])

    cases: list[tuple[list[int], list[int]]] = []

    @settings(max_examples=25, deadline=None, database=None)
    @given(order=st.permutations(range(7)), repeats=st.lists(st.integers(0, 6), max_size=5))
    def draw(order, repeats):  # hypothesis draws the deliveries; the event loop of the test delivers them
        cases.append((list(order), repeats))

    draw()
    for order, repeats in cases:
        pi = f"pi_{uuid.uuid4().hex[:14]}"
        payment = await add_stripe_payment(runtime, tenant, customer, AMOUNT, pi)
        events = story(pi)
        await deliver(client, tenant, secret, [events[i] for i in order + repeats])
        assert relative(await ledger_of(runtime, tenant, payment.id), payment) == expected, (order, repeats)
        assert await payment_state(runtime, tenant, payment.id) == "captured", (order, repeats)
