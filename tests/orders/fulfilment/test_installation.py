"""Installation after delivery (seed 001): the units are registered for the warranty with the sealed-box flag
recorded at delivery, an authorised technician is booked (the marketplace's rule), and the technician's
confirmation of the invoice's date issues or refuses each festival card promised at sale."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import select

from aftersales.contract import ClaimKind, ClaimReport, DefectType
from aftersales.errors import Conflict, InvalidInput
from aftersales.orders.fulfilment import cards, installation, moves
from aftersales.warranty.models import Registration
from aftersales.warranty.registrations.claims import file_claim
from support.fulfilment import act, add_fridge, add_order, add_warehouse, entekhab, local
from support.marketplace import add_provider

TEHRAN_POINT = (35.70, 51.40)
DELIVERED_ON, INSTALL_ON = date(2026, 3, 4), date(2026, 3, 9)
"""Wednesday 4 and Monday 9 March 2026, business days in Tehran."""


async def delivered(runtime, tenant, *, sealed=True, serial="RF500A0001"):
    order = await add_order(runtime, tenant)
    await add_fridge(runtime, tenant, serial)
    warehouse = await add_warehouse(runtime, tenant)
    await act(runtime, tenant, lambda s, t: moves.allocate(s, t, order.order_id, warehouse, None, actor="staff:w",
                                                           now=local(date(2026, 3, 2), 9)))
    await act(runtime, tenant, lambda s, t: moves.dispatch(s, order.order_id, actor="staff:w",
                                                           now=local(date(2026, 3, 3), 9)))
    await act(runtime, tenant, lambda s, t: moves.deliver(s, t, order.order_id, sealed=sealed, actor="staff:w",
                                                          now=local(DELIVERED_ON, 15)))
    return order


async def technician(runtime, tenant, *, authorised=True):
    return await add_provider(runtime, tenant, name="Tehran Installers", authorised=authorised,
                              offering_code="install_refrigerator", currency="IRR", price_minor=0,
                              duration_minutes=90, at=TEHRAN_POINT, warranty_needs_authorisation=True)


async def book(runtime, tenant, order, setup, serials=("RF500A0001",)):
    ask = installation.InstallationAsk(serials=list(serials), provider_id=setup.provider_id,
                                       offering_id=setup.offering_id, starts_at=local(INSTALL_ON, 10))
    return await act(runtime, tenant, lambda s, t: installation.book_installation(
        s, t, order.order_id, ask, actor="staff:agent", now=local(DELIVERED_ON, 16)))


async def confirm(runtime, tenant, order, invoice_date=date(2026, 3, 1)):
    return await act(runtime, tenant, lambda s, t: installation.confirm_installation(
        s, t, order.order_id, installed_on=INSTALL_ON, invoice_date=invoice_date, actor="staff:technician",
        now=local(INSTALL_ON, 12)))


async def registration(runtime, tenant, registration_id):
    async with runtime.db.transaction(tenant.id) as s:
        return await s.scalar(select(Registration).where(Registration.id == uuid.UUID(registration_id)))


async def test_installation_registers_the_unit_with_the_delivery_facts_and_books_an_authorised_technician(
        runtime, make_tenant):
    tenant = await entekhab(make_tenant)
    order = await delivered(runtime, tenant, sealed=False)
    booked = await book(runtime, tenant, order, await technician(runtime, tenant))
    [registration_id] = booked.fulfilment.registration_ids
    registered = await registration(runtime, tenant, registration_id)
    assert (registered.customer_id, registered.purchased_on) == (order.customer_id, date(2026, 3, 1))
    assert (registered.delivered_sealed, registered.price_minor) == (False, 200_000_000)
    assert booked.fulfilment.installation_booking_id is not None and booked.order.state == "delivered"
    found, decided = await confirm(runtime, tenant, order)
    assert (found.order.state, decided) == ("installed", [])
    registered = await registration(runtime, tenant, registration_id)
    assert (registered.installed_on, registered.installed_by_authorised_technician) == (INSTALL_ON, True)


async def test_damage_found_at_installation_of_an_unsealed_box_is_charged_without_the_claim_saying_so(
        runtime, make_tenant):
    tenant = await entekhab(make_tenant)
    unsealed, sealed = await delivered(runtime, tenant, sealed=False), await delivered(runtime, tenant,
                                                                                       serial="RF500A0002")
    setup = await technician(runtime, tenant)
    decisions = []
    for order, serial in ((unsealed, "RF500A0001"), (sealed, "RF500A0002")):
        booked = await book(runtime, tenant, order, setup, serials=(serial,)) if order is unsealed else None
        if booked is None:  # the second job an hour and a half later, the technician being busy at ten
            ask = installation.InstallationAsk(serials=[serial], provider_id=setup.provider_id,
                                               offering_id=setup.offering_id, starts_at=local(INSTALL_ON, 12))
            booked = await act(runtime, tenant, lambda s, t, o=order, a=ask: installation.book_installation(
                s, t, o.order_id, a, actor="staff:agent", now=local(DELIVERED_ON, 16)))
        await confirm(runtime, tenant, order)
        report = ClaimReport(kind=ClaimKind.WARRANTY_REPAIR, reported_on=INSTALL_ON,
                             defect=DefectType.INSTALLATION_DAMAGE)
        [registration_id] = booked.fulfilment.registration_ids
        claim, _ = await act(runtime, tenant, lambda s, t, r=registration_id, p=report: file_claim(
            s, t, uuid.UUID(r), p, filed_by="staff:technician"))
        decisions.append((claim.decision, [str(c) for c in claim.failed_conditions], claim.facts["delivered_sealed"]))
    assert decisions[0] == ("paid_repair",
                            ["damage found at installation is covered only if the box was sealed on delivery"], False)
    assert decisions[1] == ("free_repair", [], True)


async def test_an_unauthorised_technician_is_refused_by_the_marketplaces_rule_and_nothing_is_registered(
        runtime, make_tenant):
    tenant = await entekhab(make_tenant)
    order = await delivered(runtime, tenant)
    with pytest.raises(InvalidInput) as refused:
        await book(runtime, tenant, order, await technician(runtime, tenant, authorised=False))
    assert [e.field for e in refused.value.errors] == ["provider_id"]
    assert "authorised" in refused.value.errors[0].reason
    async with runtime.db.transaction(tenant.id) as s:
        assert (await s.scalars(select(Registration))).all() == []


async def test_units_not_on_the_register_or_not_ordered_are_refused_by_position(runtime, make_tenant):
    tenant = await entekhab(make_tenant)
    order = await delivered(runtime, tenant)
    with pytest.raises(InvalidInput) as refused:
        await book(runtime, tenant, order, await technician(runtime, tenant), serials=("RF500A0001", "NOSUCH999"))
    assert [(e.field, e.code) for e in refused.value.errors] == [("serials.1", "registration.unknown_serial")]


async def test_wrong_installation_moves_are_refused(runtime, make_tenant):
    tenant = await entekhab(make_tenant)
    order = await delivered(runtime, tenant)
    with pytest.raises(Conflict, match="book the installation"):
        await confirm(runtime, tenant, order)
    funded = await add_order(runtime, tenant)
    setup = await technician(runtime, tenant)
    with pytest.raises(Conflict, match="only a delivered order can be booked for installation"):
        await book(runtime, tenant, funded, setup)
    await book(runtime, tenant, order, setup)
    with pytest.raises(Conflict, match="is booked already"):
        await book(runtime, tenant, order, setup)
    with pytest.raises(InvalidInput) as refused:
        await act(runtime, tenant, lambda s, t: installation.confirm_installation(
            s, t, order.order_id, installed_on=date(9999, 1, 1), invoice_date=date(1, 1, 1), actor="staff:t",
            now=local(INSTALL_ON, 12)))
    assert [e.field for e in refused.value.errors] == ["installed_on", "invoice_date"]


async def test_a_festival_card_is_issued_for_an_invoice_on_the_last_day_and_refused_the_day_after(runtime,
                                                                                                  make_tenant):
    tenant = await entekhab(make_tenant)
    setup = await technician(runtime, tenant)
    outcomes = []
    for invoice_date, serial, hour in ((date(2026, 3, 1), "RF500A0001", 10), (date(2026, 3, 2), "RF500A0002", 12)):
        order = await delivered(runtime, tenant, serial=serial)
        await act(runtime, tenant, lambda s, t, o=order: cards.promise_card(
            s, t, o.order_id, "Esfand festival", date(2026, 2, 20), date(2026, 3, 1), actor="staff:store",
            now=local(date(2026, 3, 1), 10)))
        ask = installation.InstallationAsk(serials=[serial], provider_id=setup.provider_id,
                                           offering_id=setup.offering_id, starts_at=local(INSTALL_ON, hour))
        await act(runtime, tenant, lambda s, t, o=order, a=ask: installation.book_installation(
            s, t, o.order_id, a, actor="staff:agent", now=local(DELIVERED_ON, 16)))
        _, [card] = await confirm(runtime, tenant, order, invoice_date=invoice_date)
        outcomes.append((card.state, str(card.reason), card.invoice_date))
    issued = "bought on 2026-03-01, within the Esfand festival purchases (2026-02-20 to 2026-03-01)"
    refused = "the invoice is dated 2026-03-02, outside the Esfand festival purchases (2026-02-20 to 2026-03-01)"
    assert outcomes == [("issued", issued, date(2026, 3, 1)), ("refused", refused, date(2026, 3, 2))]


async def test_a_card_with_its_window_reversed_or_on_an_installed_order_is_refused(runtime, make_tenant):
    tenant = await entekhab(make_tenant)
    order = await add_order(runtime, tenant, state="installed")
    with pytest.raises(InvalidInput) as refused:
        await act(runtime, tenant, lambda s, t: cards.promise_card(
            s, t, order.order_id, "", date(2026, 3, 2), date(2026, 3, 1), actor="staff:store",
            now=local(date(2026, 3, 1), 10)))
    assert [e.field for e in refused.value.errors] == ["festival", "purchases_until"]
    with pytest.raises(Conflict, match="installed: no card can be promised"):
        await act(runtime, tenant, lambda s, t: cards.promise_card(
            s, t, order.order_id, "Nowruz", date(2026, 3, 1), date(2026, 3, 2), actor="staff:store",
            now=local(date(2026, 3, 1), 10)))
