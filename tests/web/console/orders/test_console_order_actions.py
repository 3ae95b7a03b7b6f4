"""What staff do from an order's page: issue a pro-forma, record its payment (refused once it expired, with the
instant it expired), cancel with a reason (never while the cheque escalation is open), and finance closing a
cheque escalation from the escalations list; an agent asking a delivery change for the customer (a regional
warehouse's order never moves to another province)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from aftersales.db.base import utcnow
from aftersales.i18n.formatting import LocaleFormat
from aftersales.orders.fulfilment import moves
from aftersales.orders.models import Order, ProForma
from support.fulfilment import act, add_warehouse
from support.order_pages import order_desk, place_order
from support.orders import pay
from support.pages import post_form

DESK = "/t/entekhab-test/console/orders"


async def _order(runtime, tenant, order_id):
    async with runtime.db.transaction(tenant.id) as s:
        return await s.scalar(select(Order).where(Order.id == order_id))


async def _escalate(runtime, tenant, order_id):
    """The worker's sweep escalated the order's cheque to finance (as :func:`followup.escalate_cheques` does)."""
    async with runtime.db.transaction(tenant.id) as s:
        order = await s.scalar(select(Order).where(Order.id == order_id))
        order.cheque_escalated_at = utcnow() - timedelta(hours=1)


async def test_agent_issues_a_new_proforma_and_records_the_cash_payment(pages, runtime, make_tenant, sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    placed = await place_order(runtime, tenant)
    await sign_in_staff(pages, tenant, "agent")
    issued = await post_form(pages, f"{DESK}/{placed.order_id}/proformas", {"store": "Tehran store 12"})
    assert issued.status_code == 303 and issued.headers["location"].endswith(f"/orders/{placed.order_id}#proformas")
    async with runtime.db.transaction(tenant.id) as s:
        states = {p.id: p.state for p in await s.scalars(select(ProForma).where(ProForma.order_id == placed.order_id))}
    assert states[placed.proforma_id] == "void" and sorted(states.values()) == ["open", "void"]
    (newest,) = [pid for pid, state in states.items() if state == "open"]
    paid = await post_form(pages, f"{DESK}/{placed.order_id}/proformas/{newest}/pay", {"method": "cash"})
    assert paid.status_code == 303
    assert (await _order(runtime, tenant, placed.order_id)).state == "funded"
    page = await pages.get(f"{DESK}/{placed.order_id}")
    assert 'data-state="funded"' in page.text and 'data-action="pay"' not in page.text


async def test_an_expired_proforma_is_refused_with_the_instant_it_expired(pages, runtime, make_tenant,
                                                                         sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    late = await place_order(runtime, tenant, now=utcnow() - timedelta(days=20))
    await sign_in_staff(pages, tenant, "agent")
    expired_page = await pages.get(f"{DESK}/{late.order_id}")
    assert f'data-proforma="{late.proforma_id}" data-state="expired"' in expired_page.text
    refused = await post_form(pages, f"{DESK}/{late.order_id}/proformas/{late.proforma_id}/pay", {"method": "cash"})
    assert refused.status_code == 409 and 'data-refused="pay"' in refused.text
    assert f"The pro-forma expired at the end of {LocaleFormat('en').date(late.last_day)}" in refused.text
    assert (await _order(runtime, tenant, late.order_id)).state == "awaiting_payment"


async def test_a_cheque_without_its_number_is_refused_beside_the_field(pages, runtime, make_tenant, sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    placed = await place_order(runtime, tenant, plan="cheque")
    await sign_in_staff(pages, tenant, "agent")
    refused = await post_form(pages, f"{DESK}/{placed.order_id}/proformas/{placed.proforma_id}/pay",
                              {"method": "cheque", "reference": ""})
    assert refused.status_code == 422 and 'id="pay-reference-error"' in refused.text
    assert "Give the cheque&#39;s number or the bank&#39;s reference." in refused.text


async def test_cancel_needs_a_reason_and_is_refused_while_the_escalation_is_open(pages, runtime, make_tenant,
                                                                                  sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    placed = await place_order(runtime, tenant, plan="cheque")
    await _escalate(runtime, tenant, placed.order_id)
    await sign_in_staff(pages, tenant, "agent")
    empty = await post_form(pages, f"{DESK}/{placed.order_id}/cancel", {"reason": " "})
    assert empty.status_code == 422 and 'id="cancel-reason-error"' in empty.text
    refused = await post_form(pages, f"{DESK}/{placed.order_id}/cancel", {"reason": "the customer changed mind"})
    assert refused.status_code == 409 and 'data-refused="cancel"' in refused.text
    assert "escalated to finance" in refused.text
    assert (await _order(runtime, tenant, placed.order_id)).state == "awaiting_payment"
    closing = await post_form(pages, f"{DESK}/{placed.order_id}/escalation/close", {"note": "approved"})
    assert closing.status_code == 403  # an agent is not finance


async def test_finance_closes_an_escalation_from_the_list(pages, runtime, make_tenant, sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    escalated = await place_order(runtime, tenant, plan="cheque")
    quiet = await place_order(runtime, tenant, plan="cheque")
    await _escalate(runtime, tenant, escalated.order_id)
    await sign_in_staff(pages, tenant, "finance")
    listed = await pages.get(f"{DESK}/escalations")
    assert listed.status_code == 200
    assert f'data-order="{escalated.number}"' in listed.text and f'data-order="{quiet.number}"' not in listed.text
    empty = await post_form(pages, f"{DESK}/{escalated.order_id}/escalation/close", {"note": "", "back": "escalations"})
    assert empty.status_code == 422 and f'id="note-error-{escalated.order_id}"' in empty.text
    closed = await post_form(pages, f"{DESK}/{escalated.order_id}/escalation/close",
                             {"note": "the bank approved the cheque", "back": "escalations"})
    assert closed.status_code == 303 and closed.headers["location"].endswith("/console/orders/escalations")
    order = await _order(runtime, tenant, escalated.order_id)
    assert order.cheque_escalation_closed_at is not None
    assert order.cheque_escalation_note == "the bank approved the cheque"
    again = await post_form(pages, f"{DESK}/{escalated.order_id}/escalation/close", {"note": "twice"})
    assert again.status_code == 409 and "no open cheque escalation" in again.text
    page = await pages.get(f"{DESK}/{escalated.order_id}")
    assert 'data-escalation="closed"' in page.text and "the bank approved the cheque" in page.text


async def test_paying_a_funded_order_again_is_refused_by_its_state(pages, runtime, make_tenant, sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    placed = await place_order(runtime, tenant)
    await pay(runtime, tenant, placed.order_id, placed.proforma_id, utcnow())
    await sign_in_staff(pages, tenant, "agent")
    again = await post_form(pages, f"{DESK}/{placed.order_id}/proformas/{placed.proforma_id}/pay", {"method": "cash"})
    assert again.status_code == 409 and "The order is Funded" in again.text


async def test_an_agent_asks_a_change_for_the_customer_and_a_regional_order_never_leaves_its_province(
        pages, runtime, make_tenant, sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    placed = await place_order(runtime, tenant, province="IR-23")
    await pay(runtime, tenant, placed.order_id, placed.proforma_id, utcnow())
    regional = await add_warehouse(runtime, tenant, kind="regional", province="IR-23")
    await act(runtime, tenant, lambda s, t: moves.allocate(s, t, placed.order_id, regional, None, actor="staff:w",
                                                           now=utcnow()))
    await sign_in_staff(pages, tenant, "agent")
    made = await post_form(pages, f"{DESK}/{placed.order_id}/delivery-changes", {"delivery_phone": "0912 765 4321"})
    assert made.status_code == 303 and made.headers["location"].endswith("#delivery")
    moved = await post_form(pages, f"{DESK}/{placed.order_id}/delivery-changes", {"province": "IR-10"})
    assert moved.status_code == 303
    page = await pages.get(f"{DESK}/{placed.order_id}")
    assert page.text.count('data-change="applied"') == 1 and page.text.count('data-change="refused"') == 1
    assert "regional warehouse" in page.text and "cannot move to another province" in page.text
    order = await _order(runtime, tenant, placed.order_id)
    assert (order.delivery_phone, order.province) == ("+989127654321", "IR-23")
    bad = await post_form(pages, f"{DESK}/{placed.order_id}/delivery-changes", {"province": "XX-99"})
    assert bad.status_code == 422 and 'id="delivery-province-error"' in bad.text
    assert "Not a province code" in bad.text


async def test_finance_reads_the_order_but_cannot_ask_a_delivery_change(pages, runtime, make_tenant, sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    placed = await place_order(runtime, tenant)
    await sign_in_staff(pages, tenant, "finance")
    page = await pages.get(f"{DESK}/{placed.order_id}")
    assert page.status_code == 200 and 'data-action="delivery-change"' not in page.text
    refused = await post_form(pages, f"{DESK}/{placed.order_id}/delivery-changes", {"delivery_phone": "09127654321"})
    assert refused.status_code == 403
