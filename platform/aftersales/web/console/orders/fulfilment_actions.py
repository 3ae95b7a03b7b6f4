"""What the warehouse clerk, the agent and the technician do to a funded order from its page, through the services
the API's fulfilment endpoints call (:mod:`aftersales.orders.fulfilment`): allocate it to a warehouse with the
production date, dispatch it, deliver it (box sealed or not), book the installation (the delivered units'
serials, an authorised technician, the installation offering, the start), confirm the installation (installed
day and invoice date, which decide the festival cards), and record a festival card promised at sale.

Dates are typed as the new-order form reads them (the picker's ``2026-05-12``, or Jalali when the year says so,
in any digits); what cannot be read is refused beside its field before the service is asked. Each action answers
with a redirect back to the order's delivery (post/redirect/get); a refusal shows the page again with the reason
by its code (409) or beside the field (422), and nothing is written."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from uuid import UUID

from litestar import Request, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from aftersales.contract.numerals import ascii_digits
from aftersales.db.base import utcnow
from aftersales.errors import FieldError, InvalidInput
from aftersales.http.context import SessionDep, TenantDep
from aftersales.identity.principals import Principal
from aftersales.orders.fulfilment import cards, installation, moves
from aftersales.orders.models import Order
from aftersales.web.console.console_pages import actor_of, parse_id
from aftersales.web.console.orders import access
from aftersales.web.console.orders.order_actions import act_on
from aftersales.web.console.orders.order_page import ORDER
from aftersales.web.forms import form_fields
from aftersales.web.page_auth import ViewerDep
from aftersales.web.page_controller import PageController
from aftersales.web.portal.account.forms import read_date

UNREADABLE = "form.unreadable"
"""The code of a field the page could not read (no date, no choice made); :mod:`.refusals` words it by field."""


def _unreadable(name: str) -> FieldError:
    return FieldError(name, f"{name} could not be read", code=UNREADABLE)


def _day(typed: dict[str, str], name: str, errors: list[FieldError], *, required: bool = True) -> date | None:
    """The date typed in ``name`` (None when empty and not ``required``); an unreadable one is added to ``errors``."""
    if not typed[name] and not required:
        return None
    day = read_date(typed[name])
    if day is None:
        errors.append(_unreadable(name))
    return day


def _refuse(errors: list[FieldError]) -> None:
    if errors:
        raise InvalidInput("the form could not be read", errors)


def _start(typed: dict[str, str], zone: Any, errors: list[FieldError]) -> datetime | None:
    """The installation's start: the day (Jalali allowed) and the wall-clock time in the tenant's zone."""
    day = _day(typed, "starts_on", errors)
    try:
        clock = time.fromisoformat(ascii_digits(typed["starts_time"])) if typed["starts_time"] else None
    except ValueError:
        clock = None
    if clock is None:
        errors.append(_unreadable("starts_time"))
    return datetime.combine(day, clock, tzinfo=zone) if day is not None and clock is not None else None


class ConsoleFulfilmentActionController(PageController):
    """An order's way from funded to installed, moved from its console page."""

    @post(f"{ORDER}/allocation")
    async def allocate(self, request: Request[Any, Any, Any], order_id: FromPath[UUID], tenant: TenantDep,
                       session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Allocate the funded order to a warehouse (a regional one of the order's province only)."""
        staff = viewer.staff(access.MOVE_SCOPE)
        typed = await form_fields(request, "warehouse_id", "production_on")

        async def allocate(order: Order, staff: Principal) -> None:
            errors: list[FieldError] = []
            warehouse_id = parse_id(typed["warehouse_id"])
            if warehouse_id is None:
                errors.append(FieldError("warehouse_id", "no such warehouse", code="fulfilment.unknown_warehouse"))
            production_on = _day(typed, "production_on", errors, required=False)
            _refuse(errors)
            assert warehouse_id is not None
            await moves.allocate(session, tenant, order.id, warehouse_id, production_on, actor=actor_of(staff),
                                 now=utcnow())
        return await act_on(request, tenant, session, viewer, staff, order_id, "allocate", allocate,
                            typed=typed, anchor="delivery")

    @post(f"{ORDER}/dispatch")
    async def dispatch(self, request: Request[Any, Any, Any], order_id: FromPath[UUID], tenant: TenantDep,
                       session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """The allocated order leaves its warehouse."""
        staff = viewer.staff(access.MOVE_SCOPE)

        async def dispatch(order: Order, staff: Principal) -> None:
            await moves.dispatch(session, order.id, actor=actor_of(staff), now=utcnow())
        return await act_on(request, tenant, session, viewer, staff, order_id, "dispatch", dispatch,
                            anchor="delivery")

    @post(f"{ORDER}/delivery")
    async def deliver(self, request: Request[Any, Any, Any], order_id: FromPath[UUID], tenant: TenantDep,
                      session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """The dispatched order reached the customer, with whether its box was sealed."""
        staff = viewer.staff(access.MOVE_SCOPE)
        typed = await form_fields(request, "box_sealed")

        async def deliver(order: Order, staff: Principal) -> None:
            if typed["box_sealed"] not in ("yes", "no"):
                _refuse([_unreadable("box_sealed")])
            await moves.deliver(session, tenant, order.id, sealed=typed["box_sealed"] == "yes",
                                actor=actor_of(staff), now=utcnow())
        return await act_on(request, tenant, session, viewer, staff, order_id, "deliver", deliver,
                            typed=typed, anchor="delivery")

    @post(f"{ORDER}/installation")
    async def book(self, request: Request[Any, Any, Any], order_id: FromPath[UUID], tenant: TenantDep,
                   session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Register the delivered units (one serial a line) and book the technician for the installation."""
        staff = viewer.staff(access.MOVE_SCOPE)
        typed = await form_fields(request, "serials", "provider_id", "offering_id", "starts_on", "starts_time")

        async def book(order: Order, staff: Principal) -> None:
            errors: list[FieldError] = []
            serials = [line.strip() for line in typed["serials"].splitlines() if line.strip()]
            provider_id, offering_id = parse_id(typed["provider_id"]), parse_id(typed["offering_id"])
            if provider_id is None:
                errors.append(_unreadable("provider_id"))
            if offering_id is None:
                errors.append(_unreadable("offering_id"))
            starts_at = _start(typed, tenant.calendar.zone, errors)
            _refuse(errors)
            assert provider_id is not None and offering_id is not None and starts_at is not None
            await installation.book_installation(session, tenant, order.id, installation.InstallationAsk(
                serials=serials, provider_id=provider_id, offering_id=offering_id, starts_at=starts_at),
                actor=actor_of(staff), now=utcnow())
        return await act_on(request, tenant, session, viewer, staff, order_id, "install", book,
                            typed=typed, anchor="delivery")

    @post(f"{ORDER}/installation/confirmation")
    async def confirm(self, request: Request[Any, Any, Any], order_id: FromPath[UUID], tenant: TenantDep,
                      session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """The technician confirms the installation and the invoice's date: each festival card owed is issued
        or refused with the reason, shown on the order."""
        staff = viewer.staff(access.CONFIRM_SCOPE)
        typed = await form_fields(request, "installed_on", "invoice_date")

        async def confirm(order: Order, staff: Principal) -> None:
            errors: list[FieldError] = []
            installed_on, invoice_date = _day(typed, "installed_on", errors), _day(typed, "invoice_date", errors)
            _refuse(errors)
            assert installed_on is not None and invoice_date is not None
            await installation.confirm_installation(session, tenant, order.id, installed_on=installed_on,
                                                    invoice_date=invoice_date, actor=actor_of(staff), now=utcnow())
        return await act_on(request, tenant, session, viewer, staff, order_id, "confirm", confirm,
                            typed=typed, anchor="delivery")

    @post(f"{ORDER}/festival-cards")
    async def promise_card(self, request: Request[Any, Any, Any], order_id: FromPath[UUID], tenant: TenantDep,
                           session: SessionDep, viewer: ViewerDep) -> Template | Redirect:
        """Record a festival card promised at sale, with the festival's purchase window."""
        staff = viewer.staff(access.MOVE_SCOPE)
        typed = await form_fields(request, "festival", "purchases_from", "purchases_until")

        async def promise(order: Order, staff: Principal) -> None:
            errors: list[FieldError] = []
            start, end = _day(typed, "purchases_from", errors), _day(typed, "purchases_until", errors)
            _refuse(errors)
            assert start is not None and end is not None
            await cards.promise_card(session, tenant, order.id, typed["festival"], start, end,
                                     actor=actor_of(staff), now=utcnow())
        return await act_on(request, tenant, session, viewer, staff, order_id, "card", promise,
                            typed=typed, anchor="delivery")
