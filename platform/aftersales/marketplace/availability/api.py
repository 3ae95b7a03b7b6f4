"""When and for how much a provider works: weekly hours, exceptions, prices (staff with ``marketplace:manage``
or the provider's own user change them; staff read them) and the free slots any tenant token may see."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, delete, get, put
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from aftersales.db.base import utcnow
from aftersales.http.context import TOKEN_TENANT, SessionDep, TenantDep
from aftersales.http.date_windows import check_schedule
from aftersales.marketplace.access import any_tenant_token
from aftersales.marketplace.availability import schedules, slots
from aftersales.marketplace.availability.schemas import SlotsOut, slots_out
from aftersales.marketplace.providers import prices
from aftersales.marketplace.providers.api import EDITORS, READERS, reach
from aftersales.marketplace.providers.schemas import (
    DayIn,
    ExceptionOut,
    HoursOut,
    PriceIn,
    PriceOut,
    WeekIn,
    exception_out,
    hours_out,
    price_out,
)


class ScheduleController(Controller):
    """A provider's week, exceptions, prices and slots, under the provider's address."""

    path = "/api/v1/marketplace/providers"
    tags = ("marketplace",)
    dependencies = TOKEN_TENANT

    @get("/{provider_id:uuid}/hours", operation_id="getProviderHours", guards=[READERS])
    async def get_hours(self, request: Request[Any, Any, Any], provider_id: FromPath[UUID],
                        session: SessionDep) -> list[HoursOut]:
        """The weekly hours in the tenant's time zone, Monday (0) first."""
        await reach(request, session, provider_id, write=False)
        return [hours_out(h) for h in await schedules.week_of(session, provider_id)]

    @put("/{provider_id:uuid}/hours", operation_id="setProviderHours", guards=[EDITORS])
    async def set_hours(self, request: Request[Any, Any, Any], provider_id: FromPath[UUID], data: JSONBody[WeekIn],
                        session: SessionDep) -> list[HoursOut]:
        """Replace the week: intervals on the 15-minute grid, closing after opening, none overlapping in a day."""
        await reach(request, session, provider_id, write=True)
        week = await schedules.replace_week(session, provider_id, [(h.weekday, h.opens, h.closes) for h in data.hours])
        return [hours_out(h) for h in week]

    @get("/{provider_id:uuid}/exceptions", operation_id="listProviderExceptions", guards=[READERS])
    async def list_exceptions(self, request: Request[Any, Any, Any], provider_id: FromPath[UUID],
                              session: SessionDep, tenant: TenantDep,
                              since: FromQuery[date | None] = None) -> list[ExceptionOut]:
        """Days that differ from the week, from ``since`` (default: today) on."""
        await reach(request, session, provider_id, write=False)
        if since is not None:
            check_schedule(since, "since", tenant.today())
        rows = await schedules.exceptions_of(session, provider_id, since=since or tenant.today())
        return [exception_out(e) for e in rows]

    @put("/{provider_id:uuid}/exceptions/{day:date}", operation_id="setProviderDay", guards=[EDITORS])
    async def set_day(self, request: Request[Any, Any, Any], provider_id: FromPath[UUID], day: FromPath[date],
                      data: JSONBody[DayIn], session: SessionDep, tenant: TenantDep) -> list[ExceptionOut]:
        """Close a day (no intervals) or open it at other hours, public holidays included; not a past day."""
        check_schedule(day, "day", tenant.today())
        await reach(request, session, provider_id, write=True)
        rows = await schedules.set_day(session, provider_id, day, [(i.opens, i.closes) for i in data.intervals],
                                       reason=data.reason, today=tenant.today())
        return [exception_out(e) for e in rows]

    @delete("/{provider_id:uuid}/exceptions/{day:date}", operation_id="clearProviderDay", guards=[EDITORS])
    async def clear_day(self, request: Request[Any, Any, Any], provider_id: FromPath[UUID], day: FromPath[date],
                        session: SessionDep, tenant: TenantDep) -> None:
        """Let a day follow the week again; not a past day."""
        check_schedule(day, "day", tenant.today())
        await reach(request, session, provider_id, write=True)
        await schedules.clear_day(session, provider_id, day, today=tenant.today())

    @get("/{provider_id:uuid}/prices", operation_id="listProviderPrices", guards=[READERS])
    async def list_prices(self, request: Request[Any, Any, Any], provider_id: FromPath[UUID],
                          session: SessionDep) -> list[PriceOut]:
        """The provider's prices (withdrawn ones too), by offering code."""
        await reach(request, session, provider_id, write=False)
        return [price_out(p, o) for p, o in await prices.prices_of(session, provider_id)]

    @put("/{provider_id:uuid}/prices/{code:str}", operation_id="setProviderPrice", guards=[EDITORS])
    async def set_price(self, request: Request[Any, Any, Any], provider_id: FromPath[UUID],
                        code: FromPath[str],
                        data: JSONBody[PriceIn], session: SessionDep, tenant: TenantDep) -> PriceOut:
        """Set the price and duration of an offering in the tenant's currency (``active: false`` withdraws it);
        the provider needs the offering's skill."""
        await reach(request, session, provider_id, write=True)
        details = prices.PriceDetails(price=data.price, duration_minutes=data.duration_minutes, active=data.active)
        price, offering = await prices.set_price(session, provider_id, code, details, currency=tenant.record.currency)
        return price_out(price, offering)

    @get("/{provider_id:uuid}/slots", operation_id="listProviderSlots", guards=[any_tenant_token])
    async def list_slots(self, provider_id: FromPath[UUID], offering: Annotated[str, QueryParameter(max_length=60)],
                         day: FromQuery[date], session: SessionDep, tenant: TenantDep) -> SlotsOut:
        """Free starts of an active provider for an offering it offers, on a day (not past) in the tenant's time
        zone; when there are none, the next free start within 30 days."""
        check_schedule(day, "day", tenant.today())
        found = await slots.day_slots(session, tenant.calendar, provider_id, offering, day, now=utcnow())
        return slots_out(found)
