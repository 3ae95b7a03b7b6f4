"""Installing a delivered order: its units registered for the warranty, an authorised technician booked, and
the installation confirmed by the technician with the invoice's date (which decides the festival cards).

Booking (:func:`book_installation`) registers each unit delivered (a purchase registration, as
:func:`~aftersales.warranty.registrations.services.register_purchase` makes it, with the order's customer, the
day it was funded as the purchase and the line's price) and carries the sealed-box flag recorded at delivery
onto it, where the installation-damage rule reads it. The technician's job is a marketplace booking on the
first unit's registration: in warranty, so an offering that needs the tenant's authorisation (Entekhab's
installations) goes only to a provider authorised that day — the marketplace's rule, refused there with its
reason. Confirming (:func:`confirm_installation`) records the installation date on every registration (its
warranty decided again), whether the technician was authorised that day, and the cards; the order is then
``installed``.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.errors import Conflict, FieldError, InvalidInput, NotFound
from aftersales.identity.customers import CustomerDetails
from aftersales.identity.models import Customer
from aftersales.marketplace.bookings.services import NewBooking, Party, Site, book
from aftersales.marketplace.models import Booking, Provider
from aftersales.orders.fulfilment.cards import decide_cards
from aftersales.orders.fulfilment.models import FestivalCard
from aftersales.orders.fulfilment.moves import OrderFulfilment, local_day, order_fulfilment, require_state
from aftersales.orders.models import OrderLine, OrderState
from aftersales.outbox.events import OrderInstalled
from aftersales.outbox.webhooks import emit
from aftersales.tenancy.current import CurrentTenant
from aftersales.warranty.models import Registration
from aftersales.warranty.registrations.installation import record_installation
from aftersales.warranty.registrations.services import PurchaseDetails, register_purchase

MAX_UNITS = 100
"""At most this many units are registered by one installation (an order of home appliances holds a few)."""


@dataclass(frozen=True)
class InstallationAsk:
    """What booking an installation takes: the serials delivered, the technician, the offering and the start."""

    serials: Sequence[str]
    provider_id: uuid.UUID
    offering_id: uuid.UUID
    starts_at: datetime
    site: Site | None = None


async def book_installation(session: AsyncSession, tenant: CurrentTenant, order_id: uuid.UUID,
                            ask: InstallationAsk, *, actor: str, now: datetime) -> OrderFulfilment:
    """Register the delivered units and book the authorised technician.

    :raises InvalidInput: a serial that is not on the register or not a model of the order, a technician the
        marketplace refuses (not authorised for an in-warranty installation, not free then): every reason, nothing
        written. :raises Conflict: the order is not delivered, or its installation is booked already.
    """
    found = await order_fulfilment(session, order_id, lock=True)
    order, fulfilment = found.order, found.fulfilment
    require_state(order, OrderState.DELIVERED, "booked for installation")
    assert fulfilment is not None
    if fulfilment.installation_booking_id is not None:
        raise Conflict(f"the installation of order #{order.number} is booked already",
                       code="fulfilment.installation_booked", params={"number": order.number})
    serials = [serial.strip() for serial in ask.serials]
    if not serials or len(serials) > MAX_UNITS:
        raise InvalidInput("the installation cannot be booked", [FieldError(
            "serials", f"give the serial of each unit delivered (1 to {MAX_UNITS})", code="fulfilment.serials",
            params={"limit": MAX_UNITS})])
    customer = await session.scalar(select(Customer).where(Customer.id == order.customer_id))
    assert customer is not None
    prices = {line.product_model_id: line.unit_price_minor for line in await session.scalars(
        select(OrderLine).where(OrderLine.order_id == order.id))}
    purchased_on = local_day(tenant, order.funded_at or order.created_at)
    owner = CustomerDetails(name=customer.name, phone=customer.phone, email=customer.email)
    registrations: list[Registration] = []
    errors: list[FieldError] = []
    for index, serial in enumerate(serials):
        field = f"serials.{index}"
        try:
            unit = await register_purchase(session, tenant, PurchaseDetails(
                serial=serial, purchased_on=purchased_on, owner=owner, invoice_number=f"order-{order.number}",
                seller=order.store or ""), registered_by=actor, now=now)
        except InvalidInput as refused:
            errors += [replace(error, field=field) for error in refused.errors]
            continue
        except Conflict as refused:
            errors.append(FieldError(field, refused.detail, code=refused.code, params=refused.params))
            continue
        if unit.model.id not in prices:
            errors.append(FieldError(field, f"is a {unit.model.name}, which order #{order.number} does not hold",
                                     code="fulfilment.unit_not_ordered", params={"model": unit.model.sku}))
            continue
        unit.registration.price_minor = prices[unit.model.id]
        unit.registration.delivered_sealed = fulfilment.delivered_sealed
        registrations.append(unit.registration)
    if errors:
        raise InvalidInput("the installation cannot be booked", errors)
    booking = await book(session, tenant, Party(actor), NewBooking(
        provider_id=ask.provider_id, offering_id=ask.offering_id, starts_at=ask.starts_at,
        customer_id=order.customer_id, registration_id=registrations[0].id, site=ask.site,
        note=f"installation of order #{order.number}"), now=now)
    fulfilment.installation_booking_id = booking.id
    fulfilment.registration_ids = [str(registration.id) for registration in registrations]
    await session.flush()
    return found


async def confirm_installation(session: AsyncSession, tenant: CurrentTenant, order_id: uuid.UUID, *,
                               installed_on: date, invoice_date: date, actor: str, now: datetime,
                               provider_id: uuid.UUID | None = None) -> tuple[OrderFulfilment, list[FestivalCard]]:
    """The technician confirms the installation and the invoice's date; the cards owed are issued or refused.
    ``provider_id``: a provider's user confirms only an installation booked with its provider.

    :raises InvalidInput: a date in the future, an installation before the delivery, an invoice before the
        order (nothing written). :raises Conflict: the order is not delivered, or its installation is not booked.
        :raises NotFound: no such order, or (for a provider) not one booked with it.
    """
    found = await order_fulfilment(session, order_id, lock=True)
    order, fulfilment = found.order, found.fulfilment
    if provider_id is not None:
        booked = None if fulfilment is None or fulfilment.installation_booking_id is None else await session.scalar(
            select(Booking.provider_id).where(Booking.id == fulfilment.installation_booking_id))
        if booked != provider_id:
            raise NotFound("no such order")
    require_state(order, OrderState.DELIVERED, "installed")
    assert fulfilment is not None and fulfilment.delivered_at is not None
    if fulfilment.installation_booking_id is None:
        raise Conflict(f"book the installation of order #{order.number} first", code="fulfilment.not_booked",
                       params={"number": order.number})
    today, delivered_on = local_day(tenant, now), local_day(tenant, fulfilment.delivered_at)
    ordered_on = local_day(tenant, order.created_at)
    errors: list[FieldError] = []
    if not delivered_on <= installed_on <= today:
        errors.append(FieldError("installed_on", f"must be between the delivery ({delivered_on.isoformat()}) and "
                                                 f"today ({today.isoformat()})", code="fulfilment.installed_on",
                                 params={"delivered_on": delivered_on.isoformat(), "today": today.isoformat()}))
    if not ordered_on <= invoice_date <= today:
        errors.append(FieldError("invoice_date", f"must be between the order ({ordered_on.isoformat()}) and today "
                                                 f"({today.isoformat()})", code="fulfilment.invoice_date",
                                 params={"ordered_on": ordered_on.isoformat(), "today": today.isoformat()}))
    if errors:
        raise InvalidInput("the installation cannot be confirmed", errors)
    provider = await session.scalar(select(Provider).join(Booking, (Booking.tenant_id == Provider.tenant_id)
                                                          & (Booking.provider_id == Provider.id))
                                    .where(Booking.id == fulfilment.installation_booking_id))
    assert provider is not None
    authorised = provider.authorised and (provider.authorised_until is None or provider.authorised_until >= installed_on)
    registration_ids = [uuid.UUID(text) for text in fulfilment.registration_ids]
    for registration_id in registration_ids:
        registered = await record_installation(session, tenant, registration_id, installed_on, now=now)
        registered.registration.installed_by_authorised_technician = authorised
    cards = await decide_cards(session, order.id, invoice_date, actor=actor, now=now)
    fulfilment.installed_at, fulfilment.installed_by = now, actor
    fulfilment.installed_on, fulfilment.invoice_date = installed_on, invoice_date
    order.state, order.state_reason, order.updated_at = OrderState.INSTALLED.value, "", now
    await session.flush()
    issued = sum(card.state == "issued" for card in cards)
    await emit(session, OrderInstalled(
        order_id=order.id, number=order.number, registration_ids=registration_ids,
        booking_id=fulfilment.installation_booking_id, installed_on=installed_on, invoice_date=invoice_date,
        cards_issued=issued, cards_refused=len(cards) - issued, installed_at=now), key=order.id, now=now)
    return found, cards
