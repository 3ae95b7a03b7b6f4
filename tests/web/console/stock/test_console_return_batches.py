"""Return batches in the console (``/console/stock/returns``, ``parts:supply``): a supplier's faulty parts go into
a batch under its RMA number, the batch is marked sent and the supplier's credit recorded (typed in the reader's
digits) against the warranty cost; a move from the wrong state is refused by its code (409), a bad amount beside
it (422), and nothing is written; tenants kept apart."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from aftersales.parts.supply.models import ReturnBatch
from support.pages import post_form
from support.stock_pages import add_location, add_part, faulty_part, stock_desk

PAGE = "/t/entekhab-test/console/stock/returns"


async def _faulty(runtime, make_tenant, slug: str = "entekhab-test"):
    tenant = await stock_desk(make_tenant, slug)
    board = await add_part(runtime, tenant, "PCB-9", "Control board", supplier="Bosch Parts")
    central = await add_location(runtime, tenant, "THR-C")
    await faulty_part(runtime, tenant, board, central)
    await faulty_part(runtime, tenant, board, central)
    return tenant


async def _batches(runtime, tenant):
    async with runtime.db.transaction(tenant.id) as s:
        return [(b.rma_number, b.state, b.credit_minor) for b in await s.scalars(select(ReturnBatch))]


async def _open(pages, rma: str = "RMA-77"):
    return await post_form(pages, PAGE, {"supplier": "Bosch Parts", "rma_number": rma})


async def test_a_batch_is_opened_sent_and_credited_against_the_warranty_cost(pages, runtime, make_tenant,
                                                                           sign_in_staff):
    tenant = await _faulty(runtime, make_tenant)
    await sign_in_staff(pages, tenant, "finance")
    listed = await pages.get(PAGE)
    assert listed.status_code == 200 and 'data-awaiting="Bosch Parts"' in listed.text
    opened = await _open(pages)
    assert opened.status_code == 303 and "#batch-" in opened.headers["location"]
    batch = (await pages.get(PAGE)).text
    assert 'data-batch="RMA-77" data-state="open"' in batch and 'data-action="send"' in batch
    batch_id = batch.split('id="batch-')[1].split('"')[0]
    assert (await post_form(pages, f"{PAGE}/{batch_id}/send")).status_code == 303
    credited = await post_form(pages, f"{PAGE}/{batch_id}/credit?lang=fa", {"credit": "۲٬۵۰۰٬۰۰۰"})
    assert credited.status_code == 303
    assert await _batches(runtime, tenant) == [("RMA-77", "credited", 2_500_000)]
    shown = await pages.get(f"{PAGE}?lang=fa")
    assert 'data-state="credited"' in shown.text and "۲٬۵۰۰٬۰۰۰" in shown.text
    assert "data-uncovered" in shown.text  # 2 × 1,500,000 of warranty cost against 2,500,000 of credit


async def test_an_open_batch_is_not_credited_and_a_sent_one_not_sent_again(pages, runtime, make_tenant,
                                                                         sign_in_staff):
    tenant = await _faulty(runtime, make_tenant)
    await sign_in_staff(pages, tenant, "agent")
    await _open(pages)
    async with runtime.db.transaction(tenant.id) as s:
        batch_id = await s.scalar(select(ReturnBatch.id))
    early = await post_form(pages, f"{PAGE}/{batch_id}/credit", {"credit": "100"})
    assert early.status_code == 409 and "The return batch is Open" in early.text
    assert (await post_form(pages, f"{PAGE}/{batch_id}/send")).status_code == 303
    again = await post_form(pages, f"{PAGE}/{batch_id}/send?lang=zh")
    assert again.status_code == 409 and 'id="refusal"' in again.text
    assert await _batches(runtime, tenant) == [("RMA-77", "sent", None)]


@pytest.mark.parametrize("credit", ["", "ten", "-5", "1.5", "9" * 40])
async def test_a_credit_that_is_no_amount_is_refused_beside_it(pages, runtime, make_tenant, sign_in_staff, credit):
    tenant = await _faulty(runtime, make_tenant)
    await sign_in_staff(pages, tenant, "finance")
    await _open(pages)
    async with runtime.db.transaction(tenant.id) as s:
        batch_id = await s.scalar(select(ReturnBatch.id))
    await post_form(pages, f"{PAGE}/{batch_id}/send")
    refused = await post_form(pages, f"{PAGE}/{batch_id}/credit", {"credit": credit})
    assert refused.status_code == 422 and 'id="credit-error"' in refused.text
    assert await _batches(runtime, tenant) == [("RMA-77", "sent", None)]


async def test_a_taken_rma_or_no_parts_to_return_is_refused_and_nothing_written(pages, runtime, make_tenant,
                                                                                sign_in_staff):
    tenant = await _faulty(runtime, make_tenant)
    await sign_in_staff(pages, tenant, "finance")
    blank = await _open(pages, " ")
    assert blank.status_code == 422 and 'id="rma_number-error"' in blank.text
    assert (await _open(pages)).status_code == 303
    empty = await _open(pages, "RMA-78")
    assert empty.status_code == 409 and "No faulty part of this supplier awaits return." in empty.text
    assert await _batches(runtime, tenant) == [("RMA-77", "open", None)]


async def test_staff_without_parts_supply_cannot_see_or_move_batches(pages, runtime, make_tenant, sign_in_staff):
    tenant = await _faulty(runtime, make_tenant)
    await sign_in_staff(pages, tenant, "customer_service")
    assert (await pages.get(PAGE)).status_code == 403
    assert (await _open(pages)).status_code == 403
    assert await _batches(runtime, tenant) == []


async def test_another_tenants_staff_neither_see_nor_move_this_tenants_batches(pages, runtime, make_tenant,
                                                                               sign_in_staff):
    tenant = await _faulty(runtime, make_tenant)
    await sign_in_staff(pages, tenant, "finance")
    await _open(pages)
    async with runtime.db.transaction(tenant.id) as s:
        batch_id = await s.scalar(select(ReturnBatch.id))
    other = await stock_desk(make_tenant, "other-test")
    await sign_in_staff(pages, other, "admin")
    theirs = "/t/other-test/console/stock/returns"
    listed = await pages.get(theirs)
    assert listed.status_code == 200 and "RMA-77" not in listed.text and "Bosch Parts" not in listed.text
    assert (await post_form(pages, f"{theirs}/{batch_id}/send")).status_code == 404
    assert (await post_form(pages, f"{theirs}/{batch_id}/credit", {"credit": "1"})).status_code == 404
    refused = await post_form(pages, theirs, {"supplier": "Bosch Parts", "rma_number": "RMA-99"})
    assert refused.status_code == 409  # none of their parts awaits return to that supplier
    assert await _batches(runtime, tenant) == [("RMA-77", "open", None)]
    assert await _batches(runtime, other) == []
