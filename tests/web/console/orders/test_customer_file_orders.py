"""The customer's file lists their orders (to staff who may read orders), newest first, each linking to its page;
another customer's order is not there, and another tenant's staff do not open the file."""

from __future__ import annotations

from support.order_pages import new_customer, order_desk, place_order


async def test_the_file_lists_the_customers_orders_only(pages, runtime, make_tenant, sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    customer = await new_customer(runtime, tenant)
    first = await place_order(runtime, tenant, customer_id=customer)
    second = await place_order(runtime, tenant, customer_id=customer)
    someone_else = await place_order(runtime, tenant)
    await sign_in_staff(pages, tenant, "agent")
    file = await pages.get(f"/t/entekhab-test/console/customers/{customer}")
    assert file.status_code == 200 and 'id="orders"' in file.text
    assert file.text.index(f'data-order="{second.number}"') < file.text.index(f'data-order="{first.number}"')
    assert f'href="/t/entekhab-test/console/orders/{first.order_id}"' in file.text
    assert f'data-order="{someone_else.number}"' not in file.text


async def test_another_tenants_staff_do_not_open_the_file(pages, runtime, make_tenant, sign_in_staff):
    tenant = await order_desk(make_tenant, runtime)
    placed = await place_order(runtime, tenant)
    other = await order_desk(make_tenant, runtime, "other-test")
    await sign_in_staff(pages, other, "admin")
    assert (await pages.get(f"/t/other-test/console/customers/{placed.customer_id}")).status_code == 404
