"""What the console's work pages share: the page context with the tenant's time zone, moments and durations
written for the reader, how a record's actor is named, and the form/partial split of HTMX pages."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Request
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.identity import services as identity
from aftersales.identity.principals import Principal
from aftersales.tenancy.current import CurrentTenant
from aftersales.web.console.labels import Labels
from aftersales.web.i18n.moments import Moments
from aftersales.web.page_auth import Viewer, htmx_asked
from aftersales.web.portal.rendering import Page, page_for, render


@dataclass(frozen=True)
class Clock:
    """Writes instants in the tenant's time zone and in the reader's calendar, digits and language (through
    :class:`~aftersales.web.i18n.moments.Moments`), and durations; a missing instant is a dash."""

    page: Page
    zone: ZoneInfo

    def when(self, instant: datetime | None) -> str:
        """The tenant's local date and time of ``instant``, as the reader's language writes them."""
        return "—" if instant is None else Moments(self.page.fmt, self.zone).when(instant)

    def span(self, length: timedelta | None) -> str:
        """A duration as days and hours (``2 d 5 h``), or hours and minutes under a day; negative as overdue."""
        if length is None:
            return "—"
        _ = self.page.translations.gettext
        seconds = abs(int(length.total_seconds()))
        days, rest = divmod(seconds, 86_400)
        hours, minutes = rest // 3600, rest % 3600 // 60
        n = self.page.fmt.number
        text = (_("%(days)s d %(hours)s h") % {"days": n(days), "hours": n(hours)} if days
                else _("%(hours)s h %(minutes)s min") % {"hours": n(hours), "minutes": n(minutes)})
        return _("%(time)s overdue") % {"time": text} if length.total_seconds() < 0 else text


def console_page(request: Request[Any, Any, Any], tenant: CurrentTenant, viewer: Viewer) -> tuple[Page, Clock]:
    """The page context of a console page and the clock that writes its times."""
    page = page_for(request, tenant, viewer)
    return page, Clock(page, tenant.calendar.zone)


def show(request: Request[Any, Any, Any], page: Page, clock: Clock, template: str, *, partial: str | None = None,
         status_code: int = 200, **context: Any) -> Template:
    """The whole page, or only ``partial`` when HTMX asked for it (``Vary: HX-Request`` either way)."""
    wants_partial = partial is not None and htmx_asked(request)
    return render(page, partial if wants_partial and partial else template, status_code=status_code,
                  headers={"Vary": "HX-Request"}, clock=clock, labels=Labels(page.translations), **context)


def actor_of(principal: Principal) -> str:
    """How records name the signed-in person, as the API's :func:`aftersales.identity.guards.actor` does."""
    return f"{principal.kind}:{principal.subject}"


async def staff_names(session: AsyncSession, actors: Iterable[str]) -> dict[str, str]:
    """``staff:<id>`` actors → the staff member's name (others are shown as they are)."""
    ids = set()
    for actor in actors:
        kind, _, subject = actor.partition(":")
        if kind == "staff":
            try:
                ids.add(uuid.UUID(subject))
            except ValueError:
                continue
    names = await identity.staff_names(session, ids)
    return {f"staff:{staff_id}": name for staff_id, name in names.items()}


def parse_id(text: str) -> uuid.UUID | None:
    """``text`` as a UUID, or None."""
    try:
        return uuid.UUID(text)
    except ValueError:
        return None
